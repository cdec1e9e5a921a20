"""Privacy added after publishing: the research list, its word search, the feeds and the
home page's latest research show only pages with no view restriction on themselves or
an ancestor, whoever reads (the rule in docs/search-and-research.md)."""

import pytest
from wagtail.models import PageViewRestriction

from tests.research.fixtures import make_report, translate
from tests.search.conftest import engine  # noqa: F401 - the word search runs on both engines

pytestmark = pytest.mark.django_db

FEEDS = ("/research/feed/rss/", "/research/feed/atom/")


@pytest.fixture
def reports(research_index):
    return {
        "open": make_report(research_index, title="Microseguros abiertos", summary="Para todos."),
        "closed": make_report(research_index, title="Microseguros cerrados", summary="Solo con clave."),
    }


def restrict(page, restriction_type=PageViewRestriction.PASSWORD) -> PageViewRestriction:
    return PageViewRestriction.objects.create(page=page, restriction_type=restriction_type, password="secreto")


def listed(client, query: str = "", prefix: str = "") -> list[str]:
    return [report.title for report in client.get(f"{prefix}/research/?{query}").context["reports"]]


def test_a_restriction_added_after_publishing_hides_the_page_from_list_feeds_and_home(client, reports):
    restriction = restrict(reports["closed"])
    assert listed(client) == ["Microseguros abiertos"]
    for url in FEEDS:
        body = client.get(url).content.decode()
        assert "Microseguros abiertos" in body
        assert "cerrados" not in body and "Solo con clave" not in body
    assert "Microseguros cerrados" not in client.get("/").content.decode()

    restriction.delete()
    assert sorted(listed(client)) == ["Microseguros abiertos", "Microseguros cerrados"]
    assert "Microseguros cerrados" in client.get(FEEDS[0]).content.decode()


def test_the_word_search_of_the_list_hides_restricted_pages(client, engine, research_index):  # noqa: F811
    make_report(research_index, title="Microseguros abiertos")
    closed = make_report(research_index, title="Microseguros cerrados")
    restrict(closed)
    assert listed(client, "q=microseguros") == ["Microseguros abiertos"]
    assert listed(client, "q=cerrados") == []
    assert listed(client, "q=microseguros&sort=date") == ["Microseguros abiertos"]


def test_a_restriction_on_the_research_index_hides_its_reports_from_list_and_feeds(
    client, reports, research_index, english_index, locales
):
    translate(reports["open"], locales[1], title="Open micro-insurance")
    restrict(research_index)
    page = client.get("/research/").content.decode()  # Wagtail asks for the password instead
    assert "Microseguros abiertos" not in page and "Microseguros cerrados" not in page
    for url in FEEDS:
        body = client.get(url).content.decode()
        assert "Microseguros" not in body
    assert "Microseguros abiertos" not in client.get("/").content.decode()
    # the English index is another page, not restricted
    assert listed(client, prefix="/en") == ["Open micro-insurance"]
    assert "Open micro-insurance" in client.get("/en/research/feed/rss/").content.decode()


def test_readers_who_may_open_a_restricted_page_do_not_see_it_listed_either(member_client, reports):
    restrict(reports["closed"], PageViewRestriction.LOGIN)
    assert member_client.get(reports["closed"].url).status_code == 200
    assert listed(member_client) == ["Microseguros abiertos"]
    assert "cerrados" not in member_client.get(FEEDS[0]).content.decode()


def test_list_and_feed_query_counts_do_not_grow_with_restricted_pages(
    client, research_index, django_assert_max_num_queries
):
    make_report(research_index, title="Microseguros abiertos")
    restrict(make_report(research_index, title="Microseguros cerrados"))
    with django_assert_max_num_queries(40) as few:
        client.get("/research/")
    with django_assert_max_num_queries(20) as feed:
        client.get(FEEDS[0])
    for number in range(8):
        restrict(make_report(research_index, title=f"Microseguros cerrados {number}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert listed(client) == ["Microseguros abiertos"]
    with django_assert_max_num_queries(len(feed.captured_queries)):
        client.get(FEEDS[0])
