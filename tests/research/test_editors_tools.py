"""Editors' tools on a study (issue 23): searchable choosers, authors created from the chooser,
topic tags, document links with type and size, and the time zone of every go-live time."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.documents.models import Document
from wagtail.test.utils.form_data import querydict_from_html

from research import services
from research.document_links import document_meta, size_label
from research.models import Author, ResearchDocument, ResearchReportPage
from tests.factories import MemberUserFactory, ProductLineFactory, StaffFactory, UserFactory
from tests.research.fixtures import make_innovation, make_report

pytestmark = pytest.mark.django_db

CHOOSERS = {
    "authors": "authors",
    "countries": "countries",
    "product_lines": "product-lines",
    "innovations": "innovations",
}


@pytest.fixture
def editor(client):
    """Staff as the demo signs them in: a superuser, who may edit every page."""
    user = StaffFactory(username="editora", is_superuser=True)
    client.force_login(user)
    return user


def _edit_form(client, page) -> tuple[BeautifulSoup, dict]:
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    return BeautifulSoup(html, "html.parser"), querydict_from_html(html, form_id="page-edit-form")


def _lists(data) -> dict[str, list[str]]:
    """Every value of every field: the test client would post only the last of a QueryDict's."""
    return {name: data.getlist(name) for name in data}


def _chosen(soup, name: str) -> list[str]:
    return [option["value"] for option in soup.select(f'select[name="{name}"] option[selected]')]


def _publish(client, page, **changes):
    """Post the page's edit form as the editor left it, with `changes`, and publish."""
    soup, data = _edit_form(client, page)
    for name in CHOOSERS:  # a multi-select without choices posts nothing (not its first option)
        data.setlist(name, [str(value) for value in changes.pop(name, _chosen(soup, name))])
    for name, value in changes.items():
        data[name] = value
    data.setdefault("body-count", "0")  # the pages edited here have no body blocks
    data["action-publish"] = "action-publish"
    response = client.post(f"/admin/pages/{page.pk}/edit/", _lists(data))
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".error-message")
    return ResearchReportPage.objects.get(pk=page.pk)


# --- The choosers on the study's edit form ---------------------------------------------------------


def test_the_edit_form_offers_a_searchable_chooser_for_each_list(client, editor, research_index):
    author = Author.objects.create(name="REDCAMIF")
    page = make_report(research_index, title="Demanda de microseguros", countries=["EC", "PE"])
    page.authors.add(author)
    page.save_revision().publish()
    soup, _data = _edit_form(client, page)
    for field, kind in CHOOSERS.items():
        chooser = soup.select_one(f'[data-research-chooser]:has(select[name="{field}"])')
        assert chooser is not None, field
        assert chooser["data-search-url"] == f"/admin/research/choose/{kind}/"
    authors = soup.select_one('[data-research-chooser]:has(select[name="authors"])')
    assert authors["data-create-url"] == "/admin/research/authors/new/"
    assert [item.span.get_text() for item in authors.select(".research-chooser__chosen li")] == ["REDCAMIF"]
    countries = soup.select_one('[data-research-chooser]:has(select[name="countries"])')
    assert sorted(item["data-value"] for item in countries.select(".research-chooser__chosen li")) == ["EC", "PE"]
    assert all(item.select_one("button[data-remove]") for item in countries.select(".research-chooser__chosen li"))
    assert soup.find("script", src=lambda src: src and src.endswith("research/chooser.js"))


