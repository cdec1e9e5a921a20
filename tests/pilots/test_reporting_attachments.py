"""An MFI report's attachment survives a refused post (`pilots.reporting.kept`)."""

import re

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from pilots.models import MFIReport, ReportState
from pilots.models.reporting import private_storage
from pilots.reporting import kept as kept_files
from tests.factories import MemberUserFactory
from tests.pilots.test_reporting import APRIL, draft, pilot  # noqa: F401

PDF = b"%PDF-1.4\nthe supporting report"


def _url(period="2021-04"):
    with translation.override("en"):  # the new strings are asserted in English (/en/)
        url = reverse("pilots:mfi_report", kwargs={"slug": "micro-insurance", "period": period})
    assert url.startswith("/en/")
    return url


def _names(pilot):  # noqa: F811
    return (f"value-{pilot['clients'].pk}", f"num-{pilot['satisfaction'].pk}", f"den-{pilot['satisfaction'].pk}")


def _token(response) -> str:
    found = re.search(r'name="kept_attachment"(?: value="([^"]*)")?', response.content.decode())
    assert found, "the form carries the kept file's token (empty when none)"
    return found.group(1) or ""


def _kept_path(token: str) -> str:
    return signing.loads(token, salt=kept_files._SALT)["path"]


def test_a_refused_submit_keeps_the_attachment_for_the_corrected_one(client, pilot, member_user):  # noqa: F811
    client.force_login(member_user)
    clients, num, den = _names(pilot)
    refused = client.post(
        _url(),
        {
            "action": "submit",
            clients: "-3",
            num: "4",
            den: "5",
            "attachment": SimpleUploadedFile("respaldo.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Kept: respaldo.pdf — choose another file to replace it." in body
    assert "choose the file again" not in body
    assert not MFIReport.objects.exists()
    token = _token(refused)
    assert token and private_storage().exists(_kept_path(token))

    done = client.post(_url(), {"action": "submit", clients: "300", num: "4", den: "5", "kept_attachment": token})
    assert done.status_code == 302
    report = MFIReport.objects.get()
    assert report.state == ReportState.SUBMITTED
    assert report.attachment_name == "respaldo.pdf"
    with report.attachment.open("rb") as stored:
        assert stored.read() == PDF
    assert not report.attachment.name.startswith(kept_files.PREFIX)
    assert not private_storage().exists(_kept_path(token)), "the kept copy is deleted once attached"


def test_a_refusal_by_the_service_keeps_the_attachment_too(client, pilot, member_user):  # noqa: F811
    """The form accepts 6 of 5; the service refuses it (the numerator above the denominator)."""
    client.force_login(member_user)
    clients, num, den = _names(pilot)
    upload = SimpleUploadedFile("respaldo.pdf", PDF)
    refused = client.post(_url(), {"action": "save", clients: "300", num: "6", den: "5", "attachment": upload})
    assert refused.status_code == 400
    assert "Kept: respaldo.pdf" in refused.content.decode()
    saved = client.post(
        _url(), {"action": "save", clients: "300", num: "4", den: "5", "kept_attachment": _token(refused)}
    )
    assert saved.status_code == 302
    assert MFIReport.objects.get().attachment_name == "respaldo.pdf"


def test_a_new_file_replaces_the_kept_one(client, pilot, member_user):  # noqa: F811
    client.force_login(member_user)
    clients, num, den = _names(pilot)
    first = client.post(
        _url(), {"action": "save", clients: "-1", "attachment": SimpleUploadedFile("respaldo.pdf", PDF)}
    )
    token = _token(first)
    second = client.post(
        _url(),
        {
            "action": "save",
            clients: "-2",
            "kept_attachment": token,
            "attachment": SimpleUploadedFile("corregido.pdf", PDF),
        },
    )
    assert "Kept: corregido.pdf" in second.content.decode()
    assert not private_storage().exists(_kept_path(token)), "the replaced file is not kept"
    client.post(_url(), {"action": "save", clients: "2", "kept_attachment": _token(second)})
    assert MFIReport.objects.get().attachment_name == "corregido.pdf"


def test_an_invalid_file_is_not_kept(client, pilot, member_user):  # noqa: F811
    client.force_login(member_user)
    clients, _num, _den = _names(pilot)
    refused = client.post(
        _url(), {"action": "save", clients: "-3", "attachment": SimpleUploadedFile("respaldo.pdf", b"MZ not a pdf")}
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "This file is not a valid PDF file." in body
    assert "Kept:" not in body
    assert _token(refused) == ""


@pytest.mark.parametrize("who", ["colleague", "same_user_other_period"])
def test_a_kept_file_is_only_for_the_same_user_and_report(client, pilot, member_user, who):  # noqa: F811
    client.force_login(member_user)
    clients, num, den = _names(pilot)
    refused = client.post(
        _url(), {"action": "save", clients: "-3", "attachment": SimpleUploadedFile("respaldo.pdf", PDF)}
    )
    token = _token(refused)
    url = _url()
    if who == "colleague":  # a user of the same MFI, who may fill in the same report
        client.force_login(MemberUserFactory(username="colleague", institution=member_user.institution))
    else:
        url = _url("2021-05")
    claimed = client.post(url, {"action": "save", clients: "300", "kept_attachment": token})
    assert claimed.status_code == 400
    body = claimed.content.decode()
    assert "The file kept from your last attempt is no longer available. Choose it again." in body
    assert "Kept:" not in body
    assert not MFIReport.objects.exists(), "nothing saved without the file the person expects"
    assert private_storage().exists(_kept_path(token)), "still there for its owner"


def test_a_forged_token_is_refused(client, pilot, member_user):  # noqa: F811
    client.force_login(member_user)
    clients, _num, _den = _names(pilot)
    forged = signing.dumps({"user": member_user.pk, "path": "mfi-reports/someone-else.pdf"}, salt="another")
    response = client.post(_url(), {"action": "save", clients: "300", "kept_attachment": forged})
    assert response.status_code == 400
    assert "no longer available" in response.content.decode()


def test_a_drafts_attachment_is_shown_by_name_and_kept_on_submit(client, pilot, member_user):  # noqa: F811
    report = draft(pilot, member_user, clients=300, attachment=SimpleUploadedFile("respaldo.pdf", PDF))
    stored_path = report.attachment.name
    client.force_login(member_user)
    page = client.get(_url()).content.decode()
    assert "respaldo.pdf" in page
    assert stored_path not in page, "the file's name, not where it is stored"
    clients, num, den = _names(pilot)

    incomplete = client.post(_url(), {"action": "submit", clients: "300", num: "4", "version": report.version})
    assert incomplete.status_code == 400
    assert "respaldo.pdf" in incomplete.content.decode()
    report.refresh_from_db()
    done = client.post(_url(), {"action": "submit", clients: "300", num: "4", den: "5", "version": report.version})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.attachment.name == stored_path and report.attachment_name == "respaldo.pdf"


def test_a_submit_refused_as_incomplete_keeps_the_new_file_on_the_draft(client, pilot, member_user):  # noqa: F811
    client.force_login(member_user)
    clients, num, den = _names(pilot)
    incomplete = client.post(
        _url(), {"action": "submit", clients: "300", num: "4", "attachment": SimpleUploadedFile("respaldo.pdf", PDF)}
    )
    assert incomplete.status_code == 400
    body = incomplete.content.decode()
    assert "Attached:" in body and "respaldo.pdf" in body
    assert _token(incomplete) == "", "saved with the draft: nothing left to keep"
    report = MFIReport.objects.get()
    done = client.post(_url(), {"action": "submit", clients: "300", num: "4", den: "5", "version": report.version})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.attachment_name == "respaldo.pdf"


def test_pending_files_of_the_days_before_yesterday_are_deleted(pilot, member_user):  # noqa: F811
    storage = private_storage()
    old = storage.save(f"{kept_files.PREFIX}/20000101-abc-old.pdf", ContentFile(PDF))
    kept = kept_files.attachment_keep(
        upload=SimpleUploadedFile("respaldo.pdf", PDF),
        user=member_user,
        participation=pilot["participation"],
        period_start=APRIL,
    )
    assert not storage.exists(old)
    assert storage.exists(kept.path)
    claimed = kept_files.attachment_claim(
        token=kept.token, user=member_user, participation=pilot["participation"], period_start=APRIL
    )
    assert claimed.name == "respaldo.pdf"
