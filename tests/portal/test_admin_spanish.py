"""The Wagtail admin speaks Spanish to staff: no English left from Wagtail's own interface.

Wagtail 8's Spanish catalogue leaves strings out (the scheduling dialog, the checks panel, the
choosers' "Why not upload one now?") and gets others wrong ("etiquedas", "El pregunta …
actualizado"); portal/locale_thirdparty/es fills and corrects them. These tests crawl the admin
pages staff use, in Spanish, and name every English phrase still on screen.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import wagtail
from django.apps import apps
from django.utils import translation
from wagtail.models import Page

from portal.emails.models import EmailTemplate
from research.models import Author
from tests.factories import ProductLineFactory, StaffFactory
from tests.research.fixtures import home, locales, make_report, research_index  # noqa: F401
from tests.surveys.factories import RoundFactory, choice_question

# English that staff reported on the Spanish admin (issue 23), and its neighbours in the same dialogs.
KNOWN_ENGLISH = [
    "Search options…",
    "Layout",
    "Why not upload one now?",
    "upload one now",
    "Toggle checks",
    "Referenced 0 times",
    "Schedule to publish",
    "Your pages and snippets in a workflow",
    "Privacy and access",
    "Save your changes before leaving",
    "Show filters",
    "Sort by",
    "More options for",
    "Keyboard shortcuts",
    "Content metrics",
    "Reading time",
    "First published",
    "Usage count",
]
# Wagtail's own Spanish typos.
KNOWN_TYPOS = ["etiqueda", "calquiera", "Selecionar", "eleimiar", "Italica"]
# Wagtail messages that read the same in Spanish (or are never shown: "workflow_tasks", the API's name).
SAME_IN_SPANISH = {
    *("No", "Error", "Error 404", "URL", "ID", "Alias", "Roles", "Token", "workflow_tasks", "Wagtail API v3"),
    *("%(field_label)s:", "%(range_start)s - %(range_end)s", "%(status_display)s %(task_name)s %(started_at)s"),
}


class VisibleText(HTMLParser):
    """The text a person reads or a screen reader speaks: text nodes plus labelling attributes."""

    SKIPPED = {"script", "style"}
    SPOKEN = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1
        self.texts += [" ".join(value.split()) for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


def _msgids(catalogue: Path) -> list[str]:
    """The English messages of one of Wagtail's source catalogues, without context-marked ones."""
    msgids = []
    for entry in catalogue.read_text(encoding="utf-8").split("\n\n"):
        if "msgctxt" in entry or "msgid" not in entry:
            continue
        lines = entry.split("msgid ", 1)[1].split("\nmsgstr", 1)[0].split("msgid_plural", 1)[0]
        msgid = "".join(json.loads(line) for line in lines.strip().splitlines())
        if msgid:
            msgids.append(msgid)
    return msgids


def _wagtail_msgids(domain: str) -> list[str]:
    catalogues = Path(wagtail.__file__).parent.glob(f"**/locale/en/LC_MESSAGES/{domain}.po")
    return [msgid for catalogue in catalogues for msgid in _msgids(catalogue)]


def _untranslated_patterns() -> list[tuple[str, re.Pattern]]:
    """A pattern per Wagtail admin message that still has no Spanish (placeholders match anything)."""
    patterns = []
    with translation.override("es"):
        for msgid in set(_wagtail_msgids("django")):
            if translation.gettext(msgid) != msgid or msgid in SAME_IN_SPANISH:
                continue
            for fragment in re.split(r"<[^>]+>", msgid):
                words = re.findall(r"[A-Za-z]{2,}", re.sub(r"%\(\w+\)[sd]|\{\w*\}", "", fragment))
                if not words:
                    continue
                parts = re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", " ".join(fragment.split()))
                patterns.append((msgid, re.compile(".+?".join(re.escape(part) for part in parts))))
    return patterns


def english_on(texts: list[str], patterns) -> list[str]:
    found = [f"{phrase!r}" for phrase in KNOWN_ENGLISH + KNOWN_TYPOS if any(phrase in text for text in texts)]
    found += [
        f"{text!r} (Wagtail: {msgid!r})" for text in texts for msgid, pattern in patterns if pattern.fullmatch(text)
    ]
    return found


@pytest.fixture
def editor_client(client, db):
    """The association's staff as the demo signs them in: a superuser, so every admin page opens."""
    client.force_login(StaffFactory(username="editora", is_superuser=True))
    return client


@pytest.fixture
def admin_objects(research_index):  # noqa: F811
    report = make_report(research_index, title="Demanda de microseguros")
    report.save_revision()  # a draft on top of the live version, as an editor leaves it
    author = Author.objects.create(name="REDCAMIF", affiliation="Red centroamericana")
    product_line = ProductLineFactory(code="savings", name_es="Ahorro", name_en="Savings")
    survey_round = RoundFactory(year=2026, semester=1)  # open: its questions are locked
    locked_question = choice_question(survey_round, "plans", "single", ["yes", "no"])
    return {
        "survey_round": survey_round,
        "locked_question": locked_question,
        "home": research_index.get_parent(),
        "index": research_index,
        "report": report,
        "author": author,
        "product_line": product_line,
        "email_template": EmailTemplate.objects.get_or_create(key="survey-invitation")[0],
    }


