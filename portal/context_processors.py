"""Template context every page needs: the other language's URL for the switcher."""

from django.conf import settings
from django.urls import translate_url


def portal(request):
    path = request.get_full_path()
    switch = [{"code": code, "name": name, "url": translate_url(path, code)} for code, name in settings.LANGUAGES]
    return {"language_links": switch}
