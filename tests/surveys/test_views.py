"""The survey's pages through the test client, as each role (English URLs: /en/surveys/...)."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from surveys import services
from surveys.models import InvitationEvent, QuestionType, ResponseStatus
from tests.factories import DonorFactory, MemberInstitutionFactory, MemberUserFactory

from .conftest import as_post, full_answers
from .factories import InvitationFactory, OptionFactory, QuestionFactory, RoundFactory, submitted_response, today

DAY = datetime.timedelta(days=1)


def respond_url(invitation):
    return reverse("surveys:respond", kwargs={"token": invitation.token})


def autosave_url(invitation):
    return reverse("surveys:autosave", kwargs={"token": invitation.token})


def text(response) -> str:
    return response.content.decode()


class TestPersonalLink:
    def test_opens_the_questionnaire_of_its_institution(self, client, invitation, questionnaire):
        response = client.get(respond_url(invitation))
        assert response.status_code == 200
        assert invitation.institution.name in text(response)
        assert questionnaire["rank"].label_en in text(response)
        assert 'name="version" value="0"' in text(response)

    def test_spanish_is_the_default_language(self, client, invitation, questionnaire):
        response = client.get(f"/surveys/respond/{invitation.token}/")
        assert response.status_code == 200
        assert questionnaire["rank"].label_es in text(response)

    def test_an_unknown_token_is_a_clear_404(self, client, db):
        response = client.get(reverse("surveys:respond", kwargs={"token": "not-a-real-token"}))
        assert response.status_code == 404
        assert "This survey link is not valid" in text(response)

    def test_another_members_token_is_refused(self, client, invitation, other_member):
        client.force_login(other_member)
        response = client.get(respond_url(invitation))
        assert response.status_code == 403
        assert "This link belongs to another member institution" in text(response)
        response = client.post(autosave_url(invitation), {"version": "0"})
        assert response.status_code == 403
        assert not invitation.answers.exists()

    def test_autosave_keeps_the_draft_and_the_page_shows_it_again(self, client, invitation, questionnaire):
        response = client.post(autosave_url(invitation), {"version": "0", f"q-{questionnaire['clients'].pk}": "75"})
        assert response.status_code == 200
        assert response.json()["ok"] is True and response.json()["version"] == 1
        # Another device (a fresh client) with the same link finds the answer.
        page = text(type(client)().get(respond_url(invitation)))
        assert 'value="75"' in page
        assert 'name="version" value="1"' in page

    def test_autosave_with_a_stale_version_reports_the_conflict(self, client, invitation, questionnaire):
        field = f"q-{questionnaire['clients'].pk}"
        client.post(autosave_url(invitation), {"version": "0", field: "75"})
        response = client.post(autosave_url(invitation), {"version": "0", field: "99"})
        assert response.status_code == 409
        assert response.json()["code"] == "conflict"
        assert "changed these answers" in response.json()["error"]
        assert invitation.answers.get(question=questionnaire["clients"]).value == 75  # drafts keep numbers as numbers

    def test_a_stale_form_post_shows_the_conflict_and_what_was_not_saved(self, client, invitation, questionnaire):
        client.post(autosave_url(invitation), {"version": "0", f"q-{questionnaire['clients'].pk}": "75"})
        response = client.post(
            respond_url(invitation), {"version": "0", "action": "save", f"q-{questionnaire['clients'].pk}": "99"}
        )
        assert response.status_code == 409
        assert "Conflict" in text(response)
        assert "99" in text(response)  # listed among the answers not saved
        assert 'value="75"' in text(response)  # the form shows what is stored

    def test_a_forged_question_id_is_refused(self, client, invitation, questionnaire):
        foreign = QuestionFactory(round=RoundFactory(), kind=QuestionType.TEXT)
        response = client.post(respond_url(invitation), {"version": "0", "action": "save", f"q-{foreign.pk}": "hi"})
        assert response.status_code == 400
        assert "not part of this survey round" in text(response)
        response = client.post(autosave_url(invitation), {"version": "0", f"q-{foreign.pk}": "hi"})
        assert response.status_code == 400 and response.json()["code"] == "unknown_question"

    def test_a_bad_version_is_a_400_not_a_500(self, client, invitation, questionnaire):
        assert client.post(respond_url(invitation), {"version": "x", "action": "save"}).status_code == 400
        assert client.post(autosave_url(invitation), {}).status_code == 400

    def test_submit_shows_each_error_next_to_its_question_then_the_receipt(self, client, invitation, questionnaire):
        values = full_answers(questionnaire) | {questionnaire["women"].pk: "140"}
        response = client.post(respond_url(invitation), as_post(values, 0))
        assert response.status_code == 200
        page = text(response)
        women_block = page.split(f'id="wrap-q-{questionnaire["women"].pk}"')[1].split("</fieldset>")[0]
        assert "Enter a number of at most 100." in women_block
        assert (
            "Enter a number" not in page.split(f'id="wrap-q-{questionnaire["clients"].pk}"')[1].split("</fieldset>")[0]
        )
        assert 'value="140"' in women_block  # what the member typed is kept
        invitation.refresh_from_db()
        assert invitation.status == ResponseStatus.DRAFT

        values[questionnaire["women"].pk] = "40"
        response = client.post(respond_url(invitation), as_post(values, invitation.version), follow=True)
        page = text(response)
        assert "Receipt" in page
        invitation.refresh_from_db()
        assert invitation.status == ResponseStatus.SUBMITTED
        assert invitation.receipt_number in page
        assert "<form" not in page.split('id="main"')[1].split("</main>")[0].replace(
            '<form method="post" action="/en/accounts/logout/"', ""
        )
        assert len(mail.outbox) == 1 and invitation.receipt_number in mail.outbox[0].subject

    def test_a_reused_submission_is_refused(self, client, invitation, questionnaire):
        client.post(respond_url(invitation), as_post(full_answers(questionnaire), 0))
        invitation.refresh_from_db()
        response = client.post(respond_url(invitation), as_post(full_answers(questionnaire), invitation.version))
        assert response.status_code == 409
        assert "were submitted on" in text(response)
        response = client.post(autosave_url(invitation), {"version": str(invitation.version)})
        assert response.status_code == 403 and response.json()["code"] == "submitted"

    def test_a_closed_round_is_read_only(self, client, invitation, questionnaire):
        survey_round = invitation.round
        survey_round.opens_on, survey_round.closes_on = today() - 30 * DAY, today() - DAY
        survey_round.save()
        response = client.get(respond_url(invitation))
        assert response.status_code == 200
        assert "closed on" in text(response)
        assert 'id="survey-form"' not in text(response)
        response = client.post(respond_url(invitation), as_post(full_answers(questionnaire), 0))
        assert response.status_code == 403
        assert "closed on" in text(response)

    def test_staff_may_read_but_not_answer_through_a_link(self, staff_client, invitation, questionnaire):
        assert staff_client.get(respond_url(invitation)).status_code == 200
        response = staff_client.post(respond_url(invitation), as_post(full_answers(questionnaire), 0))
        assert response.status_code == 403
        assert not invitation.answers.exists()


class TestSignedInMember:
    def test_a_member_answers_its_own_institutions_invitation(
        self, client, invitation, questionnaire, institution_member
    ):
        client.force_login(institution_member)
        url = reverse("surveys:member_answer", kwargs={"pk": invitation.round_id})
        assert client.get(url).status_code == 200
        response = client.post(url, as_post(full_answers(questionnaire), 0))
        assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.status == ResponseStatus.SUBMITTED and invitation.submitted_by == institution_member

    def test_a_member_not_invited_gets_a_clear_message(self, client, invitation, other_member):
        client.force_login(other_member)
        response = client.get(reverse("surveys:member_answer", kwargs={"pk": invitation.round_id}))
        assert response.status_code == 404
        assert "Your institution was not invited to this survey round." in text(response)

    def test_the_home_page_lists_only_its_institutions_rounds(
        self, client, invitation, institution_member, other_member
    ):
        InvitationFactory(round=RoundFactory(), institution=other_member.institution)
        client.force_login(institution_member)
        page = text(client.get(reverse("surveys:home")))
        assert invitation.round.code in page
        assert reverse("surveys:member_answer", kwargs={"pk": invitation.round_id}) in page
        assert "Otra IMF" not in page

    def test_compares_its_answers_with_the_network_once_closed(self, client, db):
        past = RoundFactory(opens_on=today() - 60 * DAY, closes_on=today() - 30 * DAY)
        pick = QuestionFactory(round=past, code="pick", kind=QuestionType.SINGLE)
        for code in ["a", "b"]:
            OptionFactory(question=pick, code=code, label_en=f"Option {code.upper()}")
        mine = submitted_response(past, {"pick": "a"})
        for value in ["a", "b", "b"]:
            submitted_response(past, {"pick": value})
        member = MemberUserFactory(institution=mine.institution)
        client.force_login(member)
        response = client.get(reverse("surveys:compare", kwargs={"pk": past.pk}))
        page = text(response)
        assert response.status_code == 200
        assert "Share of the network choosing each option (4 institutions)" in page
        assert '<td class="num">50.0</td>' in page  # A: 2 of 4, B: 2 of 4
        assert "Option A" in page

    def test_the_network_aggregate_is_hidden_below_three_respondents(self, client, db):
        past = RoundFactory(opens_on=today() - 60 * DAY, closes_on=today() - 30 * DAY)
        pick = QuestionFactory(round=past, code="pick", kind=QuestionType.SINGLE)
        OptionFactory(question=pick, code="a")
        mine = submitted_response(past, {"pick": "a"})
        submitted_response(past, {"pick": "a"})
        client.force_login(MemberUserFactory(institution=mine.institution))
        page = text(client.get(reverse("surveys:compare", kwargs={"pk": past.pk})))
        assert "fewer than 3 institutions answered" in page


STAFF_PAGES = ["status", "results", "export_csv", "invitation", "trends"]


def staff_url(name, invitation):
    if name == "export_csv":
        return reverse("surveys:export", kwargs={"pk": invitation.round_id, "fmt": "csv"})
    if name == "invitation":
        return reverse("surveys:invitation", kwargs={"pk": invitation.pk})
    if name == "trends":
        return reverse("surveys:trends")
    return reverse(f"surveys:{name}", kwargs={"pk": invitation.round_id})


class TestStaffPagePermissions:
    @pytest.mark.parametrize("name", STAFF_PAGES)
    def test_anonymous_visitors_are_sent_to_log_in(self, client, invitation, name):
        response = client.get(staff_url(name, invitation))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    @pytest.mark.parametrize("name", STAFF_PAGES)
    def test_members_and_donors_are_refused(self, client, invitation, institution_member, name):
        for user in (institution_member, DonorFactory()):
            client.force_login(user)
            response = client.get(staff_url(name, invitation))
            assert response.status_code == 403
            assert "Only association staff can see this page." in text(response)

    @pytest.mark.parametrize("name", STAFF_PAGES)
    def test_staff_see_them(self, staff_client, invitation, name):
        assert staff_client.get(staff_url(name, invitation)).status_code == 200

    def test_members_cannot_invite_remind_or_reopen(self, client, invitation, institution_member):
        client.force_login(institution_member)
        for name in ("invite", "remind"):
            assert client.post(reverse(f"surveys:{name}", kwargs={"pk": invitation.round_id})).status_code == 403
        assert (
            client.post(reverse("surveys:invitation", kwargs={"pk": invitation.pk}), {"reason": "x"}).status_code == 403
        )
        assert len(mail.outbox) == 0


class TestStaffActions:
    def test_status_shows_who_has_answered_and_the_rate(self, staff_client, invitation, questionnaire):
        submitted_response(invitation.round, {"plans": "no"})
        page = text(staff_client.get(staff_url("status", invitation)))
        assert invitation.institution.name in page
        assert 'data-rate="50.0"' in page
        assert "Not started" in page and "Submitted" in page

    def test_status_filters_by_status(self, staff_client, invitation, questionnaire):
        done = submitted_response(invitation.round, {"plans": "no"})
        page = text(staff_client.get(staff_url("status", invitation), {"status": "submitted"}))
        assert done.institution.name in page
        assert f">{invitation.institution.name}<" not in page

    def test_the_country_filter_offers_only_the_countries_of_the_invited_institutions(self, staff_client, invitation):
        for country in ("PE", "PE", "NI"):
            InvitationFactory(round=invitation.round, institution=MemberInstitutionFactory(country=country))
        InvitationFactory(institution=MemberInstitutionFactory(country="BO"))  # another round's
        with translation.override("es"):
            url = staff_url("status", invitation)
        page = text(staff_client.get(url))
        menu = re.search(r'<select name="country"[^>]*>(.*?)</select>', page, re.S).group(1)
        offered = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', menu)
        assert offered[1:] == [("EC", "Ecuador"), ("NI", "Nicaragua"), ("PE", "Perú")]  # by name, in Spanish
        assert offered[0][0] == ""  # and "any country"
        filtered = text(staff_client.get(url, {"country": "NI"}))
        assert f">{invitation.institution.name}<" not in filtered

    def test_reminders_sent_are_counted_in_words_that_agree(self, staff_client, survey_round):
        for email in ("a@example.org", "b@example.org"):
            InvitationFactory(round=survey_round, institution=MemberInstitutionFactory(contact_email=email))
        with translation.override("en"):
            url = reverse("surveys:remind", kwargs={"pk": survey_round.pk})
        assert "2 reminders sent." in text(staff_client.post(url, follow=True))
        one = survey_round.invitations.order_by("pk").first()
        assert "1 reminder sent." in text(staff_client.post(url, {"invitation": str(one.pk)}, follow=True))

    def test_invite_and_remind_send_e_mails(self, staff_client, survey_round):
        institution = MemberInstitutionFactory(contact_email="x@example.org")
        url = reverse("surveys:invite", kwargs={"pk": survey_round.pk})
        staff_client.post(url, {"who": "all", "institution": [institution.pk]})
        staff_client.post(reverse("surveys:remind", kwargs={"pk": survey_round.pk}))
        assert [message.to for message in mail.outbox] == [["x@example.org"], ["x@example.org"]]

    def test_invite_all_says_who_has_no_e_mail_and_what_to_do(self, staff_client, survey_round):
        with_email = MemberInstitutionFactory(name="Con correo", contact_email="x@example.org")
        without = [
            MemberInstitutionFactory(name="Cooperativa Sin Correo", contact_email=""),
            MemberInstitutionFactory(name="ONG Sin Correo", contact_email=""),
        ]
        url = reverse("surveys:invite", kwargs={"pk": survey_round.pk})
        page = text(staff_client.get(url))
        assert "2 institutions have no contact e-mail" in page
        assert "Cooperativa Sin Correo" in page and "ONG Sin Correo" in page
        assert reverse("member-institutions:edit", args=[without[0].pk]) in page
        assert mail.outbox == [] and not survey_round.invitations.exists()  # a preview only
        ids = [with_email.pk] + [institution.pk for institution in without]
        staff_client.post(url, {"who": "all", "institution": ids})
        assert [message.to for message in mail.outbox] == [["x@example.org"]]
        assert survey_round.invitations.count() == 3

    def test_reopen_with_a_reason(self, staff_client, staff_user, invitation, questionnaire):
        version = services.answers_save_draft(invitation=invitation, values=full_answers(questionnaire), version=0)
        services.response_submit(invitation=invitation, version=version)
        url = reverse("surveys:invitation", kwargs={"pk": invitation.pk})
        response = staff_client.post(url, {"reason": ""})
        assert response.status_code == 200 and "This field is required." in text(response)
        response = staff_client.post(url, {"reason": "Wrong number of clients"}, follow=True)
        assert "Wrong number of clients" in text(response)
        invitation.refresh_from_db()
        assert invitation.status == ResponseStatus.DRAFT
        event = InvitationEvent.objects.get(kind="reopened")
        assert (event.by, event.reason) == (staff_user, "Wrong number of clients")

    def test_results_show_charts_with_the_same_numbers_as_tables(self, staff_client, invitation, questionnaire):
        for women in ("40", "60", "80"):
            submitted_response(invitation.round, {"women": float(women), "plans": "yes"})
        page = text(staff_client.get(staff_url("results", invitation)))
        assert 'data-figure="fig-women"' in page and '<script type="application/json" id="fig-women">' in page
        assert '<td class="num">60</td>' in page  # the median in the table, a whole number without decimals
        assert '"median":[60.0]' in page  # and in the figure
        assert "vendor/plotly.min.js" in page

    def test_staff_link_an_innovation_to_the_question_that_revealed_it(self, staff_client, invitation, questionnaire):
        from pilots.models import Innovation
        from tests.factories import ProductLineFactory

        innovation = Innovation.objects.create(
            title="Microseguro simplificado",
            slug="microseguro",
            summary="s",
            product_line=ProductLineFactory(),
            started_on=today(),
        )
        response = staff_client.post(
            staff_url("results", invitation),
            {"innovation": innovation.pk, "question": questionnaire["rank"].pk, "note": "Sube en el ranking"},
            follow=True,
        )
        assert "Microseguro simplificado" in text(response)
        assert innovation.survey_opportunities.get().question == questionnaire["rank"]
        response = staff_client.post(
            staff_url("results", invitation), {"innovation": innovation.pk, "question": questionnaire["rank"].pk}
        )
        assert "already linked" in text(response)


class TestExport:
    @pytest.fixture
    def exported_round(self, invitation, questionnaire):
        first = MemberInstitutionFactory(name="Banco Uno", country="PE", institution_type="bank")
        submitted_response(
            invitation.round,
            {
                "demand-ranking": ["credit", "savings", "insurance"],
                "offered": ["savings", "credit"],
                "clients": 120,
                "women": 65.5,
            },
            first,
        )
        submitted_response(invitation.round, {"plans": "no"}, status="draft")  # drafts are not exported
        return invitation.round

    @staticmethod
    def rows(response, delimiter: str = ",") -> list[dict]:
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))

    def test_csv_has_labelled_columns_then_the_codes(self, staff_client, exported_round):
        response = staff_client.get(reverse("surveys:export", kwargs={"pk": exported_round.pk, "fmt": "csv"}))
        assert response["Content-Type"].startswith("text/csv")
        assert f"demand-survey-{exported_round.code}.csv" in response["Content-Disposition"]
        header = response.content.decode().splitlines()[0].split(",")
        labels = [f"{n}. {q.label_en}" for n, q in enumerate(exported_round.questions.order_by("position"), 1)]
        assert header == [
            "Institution",
            "Country",
            "Institution type",
            "Submitted",
            *labels,
            "country",
            "institution_type",
            "submitted_at",
            *["demand-ranking", "offered", "plans", "which", "clients", "women", "interest", "comments"],
        ]
        [row] = self.rows(response)  # drafts are not exported
        assert (row["Institution"], row["Country"], row["Institution type"]) == ("Banco Uno", "Peru", "Bank")
        assert (row["country"], row["institution_type"]) == ("PE", "bank")
        # people read option labels in order of preference; analysts the codes
        assert row[labels[0]] == "Option credit; Option savings; Option insurance"
        assert row["demand-ranking"] == "credit; savings; insurance"
        assert row[labels[1]] == "Option savings; Option credit" and row["offered"] == "savings; credit"
        assert row[labels[4]] == row["clients"] == "120" and row["women"] == "65.5"
        submitted = exported_round.invitations.get(status="submitted").submitted_at
        assert row["submitted_at"] == timezone.localtime(submitted).isoformat()
        assert row["Submitted"] == date_format(timezone.localtime(submitted), "SHORT_DATETIME_FORMAT")

    def test_spanish_csv_speaks_spanish(self, staff_client, exported_round):
        with translation.override("es"):
            url = reverse("surveys:export", kwargs={"pk": exported_round.pk, "fmt": "csv"})
        [row] = self.rows(staff_client.get(url), delimiter=";")  # Spanish spreadsheets' dialect (portal.downloads)
        assert (row["Institución"], row["País"], row["Tipo de institución"]) == ("Banco Uno", "Perú", "Banco")
        first = exported_round.questions.get(code="demand-ranking")
        assert row[f"1. {first.label_es}"] == "Opción credit; Opción savings; Opción insurance"
        assert row["demand-ranking"] == "credit; savings; insurance" and row["country"] == "PE"
        assert "/" in row["Enviada"]  # "31/03/2026 10:00", not ISO

    def test_anonymised_csv_has_no_names_and_no_member_stands_alone(self, staff_client, exported_round):
        """Worked example: 3 Ecuadorian NGOs, 2 Ecuadorian banks and the Peruvian bank. The NGOs
        share their country and type: kept. The 2 Ecuadorian banks lose their type, and then
        their country (2 < 3), as does the Peruvian bank: those 3 rows read "*", "*"."""
        for n in range(3):
            submitted_response(
                exported_round, {"clients": 20_000 + n, "comments": f"Nota {n}"}, MemberInstitutionFactory(country="EC")
            )
        for _ in range(2):
            submitted_response(
                exported_round,
                {"clients": 60_000},
                MemberInstitutionFactory(country="EC", institution_type="bank"),
            )
        url = reverse("surveys:export", kwargs={"pk": exported_round.pk, "fmt": "csv"})
        response = staff_client.get(url, {"anonymised": "1"})
        content = response.content.decode()
        header = content.splitlines()[0]
        assert header.startswith("Respondent,Country,Institution type,1. ")
        assert ",country,institution_type,demand-ranking," in header
        assert "submitted_at" not in header and "comments" not in header  # free text left out
        rows = self.rows(response)
        assert (
            sorted((row["country"], row["institution_type"]) for row in rows) == [("*", "*")] * 3 + [("EC", "ngo")] * 3
        )
        assert (
            sorted((row["Country"], row["Institution type"]) for row in rows)
            == [("*", "*")] * 3 + [("Ecuador", "NGO")] * 3
        )
        assert "Banco Uno" not in content and "PE" not in content and "Peru" not in content
        # Exact figures in bands: 120 clients, a share of 65.5 %.
        peruvian = next(row for row in rows if row["demand-ranking"] == "credit; savings; insurance")
        assert (peruvian["clients"], peruvian["women"]) == ("100–499", "60–69")
        assert "20000" not in content and "10000–49999" in content
        with_text = staff_client.get(url, {"anonymised": "1", "free_text": "1"}).content.decode()
        assert "comments" in with_text.splitlines()[0] and "Nota 1" in with_text

    def test_xlsx_has_the_same_columns_and_values(self, staff_client, exported_round):
        response = staff_client.get(reverse("surveys:export", kwargs={"pk": exported_round.pk, "fmt": "xlsx"}))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:5] == ("Institution", "Country", "Institution type", "Submitted", "1. " + str(rows[0][4])[3:])
        assert rows[1][0] == "Banco Uno" and rows[1][rows[0].index("clients")] == 120

    def test_an_unknown_format_is_a_404(self, staff_client, exported_round):
        assert staff_client.get(f"/en/surveys/rounds/{exported_round.pk}/export.pdf").status_code == 404


def _grow(survey_round, members: int):
    for index in range(members):
        submitted_response(
            survey_round,
            {
                "demand-ranking": ["credit", "savings", "insurance"],
                "offered": ["savings"],
                "plans": "yes",
                "which": "credit",
                "clients": 10 * index,
                "women": 50,
                "interest": 3,
            },
            MemberInstitutionFactory(country=["EC", "PE"][index % 2], institution_type=["ngo", "bank"][index % 2]),
        )
        InvitationFactory(round=survey_round)


class TestQueryCounts:
    """Query counts stay flat as members and rounds grow."""

    LIMITS = {"results": 10, "status": 9, "home": 5, "trends": 7, "export": 8}

    @pytest.mark.parametrize("page", ["results", "status", "home", "trends", "export"])
    def test_flat(self, staff_client, invitation, questionnaire, django_assert_max_num_queries, page):
        urls = {
            "home": reverse("surveys:home"),
            "trends": reverse("surveys:trends"),
            "export": reverse("surveys:export", kwargs={"pk": invitation.round_id, "fmt": "xlsx"}),
        }
        url = urls.get(page) or reverse(f"surveys:{page}", kwargs={"pk": invitation.round_id})
        _grow(invitation.round, 3)
        with django_assert_max_num_queries(self.LIMITS[page]) as small:
            assert staff_client.get(url).status_code == 200
        _grow(invitation.round, 30)
        for year in range(2010, 2016):
            other = RoundFactory(year=year, semester=1)
            services.questionnaire_copy(source=invitation.round, target=other)
            _grow(other, 4)
        with django_assert_max_num_queries(self.LIMITS[page]) as large:
            assert staff_client.get(url).status_code == 200
        assert len(large.captured_queries) == len(small.captured_queries)


def test_the_numbers_of_the_result_charts_download_as_csv(staff_client, invitation, questionnaire):
    for value in ("yes", "yes", "no"):
        submitted_response(invitation.round, {"plans": value})
    response = staff_client.get(staff_url("results", invitation), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Question", "Type", "Option", "Measure", "Value", "question", "type", "option", "measure"]
    plans = questionnaire["plans"].label_en
    assert [plans, "Single choice", "Option yes", "share (%)", "66.7", "plans", "single", "yes", "share"] in rows
    assert [plans, "Single choice", "Option no", "members choosing it", "1", "plans", "single", "no", "count"] in rows


def test_the_trend_numbers_download_as_csv(staff_client, invitation, questionnaire):
    submitted_response(invitation.round, {"demand-ranking": ["credit", "savings", "insurance"]})
    response = staff_client.get(reverse("surveys:trends"), {"code": "demand-ranking", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Option", "Round", "Respondents", "Rank", "Average points", "option", "round"]
    code = invitation.round.code
    assert ["Option credit", "2026 · Second semester", "1", "1", "3", "credit", code] in rows  # 3.0: a whole number


def test_a_number_questions_limits_are_written_as_the_page_writes_numbers(client, invitation, questionnaire):
    questionnaire["clients"].max_value = 2_000_000
    questionnaire["clients"].save()
    with translation.override("es"):
        spanish = text(client.get(respond_url(invitation)))
    with translation.override("en"):
        english = text(client.get(respond_url(invitation)))
    assert "Máximo: 2.000.000." in spanish
    assert "Maximum: 2,000,000." in english


def test_odd_filter_values_are_not_a_500(staff_client, invitation):
    response = staff_client.get(staff_url("status", invitation), {"status": "nonsense", "country": "ZZZ"})
    assert response.status_code == 200


def test_an_absurdly_large_number_is_an_error_not_a_500(client, invitation, questionnaire):
    values = full_answers(questionnaire) | {questionnaire["women"].pk: "1e999999"}
    values[questionnaire["clients"].pk] = "9" * 5000
    response = client.post(respond_url(invitation), as_post(values, 0))
    assert response.status_code == 200
    page = text(response)
    assert "Enter a number of at most 1,000." in page  # 5,000 nines
    assert "Enter a number, such as 18,500 or 62.5." in page  # no one types 1e999999 as a number


def test_after_reopening_the_member_can_answer_again_and_sees_why(client, staff_user, invitation, questionnaire):
    version = services.answers_save_draft(invitation=invitation, values=full_answers(questionnaire), version=0)
    services.response_submit(invitation=invitation, version=version)
    invitation.refresh_from_db()
    services.response_reopen(invitation=invitation, user=staff_user, reason="Revise the share of women")
    page = text(client.get(respond_url(invitation)))
    assert 'id="survey-form"' in page
    assert "The association reopened your answers: Revise the share of women" in page


def test_a_signed_in_member_autosaves_through_its_own_endpoint(
    client, invitation, questionnaire, institution_member, other_member
):
    url = reverse("surveys:member_autosave", kwargs={"pk": invitation.round_id})
    client.force_login(institution_member)
    response = client.post(url, {"version": "0", f"q-{questionnaire['plans'].pk}": "yes"})
    assert response.status_code == 200 and response.json()["version"] == 1
    client.force_login(other_member)
    response = client.post(url, {"version": "1", f"q-{questionnaire['plans'].pk}": "no"})
    assert response.status_code == 403
    assert invitation.answers.get(question=questionnaire["plans"]).value == "yes"


class TestInnovationPicker:
    """The "link an innovation" menu offers a short list, never the whole portfolio."""

    @pytest.fixture
    def portfolio(self, db):
        from tests.pilots.factories import InnovationFactory

        return [
            InnovationFactory(title=f"Innovación {number:02d}", slug=f"innovacion-{number:02d}") for number in range(30)
        ]

    @staticmethod
    def options(response) -> list[str]:
        field = response.context["form"]["innovation"]
        return [label for value, label in field.field.choices if value != ""]

    def test_the_menu_lists_the_most_recently_updated_innovations_only(self, staff_client, invitation, portfolio):
        response = staff_client.get(staff_url("results", invitation))
        assert len(self.options(response)) == 20
        assert "Innovación 29" in self.options(response)
        assert "Innovación 00" not in self.options(response)

    def test_find_narrows_the_menu_to_matching_titles(self, staff_client, invitation, portfolio):
        response = staff_client.get(staff_url("results", invitation), {"find": "ción 0"})
        assert self.options(response) == [f"Innovación 0{number}" for number in range(9, -1, -1)]
        assert 'value="ción 0"' in text(response)

    def test_an_innovation_outside_the_short_list_can_still_be_linked(
        self, staff_client, invitation, questionnaire, portfolio
    ):
        oldest = portfolio[0]
        response = staff_client.post(
            staff_url("results", invitation), {"innovation": oldest.pk, "question": questionnaire["rank"].pk}
        )
        assert response.status_code == 302
        assert oldest.survey_opportunities.get().question == questionnaire["rank"]
