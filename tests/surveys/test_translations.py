"""The survey speaks Spanish by default and its Spanish catalogue is complete."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from surveys.answers import validate_all

from .conftest import full_answers

CATALOGUE = Path(settings.BASE_DIR) / "surveys" / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[str]:
    """The .po file's entries after the header, as blocks of lines."""
    return [block for block in text.split("\n\n")[1:] if "msgid" in block]


def test_every_message_has_a_spanish_translation():
    entries = _entries(CATALOGUE.read_text(encoding="utf-8"))
    assert len(entries) > 200
    assert [entry for entry in entries if "#, fuzzy" in entry] == []
    empty = []
    for entry in entries:
        # An empty translation is `msgstr ""` (or `msgstr[n] ""`) with no continuation line.
        lines = entry.strip().splitlines()
        for index, line in enumerate(lines):
            if line.startswith("msgstr") and line.endswith('""'):
                continued = index + 1 < len(lines) and lines[index + 1].startswith('"')
                if not continued:
                    empty.append(entry)
    assert empty == []


def test_the_questionnaire_is_in_spanish_by_default(client, invitation, questionnaire):
    page = client.get(f"/surveys/respond/{invitation.token}/").content.decode()
    assert "Enviar respuestas" in page
    assert "Sus respuestas se guardan en el servidor mientras escribe" in page


def test_validation_messages_are_translated(questionnaire):
    values = full_answers(questionnaire) | {questionnaire["women"].pk: "140"}
    with translation.override("es"):
        _cleaned, errors = validate_all(list(questionnaire.values()), values)
    assert errors == {questionnaire["women"].field_name: ["Introduzca un número igual o menor que 100."]}
