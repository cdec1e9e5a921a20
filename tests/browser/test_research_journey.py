"""An editor writes a study in the Wagtail admin and submits it to review; a second
staff member (a moderator) approves it, which publishes it; it is then found by the
site search and in the filtered research list."""

import pytest
from django.contrib.auth.models import Group

from research.demo import _workflow
from research.models import ResearchReportPage
from tests.browser.conftest import login
from tests.factories import StaffFactory
from tests.research.fixtures import english_index, home, locales, research_index  # noqa: F401


def logout(page) -> None:
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True)
def test_editor_submits_a_study_a_moderator_publishes_it(page, live_server, research_index, english_index):  # noqa: F811
    _workflow(research_index, english_index)
    editor = StaffFactory(username="editora")
    editor.groups.add(Group.objects.get(name="Editors"))
    moderator = StaffFactory(username="moderador")
    moderator.groups.add(Group.objects.get(name="Moderators"))

    # The editor writes the study and submits it to review.
    login(page, "editora")
    page.goto(f"/admin/pages/add/research/researchreportpage/{research_index.pk}/")
    page.fill("#id_title", "Microseguros agrícolas en la sierra")
    page.select_option("#id_study_type", "case_study")
    page.fill("#id_publication_date", "2026-01-15")
    page.fill("#id_summary", "Cómo las cooperativas de la sierra ofrecen microseguros agrícolas a sus socios.")
    page.select_option("#id_stage", "pilot")
    page.locator("#id_title").blur()
    # The slug is normally synced from the title by the admin's script on blur; set it
    # explicitly so the journey does not depend on that script's timing.
    page.eval_on_selector("#id_slug", "el => { el.value = 'microseguros-agricolas-en-la-sierra'; }")
    page.eval_on_selector("button[name='action-submit']", "button => button.click()")
    page.wait_for_url(lambda url: "/add/" not in url)
    page.wait_for_load_state("networkidle")

    report = ResearchReportPage.objects.get(title="Microseguros agrícolas en la sierra")
    assert not report.live
    workflow_state = report.current_workflow_state
    assert workflow_state is not None and workflow_state.status == "in_progress"

    # Not public yet: neither in the list nor in the search.
    logout(page)
    page.goto("/research/")
    assert "Microseguros agrícolas" not in page.content()
    page.goto("/search/?q=microseguros")
    assert "Microseguros agrícolas" not in page.content()

    # A moderator approves it, which publishes it.
    login(page, "moderador")
    page.goto(f"/admin/pages/{report.pk}/edit/")
    approve = page.locator("button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])").first
    with page.expect_navigation():
        approve.evaluate("button => button.click()")
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.live

    # Found by the search, highlighted, and in the filtered list.
    logout(page)
    page.goto("/search/?q=microseguro+agricola")
    hit = page.locator(".search-hit", has_text="Microseguros agrícolas en la sierra")
    assert hit.count() == 1
    assert hit.locator("mark").first.inner_text().lower() in {"microseguros", "agrícolas"}
    page.goto("/research/?type=case_study&year=2026&stage=pilot")
    assert page.locator(".research-item h2").all_inner_texts() == ["Microseguros agrícolas en la sierra"]