def test_the_choosers_search_as_staff_type(client, editor, research_index):
    Author.objects.create(name="Gregory Chen", affiliation="CGAP")
    Author.objects.create(name="REDCAMIF")
    ProductLineFactory(code="micro-insurance", name_es="Microseguros", name_en="Micro-insurance")
    ProductLineFactory(code="savings", name_es="Ahorro", name_en="Savings")
    innovation = make_innovation(title="Microseguro agrícola", slug="microseguro-agricola", visibility="staff")

    def search(kind, words):
        response = client.get(f"/admin/research/choose/{kind}/", {"q": words})
        assert response.status_code == 200
        return response.json()["results"]

    assert search("authors", "cgap") == [
        {"id": Author.objects.get(name="Gregory Chen").pk, "label": "Gregory Chen (CGAP)"}
    ]
    with translation.override("es"):
        assert [row["id"] for row in search("countries", "peru")] == ["PE"]  # accents and capitals ignored
    assert [row["id"] for row in search("countries", "guate")] == ["GT"]
    assert len(search("countries", "")) == 20  # the first twenty, not 250
    assert [row["label"] for row in search("product-lines", "seguro")] == ["Microseguros"]  # the admin's language
    assert search("innovations", "agrícola") == [{"id": innovation.pk, "label": innovation.display_title}]
    assert client.get("/admin/research/choose/planets/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "member", "outsider"])
def test_only_admin_users_reach_the_chooser_search(client, role):
    Author.objects.create(name="REDCAMIF")
    if role == "member":
        client.force_login(MemberUserFactory())
    elif role == "outsider":
        client.force_login(UserFactory(is_staff=False))
    for url in ["/admin/research/choose/authors/?q=RED", "/admin/research/authors/new/"]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"REDCAMIF" not in response.content


def test_choosing_and_removing_saves_the_links(client, editor, research_index):
    redcamif = Author.objects.create(name="REDCAMIF")
    cgap = Author.objects.create(name="CGAP")
    savings = ProductLineFactory(code="savings", name_es="Ahorro", name_en="Savings")
    insurance = ProductLineFactory(code="micro-insurance", name_es="Microseguros", name_en="Micro-insurance")
    pensions = make_innovation(title="Micropensiones", slug="micropensiones", line=savings)
    page = make_report(research_index, title="Demanda de micropensiones", countries=["EC"], product_lines=[savings])
    page.authors.add(redcamif)
    page.save_revision().publish()

    page = _publish(
        client,
        page,
        authors=[redcamif.pk, cgap.pk],
        countries=["GT", "HN"],
        product_lines=[insurance.pk],
        innovations=[pensions.pk],
    )
    assert sorted(page.authors.values_list("name", flat=True)) == ["CGAP", "REDCAMIF"]
    assert [country.code for country in page.countries] == ["GT", "HN"]
    assert list(page.product_lines.all()) == [insurance]
    assert list(page.innovations.all()) == [pensions]

    page = _publish(client, page, authors=[cgap.pk], countries=["HN"], product_lines=[], innovations=[])
    assert list(page.authors.all()) == [cgap]
    assert [country.code for country in page.countries] == ["HN"]
    assert not page.product_lines.exists() and not page.innovations.exists()


def test_an_unknown_choice_is_refused_on_the_form(client, editor, research_index):
    page = make_report(research_index, title="Demanda de micropensiones")
    _soup, data = _edit_form(client, page)
    data.setlist("countries", ["XX"])
    data.setlist("authors", ["999999"])
    for name in ("product_lines", "innovations"):
        data.setlist(name, [])
    data["body-count"] = "0"
    data["action-publish"] = "action-publish"
    response = client.post(f"/admin/pages/{page.pk}/edit/", _lists(data))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"countries", "authors"}


# --- Authors created from the chooser ------------------------------------------------------------