def admin_urls(objects) -> list[str]:
    home_page, index, report = objects["home"].pk, objects["index"].pk, objects["report"].pk
    return [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home_page}/",
        f"/admin/pages/{index}/",
        f"/admin/pages/{report}/edit/",  # carries the scheduling dialog and the checks panel
        f"/admin/pages/add/research/researchreportpage/{index}/",
        f"/admin/pages/{report}/history/",
        f"/admin/pages/{report}/usage/",
        f"/admin/pages/{report}/privacy/",  # the "Privacy" dialog
        f"/admin/pages/{report}/workflow_history/",
        "/admin/pages/search/?q=micro",
        "/admin/choose-page/",
        "/admin/images/",
        "/admin/images/chooser/",  # with no image yet: "Why not upload one now?"
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/documents/chooser/",
        "/admin/documents/multiple/add/",
        "/admin/snippets/",
        "/admin/snippets/research/author/",
        "/admin/snippets/research/author/add/",
        f"/admin/snippets/research/author/edit/{objects['author'].pk}/",
        "/admin/research/authors/new/",  # the author form behind the study editor's author chooser
        "/admin/product-lines/",
        f"/admin/product-lines/edit/{objects['product_line'].pk}/",
        "/admin/settings/portal/associationsettings/",
        "/admin/reports/locked/",
        "/admin/reports/aging-pages/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/site-history/",
        "/admin/reports/page-types-usage/",
        "/admin/workflows/list/",
        "/admin/workflows/tasks/index/",
        "/admin/survey_rounds/",
        "/admin/survey_rounds/new/",  # says which questionnaire it copies
        f"/admin/survey_rounds/edit/{objects['survey_round'].pk}/",
        f"/admin/survey_questions/new/?round={objects['survey_round'].pk}",
        f"/admin/survey_questions/edit/{objects['locked_question'].pk}/",  # read-only
        "/admin/snippets/emails/emailtemplate/",
        f"/admin/snippets/emails/emailtemplate/edit/{objects['email_template'].pk}/",
        f"/admin/snippets/emails/emailtemplate/preview/{objects['email_template'].pk}/?mode=es",
        "/admin/users/",
        "/admin/account/",
    ]


def test_the_admin_pages_staff_use_show_no_english(editor_client, admin_objects):
    patterns = _untranslated_patterns()
    english = {}
    for url in admin_urls(admin_objects):
        response = editor_client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="es")
        assert response.status_code == 200, url
        assert [target for target, _status in response.redirect_chain if not target.startswith(url)] == [], url
        body = response.content.decode()
        if response["Content-Type"].startswith("application/json"):  # choosers and dialogs load as JSON
            body = json.loads(body)["html"]
        found = english_on(visible_texts(body), patterns)
        if found:
            english[url] = found
    assert english == {}


def test_the_crawl_would_name_english_left_on_a_page():
    """The detector itself: Wagtail's untranslated and mistyped phrases are caught, Spanish is not."""
    patterns = _untranslated_patterns()
    html = (
        '<button aria-label="Toggle checks"></button><p>Why not <a href="#">upload one now</a>?</p>'
        "<p>Añadir etiquedas a 1 imagen</p><p>Guardar borrador</p>"
    )
    assert english_on(visible_texts(html), patterns) == ["'upload one now'", "'Toggle checks'", "'etiqueda'"]
    assert english_on(visible_texts("<p>Programar la publicación</p><p>0 referencias</p>"), patterns) == []


def test_every_message_of_the_installed_wagtail_apps_has_spanish():
    """Also the pages the crawl does not reach (moderation e-mails, API tokens, import errors)."""
    catalogues = [Path(app.path) / "locale" / "en" / "LC_MESSAGES" / "django.po" for app in apps.get_app_configs()]
    msgids = {
        msgid
        for catalogue in catalogues
        if "wagtail" in str(catalogue) and catalogue.exists()
        for msgid in _msgids(catalogue)
    }
    assert len(msgids) > 1500
    with translation.override("es"):
        untranslated = sorted(msgid for msgid in msgids - SAME_IN_SPANISH if translation.gettext(msgid) == msgid)
    assert untranslated == []


def test_the_admin_scripts_have_spanish_for_every_wagtail_message(staff_client):
    """Dialogs drawn by Wagtail's JavaScript (the block picker's "Search options…") use /admin/jsi18n/."""
    script = staff_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    missing = sorted(set(_wagtail_msgids("djangojs")) - set(catalog) - SAME_IN_SPANISH)
    assert missing == []
    assert catalog["Search options…"] == "Buscar opciones…"


def test_a_saved_item_is_announced_without_a_wrong_gender(editor_client, admin_objects):
    """Wagtail says "El %(model_name)s …actualizado" for every model; "línea de productos" is feminine."""
    product_line = admin_objects["product_line"]
    response = editor_client.post(
        f"/admin/product-lines/edit/{product_line.pk}/",
        {"code": "savings", "name_es": "Ahorro programado", "name_en": "Savings"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="es",
    )
    messages = [visible_texts(str(message))[0] for message in response.context["messages"]]  # then its "Editar"
    assert messages == ["Se actualizó línea de producto «Ahorro programado»."]


def test_every_page_in_the_tree_keeps_its_admin_in_spanish(editor_client, admin_objects):
    """The explorer's count line ("1-2 of 2 pages") was English on every listing."""
    index = admin_objects["index"]
    body = editor_client.get(f"/admin/pages/{index.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    children = Page.objects.child_of(index).count()
    texts = " ".join(visible_texts(body))
    assert re.search(rf"\b1-{children} de {children} página", texts), texts
