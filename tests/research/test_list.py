"""The research index: only live public pages, filters, sort, pagination, feeds, workflow."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupApprovalTask, PageViewRestriction, Workflow, WorkflowPage, WorkflowTask

from portal.search import SearchQuery, get_engine
from portal.search.registry import Access
from research import listing
from tests.factories import ProductLineFactory, StaffFactory
from tests.research.fixtures import make_report

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [report.title for report in response.context["reports"]]


def search_titles(q: str, language: str = "es") -> set[str]:
    everything = {"research": Access.excluding(())}  # what the index holds, whoever may see it
    return {hit.title for hit in get_engine().search(SearchQuery(q=q, language=language, access=everything)).hits}


def test_only_live_public_reports_are_listed_found_and_fed(client, research_index):
    make_report(research_index, title="Microseguros publicados")
    make_report(research_index, title="Microseguros en borrador", publish=False)
    private = make_report(research_index, title="Microseguros privados")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    private.save_revision().publish()  # re-publishing must not put it back in the index

    assert titles(client.get("/research/")) == ["Microseguros publicados"]
    assert search_titles("microseguros") == {"Microseguros publicados"}
    feed = client.get("/research/feed/rss/").content.decode()
    assert "Microseguros publicados" in feed
    assert "borrador" not in feed and "privados" not in feed


def test_unpublishing_and_deleting_remove_a_report_from_search(research_index):
    first = make_report(research_index, title="Estudio de microseguros uno")
    second = make_report(research_index, title="Estudio de microseguros dos")
    assert search_titles("microseguros") == {first.title, second.title}
    first.unpublish()
    assert search_titles("microseguros") == {second.title}
    second.delete()
    assert search_titles("microseguros") == set()


def test_draft_changes_to_a_live_page_do_not_reach_the_index(client, research_index):
    page = make_report(research_index, title="Estudio de microseguros")
    page.title = "Estudio de micropensiones"
    page.save_revision()  # a draft: the live version stays
    assert search_titles("micropensiones") == set()
    assert search_titles("microseguros") == {"Estudio de microseguros"}
    assert titles(client.get("/research/")) == ["Estudio de microseguros"]


def test_a_page_in_review_is_invisible_until_a_moderator_publishes_it(client, research_index):
    moderators = Group.objects.get(name="Moderators")
    workflow = Workflow.objects.create(name="Revisión")
    task = GroupApprovalTask.objects.create(name="Revisión editorial")
    task.groups.add(moderators)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=research_index, workflow=workflow)
    editor, moderator = StaffFactory(), StaffFactory()
    moderator.groups.add(moderators)

    page = make_report(research_index, title="Microseguros en revisión", publish=False)
    workflow_state = page.get_workflow().start(page, editor)
    assert workflow_state.status == "in_progress"
    assert titles(client.get("/research/")) == []
    assert search_titles("microseguros") == set()

    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    page.refresh_from_db()
    assert page.live
    assert titles(client.get("/research/")) == ["Microseguros en revisión"]
    assert search_titles("microseguros") == {"Microseguros en revisión"}


def test_scheduled_publishing_reaches_the_list_only_when_due(client, research_index):
    page = make_report(research_index, title="Microseguros programados", publish=False)
    page.go_live_at = timezone.now() + timedelta(days=1)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live
    assert titles(client.get("/research/")) == []
    revision.refresh_from_db()
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past  # as if the day had passed
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")
    assert titles(client.get("/research/")) == ["Microseguros programados"]
    assert search_titles("microseguros") == {"Microseguros programados"}


@pytest.fixture
def catalogue(research_index):
    insurance = ProductLineFactory(code="micro-insurance", name_es="Microseguros", name_en="Micro-insurance")
    pensions = ProductLineFactory(code="micro-pensions", name_es="Micropensiones", name_en="Micro-pensions")
    make_report(
        research_index,
        title="Demanda de microseguros",
        summary="Qué microseguros piden los clientes.",
        study_type="market",
        countries=["EC"],
        product_lines=[insurance],
        stage="identify",
        publication_date=date(2008, 9, 1),
    )
    make_report(
        research_index,
        title="Viabilidad de micropensiones",
        summary="Viabilidad financiera del producto.",
        study_type="feasibility",
        countries=["GT", "NI"],
        product_lines=[pensions],
        stage="design",
        publication_date=date(2010, 3, 1),
    )
    make_report(
        research_index,
        title="Marco normativo en Nicaragua",
        summary="Regulación de los microseguros y las micropensiones.",
        study_type="regulatory",
        countries=["NI"],
        product_lines=[insurance, pensions],
        stage="pilot",
        publication_date=date(2010, 6, 1),
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Marco normativo en Nicaragua", "Viabilidad de micropensiones", "Demanda de microseguros"]),
        ("type=feasibility", ["Viabilidad de micropensiones"]),
        ("country=NI", ["Marco normativo en Nicaragua", "Viabilidad de micropensiones"]),
        ("product_line=micro-insurance", ["Marco normativo en Nicaragua", "Demanda de microseguros"]),
        ("stage=identify", ["Demanda de microseguros"]),
        ("year=2010", ["Marco normativo en Nicaragua", "Viabilidad de micropensiones"]),
        ("year=2010&country=GT", ["Viabilidad de micropensiones"]),
        ("q=microseguro", ["Demanda de microseguros", "Marco normativo en Nicaragua"]),
        ("q=microseguros&sort=date", ["Marco normativo en Nicaragua", "Demanda de microseguros"]),
        ("q=viabilidad&product_line=micro-insurance", []),
    ],
)
def test_filters(client, catalogue, query, expected):
    response = client.get(f"/research/?{query}")
    assert response.status_code == 200
    got = titles(response)
    if "q=" in query and "sort=date" not in query:
        assert sorted(got) == sorted(expected)  # relevance order is the engine's
    else:
        assert got == expected


def test_invalid_filter_values_show_an_empty_list_not_an_error(client, catalogue):
    response = client.get("/research/?stage=nonsense")
    assert response.status_code == 200
    assert titles(response) == []


def test_the_list_is_paginated_with_flat_query_counts(client, research_index, django_assert_max_num_queries):
    for number in range(listing.PER_PAGE + 3):
        make_report(research_index, title=f"Estudio {number:02d}", publication_date=date(2000 + number, 1, 1))
    with django_assert_max_num_queries(40):
        first = client.get("/research/")
    assert len(titles(first)) == listing.PER_PAGE
    second = client.get("/research/?page=2")
    assert titles(second) == ["Estudio 02", "Estudio 01", "Estudio 00"]


def test_english_list_shows_english_pages_only(client, research_index, english_index, locales):
    from tests.research.fixtures import translate

    page = make_report(research_index, title="Demanda de microseguros")
    translate(page, locales[1], title="Demand for micro-insurance")
    assert titles(client.get("/en/research/")) == ["Demand for micro-insurance"]
    assert titles(client.get("/research/")) == ["Demanda de microseguros"]


def test_rss_and_atom_feeds(client, research_index, english_index, locales):
    from tests.research.fixtures import translate

    page = make_report(research_index, title="Demanda de microseguros", summary="Lo que piden los clientes.")
    translate(page, locales[1], title="Demand for micro-insurance", summary="What clients ask for.")
    rss = client.get("/research/feed/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "<title>Demanda de microseguros</title>" in body
    assert "Lo que piden los clientes." in body
    assert "/research/demanda-de-microseguros/" in body
    atom = client.get("/en/research/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Demand for micro-insurance" in atom.content.decode()
    assert "Demanda" not in atom.content.decode()


def test_feed_links_are_on_the_site_url_whatever_the_request_host(client, research_index, settings):
    settings.SITE_URL = "https://portal.example.org"
    make_report(research_index, title="Demanda de microseguros")
    body = client.get("/research/feed/rss/", HTTP_HOST="10.0.0.5:8000").content.decode()
    assert "<link>https://portal.example.org/research/demanda-de-microseguros/</link>" in body
    assert 'href="https://portal.example.org/research/feed/rss/"' in body
    assert "10.0.0.5" not in body
