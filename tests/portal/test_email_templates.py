"""E-mail texts staff edit in both languages (portal.emails): what members receive, the rules a
text must follow, the preview, and who may edit them."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from pilots.reporting import services as reporting
from pilots.reporting.tasks import send_report_reminder_email
from portal.accounts.apps import STAFF_GROUP, ensure_staff_group
from portal.emails import registry
from portal.emails.models import EmailTemplate
from portal.emails.rendering import PlaceholderError, default_texts, fill, render_texts
from portal.emails.selectors import render_email
from portal.emails.services import email_template_update, email_templates_ensure
from surveys.models import QuestionType
from surveys.tasks import send_invitation_email, send_receipt_email
from tests.factories import DonorFactory, MemberInstitutionFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import InnovationFactory, ParticipationFactory
from tests.surveys.factories import InvitationFactory, QuestionFactory, RoundFactory, choice_question

ADMIN = "/admin/snippets/emails/emailtemplate/"

SPANISH_INVITATION = {
    "subject_es": "Encuesta {round}: {institution}, les esperamos",
    "body_es": "Hola, {institution}.\n\nLa encuesta cierra el {closes_on}. Respondan aquí:\n{link}\n",
}
ENGLISH_INVITATION = {
    "subject_en": "Survey {round} for {institution}",
    "body_en": "Hello {institution},\n\nThe survey closes on {closes_on}. Answer here:\n{link}\n",
}
BLANK = {"subject_es": "", "body_es": "", "subject_en": "", "body_en": ""}


@pytest.fixture(autouse=True)
def english():
    """Admin messages are asserted in English (the source language); e-mails are in each
    institution's own language whatever the active one."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff_client(client, staff_user):
    """Staff whose admin speaks English (the admin's default is Spanish): messages asserted in English."""
    profile = UserProfile.get_for_user(staff_user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(staff_user)
    return client


@pytest.fixture
def survey_round(db):
    return RoundFactory(year=2026, semester=1, opens_on=datetime.date(2026, 4, 1), closes_on=datetime.date(2026, 4, 30))


def invitation_for(survey_round, *, language: str, name: str = "Cooperativa Andina"):
    institution = MemberInstitutionFactory(name=name, language=language, contact_email="encuesta@andina.example.org")
    return InvitationFactory(round=survey_round, institution=institution)


def template(key: str, user, **texts) -> EmailTemplate:
    email_templates_ensure()
    return email_template_update(template=EmailTemplate.objects.get(key=key), user=user, **(BLANK | texts))


def refusal(key: str, user, **texts) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        template(key, user, **texts)
    return caught.value.message_dict


# --- What members receive ----------------------------------------------------------------------


def test_without_an_edited_text_the_default_file_template_is_sent(survey_round, mailoutbox):
    invitation = invitation_for(survey_round, language="en", name="Andean Savings & Loans")
    send_invitation_email.enqueue(invitation_id=invitation.pk)
    assert EmailTemplate.objects.count() == 0
    [message] = mailoutbox
    assert message.subject == "Demand survey 2026-S1: your institution's invitation"
    assert message.body.startswith("Dear colleagues of Andean Savings & Loans,\n\n")  # no &amp;
    assert "It is open from April 1, 2026 to April 30, 2026." in message.body
    assert f"/surveys/respond/{invitation.token}/" in message.body


def test_an_edited_spanish_text_is_what_a_spanish_speaking_institution_receives(survey_round, staff_user, mailoutbox):
    template("survey-invitation", staff_user, **SPANISH_INVITATION)
    spanish = invitation_for(survey_round, language="es")
    english = invitation_for(survey_round, language="en", name="Andean Savings")
    send_invitation_email.enqueue(invitation_id=spanish.pk)
    send_invitation_email.enqueue(invitation_id=english.pk)
    to_spanish, to_english = mailoutbox
    assert to_spanish.subject == "Encuesta 2026-S1: Cooperativa Andina, les esperamos"
    assert to_spanish.body == (
        "Hola, Cooperativa Andina.\n\nLa encuesta cierra el 30 de abril de 2026. Respondan aquí:\n"
        f"http://testserver/surveys/respond/{spanish.token}/\n"
    )
    # English was not edited: the English institution still gets the default text
    assert to_english.subject == "Demand survey 2026-S1: your institution's invitation"


def test_an_edited_english_text_is_what_an_english_speaking_institution_receives(survey_round, staff_user, mailoutbox):
    template("survey-invitation", staff_user, **SPANISH_INVITATION, **ENGLISH_INVITATION)
    invitation = invitation_for(survey_round, language="en", name="Andean Savings")
    send_invitation_email.enqueue(invitation_id=invitation.pk)
    [message] = mailoutbox
    assert message.subject == "Survey 2026-S1 for Andean Savings"
    assert message.body == (
        "Hello Andean Savings,\n\nThe survey closes on April 30, 2026. Answer here:\n"
        f"http://testserver/en/surveys/respond/{invitation.token}/\n"
    )


def test_a_reminder_has_its_own_text(survey_round, staff_user, mailoutbox):
    template("survey-invitation", staff_user, **SPANISH_INVITATION)
    template("survey-reminder", staff_user, subject_es="Recordatorio {round}", body_es="Aún esperamos: {link}\n")
    invitation = invitation_for(survey_round, language="es")
    send_invitation_email.enqueue(invitation_id=invitation.pk, reminder=True, reminder_number=1)
    [message] = mailoutbox
    assert (message.subject, message.body.split(":")[0]) == ("Recordatorio 2026-S1", "Aún esperamos")


def test_the_receipt_lists_question_labels_in_the_institutions_language_not_codes(survey_round, mailoutbox):
    plans = choice_question(survey_round, "plans", QuestionType.SINGLE, ["yes", "no"], position=1)
    clients = QuestionFactory(round=survey_round, code="clients", kind=QuestionType.NUMBER, position=2, unit="clientes")
    for question, spanish, english in (
        (plans, "¿Planea un producto nuevo?", "Do you plan a new product?"),
        (clients, "¿Cuántos clientes atiende?", "How many clients do you serve?"),
    ):
        question.label_es, question.label_en = spanish, english
        question.save()
    for language in ("es", "en"):
        invitation = invitation_for(survey_round, language=language, name=f"IMF {language}")
        invitation.answers.create(question=plans, value="yes")
        invitation.answers.create(question=clients, value=48825)
        invitation.status, invitation.submitted_at = "submitted", timezone.now()
        invitation.save()
        send_receipt_email.enqueue(invitation_id=invitation.pk)
    to_spanish, to_english = mailoutbox
    lines = [line.strip() for line in to_spanish.body.splitlines()]
    assert "¿Planea un producto nuevo?" in lines and "¿Cuántos clientes atiende?" in lines
    assert "48.825 clientes" in lines
    assert "plans" not in lines and "clients" not in lines
    lines = [line.strip() for line in to_english.body.splitlines()]
    assert "Do you plan a new product?" in lines and "How many clients do you serve?" in lines


def test_an_edited_receipt_places_the_answers_where_staff_put_them(survey_round, staff_user, mailoutbox):
    question = QuestionFactory(round=survey_round, code="comments", label_es="¿Algún comentario?", position=1)
    template(
        "survey-receipt",
        staff_user,
        subject_es="Recibimos sus respuestas ({receipt_number})",
        body_es="Gracias, {institution}. Sus respuestas:\n\n{answers}\n\nUn saludo.\n",
    )
    invitation = invitation_for(survey_round, language="es")
    invitation.answers.create(question=question, value="Todo bien")
    invitation.status, invitation.submitted_at = "submitted", timezone.now()
    invitation.save()
    send_receipt_email.enqueue(invitation_id=invitation.pk)
    [message] = mailoutbox
    assert message.subject == f"Recibimos sus respuestas ({invitation.receipt_number})"
    assert (
        message.body
        == "Gracias, Cooperativa Andina. Sus respuestas:\n\n¿Algún comentario?\n  Todo bien\n\nUn saludo.\n"
    )


def test_an_edited_report_reminder_reaches_the_mfi(staff_user, mailoutbox):
    institution = MemberInstitutionFactory(name="Cooperativa Andina", language="es", contact_email="imf@example.org")
    innovation = InnovationFactory(slug="micro-insurance", started_on=datetime.date(2020, 1, 1))
    reporting.reporting_plan_save(
        innovation=innovation,
        user=staff_user,
        frequency="monthly",
        first_period=datetime.date(2021, 1, 1),
        last_period=datetime.date(2021, 6, 1),
        days_to_report=10,
    )
    participation = ParticipationFactory(innovation=innovation, institution=institution)
    template(
        "report-reminder",
        staff_user,
        subject_es="Falta su reporte de {period}",
        body_es="{institution}: complete el reporte de {period} aquí: {link}\n",
    )
    send_report_reminder_email.enqueue(participation_id=participation.pk, period_start="2021-01-01")
    [message] = mailoutbox
    assert message.subject == "Falta su reporte de enero de 2021"
    assert message.body.startswith("Cooperativa Andina: complete el reporte de enero de 2021 aquí: http://testserver/")


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("key", [kind.key for kind in registry.kinds()])
def test_the_text_staff_start_from_sends_exactly_the_default_e_mail(db, key, language):
    """The edit form's starting text (the default file template with its placeholders) renders
    to the same e-mail as the file template itself, for every registered e-mail."""
    kind = registry.get(key)
    subject, body = default_texts(kind=kind, language=language)
    assert "{link}" in body and "\x00" not in body + subject
    default = render_texts(kind=kind, language=language, subject="", body="", values=kind.samples())
    edited = render_texts(kind=kind, language=language, subject=subject, body=body, values=kind.samples())
    assert (edited[0], edited[1].rstrip()) == (default[0], default[1].rstrip())  # up to trailing blank lines
    assert "{" not in default[0] + default[1]


# --- The rules a text follows ------------------------------------------------------------------


def test_an_unknown_placeholder_is_refused_with_its_name(staff_user):
    errors = refusal("survey-invitation", staff_user, subject_es="Encuesta {ronda}", body_es="{link}")
    assert errors == {
        "subject_es": [
            "Unknown placeholder {ronda}. This e-mail can use: {institution}, {round}, {opens_on}, {closes_on}, {link}."
        ]
    }


def test_an_invitation_must_keep_the_personal_link(staff_user):
    errors = refusal("survey-invitation", staff_user, subject_en="Survey {round}", body_en="Please answer soon.")
    assert errors == {
        "body_en": [
            "The text must contain {link}: The institution's personal link to its questionnaire (no sign-in needed)."
        ]
    }


@pytest.mark.parametrize(
    "written",
    ["{institution.__class__}", "{institution.__class__.__mro__}", "{link[0]}", "{link!r}", "{closes_on:%Y}", "{0}"],
)
def test_a_text_cannot_reach_attributes_indexes_or_formats(staff_user, written):
    errors = refusal("survey-invitation", staff_user, subject_es="Encuesta", body_es=f"{written} {{link}}")
    assert list(errors) == ["body_es"] and len(errors["body_es"]) == 1
    assert errors["body_es"][0].startswith(f"Unknown placeholder {written}. This e-mail can use: {{institution}}")
    with pytest.raises(PlaceholderError):
        fill(written, {"institution": "Cooperativa Andina", "link": "x", "closes_on": "30"})


def test_a_value_is_never_read_as_a_placeholder():
    assert fill("Hola {institution}: {link}", {"institution": "IMF {link}", "link": "x"}) == "Hola IMF {link}: x"


def test_braces_must_balance_and_doubled_braces_are_literal(staff_user):
    for text in ("Hola {institution", "Hola institution}", "Hola {}"):
        errors = refusal("survey-invitation", staff_user, subject_es=text, body_es="{link}")
        assert list(errors) == ["subject_es"]
        assert "brace" in errors["subject_es"][0]
    saved = template("survey-invitation", staff_user, subject_es="{{Encuesta}} {round}", body_es="{link}")
    kind = registry.get("survey-invitation")
    values = kind.samples() | {"round": "2026-S1"}
    assert render_email(key=saved.key, language="es", values=values)[0] == "{Encuesta} 2026-S1"


def test_a_language_is_edited_whole_and_a_block_of_lines_stays_out_of_the_subject(staff_user):
    assert refusal("survey-invitation", staff_user, subject_es="Encuesta {round}") == {
        "body_es": ["Write both the subject and the text in this language, or leave both empty."]
    }
    errors = refusal("survey-receipt", staff_user, subject_en="Your answers: {answers}", body_en="{answers}")
    assert errors == {"subject_en": ["{answers} has several lines: it can go in the text, not in the subject."]}


def test_a_language_left_as_the_default_text_keeps_following_the_default(staff_client, staff_user):
    """The edit form starts from the default text; saving it unchanged stores nothing for it."""
    email_templates_ensure()
    row = EmailTemplate.objects.get(key="survey-invitation")
    form = BeautifulSoup(staff_client.get(f"{ADMIN}edit/{row.pk}/").content, "html.parser")
    body_en = form.find("textarea", attrs={"name": "body_en"}).text.lstrip("\n")
    assert body_en.startswith("Dear colleagues of {institution},") and "{link}" in body_en
    data = {
        field: (form.find(attrs={"name": field}).get("value") or form.find(attrs={"name": field}).text.lstrip("\n"))
        for field in ("subject_es", "body_es", "subject_en", "body_en")
    }
    data["subject_es"] = "Encuesta {round}"
    response = staff_client.post(f"{ADMIN}edit/{row.pk}/", data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.subject_es, row.subject_en, row.body_en) == ("Encuesta {round}", "", "")
    assert row.is_edited("es") and not row.is_edited("en")
    assert row.updated_by == staff_user and row.updated_at is not None


def test_only_staff_may_save_a_text(db, member_user):
    email_templates_ensure()
    with pytest.raises(PermissionDenied):
        email_template_update(
            template=EmailTemplate.objects.get(key="survey-invitation"),
            user=member_user,
            **SPANISH_INVITATION | {"subject_en": "", "body_en": ""},
        )


# --- The admin -----------------------------------------------------------------------------------


def test_staff_see_one_row_per_e_mail_the_portal_sends(staff_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):  # the first visit creates the rows
        assert staff_client.get(ADMIN).status_code == 200
    assert EmailTemplate.objects.count() == len(registry.kinds()) == 7
    template(
        "survey-invitation", StaffFactory(username="ana", first_name="Ana", last_name="Ruiz"), **SPANISH_INVITATION
    )
    template("survey-reminder", StaffFactory(username="bea"), subject_en="Reminder {round}", body_en="{link}")
    with django_assert_max_num_queries(11):  # whoever edited each row: no query per row
        response = staff_client.get(ADMIN)
    rows = BeautifulSoup(response.content, "html.parser").select("tbody tr")
    texts = [" ".join(row.get_text(" ").split()) for row in rows]
    assert len(rows) == 7
    assert texts[0].startswith("Survey invitation") and "Edited Default text" in texts[0] and "Ana Ruiz" in texts[0]
    assert texts[1].startswith("Survey reminder") and "Default text Edited" in texts[1] and "bea" in texts[1]
    assert texts[2].startswith("Survey receipt") and "Default text Default text —" in texts[2]
    assert rows[0].find("a")["href"] == f"{ADMIN}edit/{EmailTemplate.objects.get(key='survey-invitation').pk}/"


def test_the_edit_form_lists_the_placeholders_and_shows_the_services_refusal(staff_client):
    email_templates_ensure()
    row = EmailTemplate.objects.get(key="survey-invitation")
    page = staff_client.get(f"{ADMIN}edit/{row.pk}/").content.decode()
    for placeholder in ("{institution}", "{round}", "{opens_on}", "{closes_on}", "{link}"):
        assert f"<code>{placeholder}</code>" in page
    assert "The day the survey closes." in page
    response = staff_client.post(
        f"{ADMIN}edit/{row.pk}/", BLANK | {"subject_es": "Encuesta {ronda}", "body_es": "Sin enlace"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown placeholder {ronda}." in page
    assert "The text must contain {link}" in page
    row.refresh_from_db()
    assert not row.is_edited("es")


def test_the_preview_shows_both_languages_with_sample_values(staff_client):
    email_templates_ensure()
    row = EmailTemplate.objects.get(key="survey-invitation")
    preview = f"{ADMIN}preview/{row.pk}/"
    response = staff_client.post(preview, BLANK | SPANISH_INVITATION)
    assert response.json() == {"is_valid": True, "is_available": True}
    spanish = BeautifulSoup(staff_client.get(preview, {"mode": "es"}).content, "html.parser")
    assert spanish.select_one("[data-email-subject]").text == "Encuesta 2026-S1: Cooperativa San José, les esperamos"
    body = spanish.select_one("[data-email-body]").text
    assert "La encuesta cierra el 30 de abril de 2026." in body
    assert re.search(r"http://testserver/surveys/respond/\w+/", body)
    english = BeautifulSoup(staff_client.get(preview, {"mode": "en"}).content, "html.parser")
    assert english.select_one("[data-email-subject]").text == "Demand survey 2026-S1: your institution's invitation"
    assert "It is open from April 1, 2026 to April 30, 2026." in english.select_one("[data-email-body]").text
    assert "usa el texto predeterminado del portal" in english.text  # the admin speaks Spanish around it
    row.refresh_from_db()
    assert not row.is_edited("es"), "a preview saves nothing"


def test_a_text_with_an_unknown_placeholder_has_no_preview(staff_client):
    email_templates_ensure()
    row = EmailTemplate.objects.get(key="survey-invitation")
    response = staff_client.post(f"{ADMIN}preview/{row.pk}/", BLANK | {"subject_es": "{x}", "body_es": "{link}"})
    assert response.json()["is_valid"] is False


@pytest.mark.parametrize("role", ["member", "donor", "admin_user_not_staff"])
def test_only_association_staff_reach_the_e_mail_templates(client, db, role):
    users = {"member": MemberUserFactory, "donor": DonorFactory, "admin_user_not_staff": _admin_member}
    client.force_login(users[role]())
    email_templates_ensure()
    row = EmailTemplate.objects.get(key="survey-invitation")
    for url in (ADMIN, f"{ADMIN}edit/{row.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Dear colleagues" not in response.content.decode()
    response = client.post(f"{ADMIN}edit/{row.pk}/", BLANK | SPANISH_INVITATION)
    assert response.status_code in (302, 403)
    response = client.post(f"{ADMIN}preview/{row.pk}/", BLANK | SPANISH_INVITATION)
    assert response.status_code in (302, 403)
    row.refresh_from_db()
    assert not row.is_edited("es")


def _admin_member():
    """A member institution's user who reached the Wagtail admin (is_staff, and the staff group
    by mistake): Wagtail permissions do not make them association staff."""
    user = MemberUserFactory(is_staff=True)
    ensure_staff_group()
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user