def test_an_author_is_created_from_the_chooser(client, editor):
    response = client.post(
        "/admin/research/authors/new/",
        {"name": "  Bindu   Ananth ", "affiliation": "IFMR Trust"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    author = Author.objects.get()
    assert (author.name, author.affiliation) == ("Bindu Ananth", "IFMR Trust")
    assert response.json() == {"id": author.pk, "label": "Bindu Ananth (IFMR Trust)"}


def test_the_chooser_refuses_a_duplicate_or_blank_author(client, editor):
    Author.objects.create(name="CGAP")
    response = client.post("/admin/research/authors/new/", {"name": "cgap "}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"name": ["«CGAP» ya es un autor: elíjalo de la lista."]}}
    response = client.post("/admin/research/authors/new/", {"name": "   "}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]
    assert Author.objects.count() == 1


def test_the_author_form_works_without_javascript(client, editor):
    page = client.get("/admin/research/authors/new/")
    assert page.status_code == 200
    assert 'name="name"' in page.content.decode()
    response = client.post("/admin/research/authors/new/", {"name": "REDCAMIF"}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/snippets/research/author/"
    assert Author.objects.filter(name="REDCAMIF").exists()
    again = client.post("/admin/research/authors/new/", {"name": "Redcamif"})
    assert again.status_code == 200
    assert "«REDCAMIF» ya es un autor" in again.content.decode()


def test_author_create_service_refuses_who_may_not_add_authors():
    with pytest.raises(PermissionDenied):
        services.author_create(user=MemberUserFactory(), name="CGAP")
    admin_only = UserFactory(is_staff=True)
    admin_only.user_permissions.add(Permission.objects.get(codename="access_admin"))
    with pytest.raises(PermissionDenied):
        services.author_create(user=admin_only, name="CGAP")
    assert not Author.objects.exists()


def test_author_create_service_refuses_blank_and_twin_names():
    staff = StaffFactory()
    services.author_create(user=staff, name="Gregory Chen", affiliation="CGAP")
    with pytest.raises(ValidationError) as error:
        services.author_create(user=staff, name="gregory  chen")
    assert error.value.message_dict == {"name": ["«Gregory Chen» ya es un autor: elíjalo de la lista."]}
    with pytest.raises(ValidationError) as error:
        services.author_create(user=staff, name="")
    assert error.value.message_dict == {"name": ["Escriba el nombre del autor."]}


def test_the_database_refuses_authors_that_differ_only_in_capitals():
    Author.objects.create(name="CGAP")
    with pytest.raises(ValidationError) as error:
        Author(name="Cgap").full_clean()
    assert error.value.message_dict == {"name": ["«CGAP» ya es un autor: elíjalo de la lista."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        Author.objects.create(name="cgap")


def test_a_user_with_admin_access_but_no_author_rights_cannot_create(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.post("/admin/research/authors/new/", {"name": "CGAP"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not Author.objects.exists()


# --- Topic tags --------------------------------------------------------------------------------------


def test_tags_are_saved_shown_and_filter_the_list_with_counts(client, editor, research_index):
    first = make_report(research_index, title="Demanda de microseguros", publication_date=date(2008, 1, 1))
    second = make_report(research_index, title="Oferta de microseguros", publication_date=date(2008, 2, 1))
    make_report(research_index, title="Precios responsables", publication_date=date(2008, 3, 1))
    _publish(client, first, tags="microseguros, educación financiera")
    _publish(client, second, tags="microseguros")
    client.logout()

    html = client.get(first.url).content.decode()
    topics = BeautifulSoup(html, "html.parser").select("ul.tags a[rel=tag]")
    assert [(link.get_text(), link["href"]) for link in topics] == [
        ("educación financiera", "/research/?tag=educaci%C3%B3n-financiera"),
        ("microseguros", "/research/?tag=microseguros"),
    ]

    response = client.get("/research/", {"tag": "microseguros"})
    assert [report.title for report in response.context["reports"]] == [
        "Oferta de microseguros",
        "Demanda de microseguros",
    ]
    options = BeautifulSoup(response.content, "html.parser").select('select[name="tag"] option')
    assert [option.get_text() for option in options if option.get("value")] == [
        "educación financiera (1)",
        "microseguros (2)",
    ]
    assert [report.title for report in client.get(topics[0]["href"]).context["reports"]] == ["Demanda de microseguros"]
    assert client.get("/research/", {"tag": "nada"}).status_code == 200


def test_a_study_is_found_by_its_topics(client, research_index):
    from research.documents import page_documents

    page = make_report(research_index, title="Demanda de microseguros")
    page.tags.add("educación financiera")
    page.save_revision().publish()
    [document] = page_documents(ResearchReportPage.objects.get(pk=page.pk))
    assert "educación financiera" in document["body"]


# --- Document links with type and size ---------------------------------------------------------------


def _pdf(title: str, size: int) -> Document:
    document = Document(title=title, file=ContentFile(b"%PDF-1.7\n", name=f"{title}.pdf"))
    document.save()
    Document.objects.filter(pk=document.pk).update(file_size=size)
    document.file_size = size
    return document


def test_sizes_read_as_the_page_language_writes_them():
    with translation.override("es"):
        assert size_label(1_258_291) == "1,2 MB"
        assert size_label(850_000) == "830 kB"
        assert document_meta(_pdf("informe", 1_258_291)) == "PDF, 1,2 MB"
    with translation.override("en"):
        assert size_label(1_258_291) == "1.2 MB"


def _study_with_documents(parent, title: str, count: int) -> ResearchReportPage:
    documents = [_pdf(f"{title}-{n}", 1_258_291 * (n + 1)) for n in range(count)]
    body = [
        ("paragraph", f'<p>Vea el <a linktype="document" id="{document.pk}">anexo {n}</a>.</p>')
        for n, document in enumerate(documents)
    ]
    page = make_report(parent, title=title, body=body)
    for n, document in enumerate(documents):
        ResearchDocument.objects.create(page=page, document=document, title=f"Informe {n}", sort_order=n)
    page.save_revision().publish()
    return page


def test_document_links_say_their_type_and_size(client, research_index):
    page = _study_with_documents(research_index, "Demanda de microseguros", 1)
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    attached = soup.select_one("ul.documents li")
    assert " ".join(attached.get_text().split()) == "Informe 0 (PDF, 1,2 MB)"
    in_text = soup.select_one(".rich-text p")
    assert " ".join(in_text.get_text().split()) == "Vea el anexo 0 (PDF, 1,2 MB)."
    assert in_text.a["href"].startswith("/documents/")


def test_a_study_with_more_documents_makes_no_more_queries(client, research_index):
    one = _study_with_documents(research_index, "Un documento", 1)
    three = _study_with_documents(research_index, "Tres documentos", 3)
    client.get(one.url), client.get(three.url)  # warm the site and cache lookups
    counts = {}
    for page in (one, three):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        assert response.status_code == 200
        counts[page.title] = len(queries)
    assert response.content.decode().count("(PDF, ") == 6  # three attached, three linked in the text
    assert counts["Tres documentos"] == counts["Un documento"]


# --- Time zone next to go-live times -----------------------------------------------------------------


def test_the_scheduling_dialog_and_status_say_the_time_zone(client, editor, research_index):
    page = make_report(research_index, title="Demanda de microseguros")
    soup, _data = _edit_form(client, page)
    dialog = soup.find(id="schedule-publishing-dialog")  # in a <template>, which CSS selectors skip
    assert dialog.find("input", attrs={"name": "go_live_at"}) is not None
    assert dialog.find("input", attrs={"name": "expire_at"}) is not None
    assert " ".join(str(dialog.find("p", attrs={"data-time-zone": True}).string).split()) == (
        "Las fechas y horas están en la zona horaria America/Guayaquil (UTC-05:00)."
    )

    _publish(client, page, go_live_at="2030-01-15 09:00")  # scheduled, not live yet
    soup, _data = _edit_form(client, page)
    status = " ".join(soup.select_one("[data-time-zone]").get_text().split())  # the status panel
    assert status == "Horas en America/Guayaquil (UTC-05:00)."


def test_the_author_snippet_admin_creates_through_the_service(client, editor):
    Author.objects.create(name="CGAP")
    response = client.post("/admin/snippets/research/author/add/", {"name": " Bindu  Ananth", "affiliation": "IFMR"})
    assert response.status_code == 302
    assert Author.objects.filter(name="Bindu Ananth", affiliation="IFMR").exists()  # spaces tidied by the service
    twin = client.post("/admin/snippets/research/author/add/", {"name": "cgap"})
    assert twin.status_code == 200
    assert twin.context["form"].errors["name"] == ["«CGAP» ya es un autor: elíjalo de la lista."]
    assert Author.objects.count() == 2


def test_the_list_shows_each_studys_topics_with_flat_query_counts(client, research_index):
    def tagged(title, *topics):
        page = make_report(research_index, title=title)
        page.tags.add(*topics)
        page.save_revision().publish()

    tagged("Demanda de microseguros", "microseguros", "ahorro")
    client.get("/research/")  # warm the site and cache lookups
    with CaptureQueriesContext(connection) as one:
        client.get("/research/", {"sort": "date"})
    tagged("Oferta de microseguros", "microseguros")
    tagged("Precios responsables", "precios", "protección al cliente")
    with CaptureQueriesContext(connection) as three:
        response = client.get("/research/", {"sort": "date", "page": "1"})
    items = BeautifulSoup(response.content, "html.parser").select(".research-item")
    assert [" ".join(item.select_one("p.tags").get_text().split()) for item in items] == [
        "Temas: ahorro, microseguros",  # same date: by title
        "Temas: microseguros",
        "Temas: precios, protección al cliente",
    ]
    assert len(three) == len(one)
