"""Template context every page needs: the language switcher's links (this page in each
language, the current one marked) and the research section's address in this language."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def portal(request):
    path, current = request.get_full_path(), get_language()
    switch = [
        {"code": code, "name": name, "url": translate_url(path, code), "is_current": code == current}
        for code, name in settings.LANGUAGES
    ]
    prefix = "" if current == settings.LANGUAGE_CODE else f"/{current}"
    return {"language_links": switch, "research_url": f"{prefix}/research/"}
