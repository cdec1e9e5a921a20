"""The Wagtail admin writes through the services (`pilots.services`): an admin edit is refused
with the same message as the quick forms, next to its field, with what was typed kept on screen;
and no tracker table's create, edit or delete bypasses its service."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from wagtail.users.models import UserProfile

from pilots.models import Contribution, Indicator, Innovation, Milestone
from pilots.services import contribution_record, contribution_update, indicator_update, innovation_update
from pilots.services import record_delete as real_record_delete
from pilots.wagtail_admin.base import ServiceCreateView, ServiceDeleteView, ServiceEditView, ServiceViewSet
from pilots.wagtail_admin.indicators import MeasurementDeleteView
from pilots.wagtail_hooks import InnovationTrackerGroup
from tests.factories import FunderFactory
from tests.pilots.factories import ContributionFactory, IndicatorFactory, InnovationFactory, MilestoneFactory


@pytest.fixture
def admin_client(staff_client, staff_user):
    profile = UserProfile.get_for_user(staff_user)
    profile.preferred_language = "en"  # the services' messages are asserted in English
    profile.save()
    return staff_client


def _innovation_form(client, innovation, **changes) -> dict:
    url = f"/admin/innovations/edit/{innovation.pk}/"
    loaded = client.get(url).context["form"].initial["loaded_version"]
    return {
        "title": innovation.title,
        "title_en": "",
        "slug": innovation.slug,
        "summary": innovation.summary,
        "summary_en": "",
        "product_line": innovation.product_line_id,
        "countries": ["EC"],
        "lead": "",
        "visibility": innovation.visibility,
        "status": innovation.status,
        "started_on": innovation.started_on.isoformat(),
        "loaded_version": loaded,
        **changes,
    }


def test_an_admin_edit_with_a_future_start_is_refused_with_the_services_message(admin_client):
    innovation = InnovationFactory(title="Old title", started_on=datetime.date(2020, 1, 1))
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    data = _innovation_form(admin_client, innovation, title="My typed title", started_on=future)
    refused = admin_client.post(f"/admin/innovations/edit/{innovation.pk}/", data)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "An innovation cannot start in the future." in html
    assert "My typed title" in html
    assert "started_on" in refused.context["form"].errors
    innovation.refresh_from_db()
    assert (innovation.title, innovation.started_on) == ("Old title", datetime.date(2020, 1, 1))


def test_an_admin_edit_to_a_reserved_slug_is_refused_with_the_services_message(admin_client):
    innovation = InnovationFactory(slug="rfr")
    data = _innovation_form(admin_client, innovation, slug="dashboard")
    refused = admin_client.post(f"/admin/innovations/edit/{innovation.pk}/", data)
    assert refused.status_code == 200
    assert "is used by a page of the portal: choose another." in refused.content.decode()
    assert "slug" in refused.context["form"].errors
    assert Innovation.objects.get(pk=innovation.pk).slug == "rfr"


def test_an_admin_edit_of_an_indicator_goes_through_its_service(admin_client):
    indicator = IndicatorFactory(name="Clients", unit="count")
    data = {
        "innovation": indicator.innovation_id,
        "name": "Clients",
        "name_en": "",
        "unit": "money",
        "counted": "",
        "direction": "higher",
        "aggregation": "latest",
        "currency": "USD",
        "order": "0",
    }
    with mock.patch("pilots.wagtail_admin.indicators.indicator_update", wraps=indicator_update) as service:
        saved = admin_client.post(f"/admin/indicators/edit/{indicator.pk}/", data)
    assert saved.status_code == 302
    assert service.call_args.kwargs["indicator"].pk == indicator.pk
    assert Indicator.objects.get(pk=indicator.pk).currency == "USD"


def test_admin_create_and_edit_of_a_contribution_go_through_its_services(admin_client):
    innovation = InnovationFactory()
    funder = FunderFactory()
    data = {
        "innovation": innovation.pk,
        "funder": funder.pk,
        "stage": "pilot",
        "amount": "1000",
        "currency": "USD",
        "description": "Grant",
        "description_en": "",
    }
    with mock.patch("pilots.wagtail_admin.participation.contribution_record", wraps=contribution_record) as record:
        assert admin_client.post("/admin/contributions/new/", data).status_code == 302
    assert record.called
    contribution = Contribution.objects.get()
    with mock.patch("pilots.wagtail_admin.participation.contribution_update", wraps=contribution_update) as update:
        edit = admin_client.post(f"/admin/contributions/edit/{contribution.pk}/", {**data, "amount": "2500"})
    assert edit.status_code == 302 and update.called
    assert Contribution.objects.get().amount == Decimal("2500")


def test_an_admin_edit_of_a_milestone_obeys_the_milestone_rules(admin_client):
    milestone = MilestoneFactory(title="Launch")
    data = {
        "innovation": milestone.innovation_id,
        "title": "Launch",
        "title_en": "",
        "stage": milestone.stage,
        "planned_start": "",
        "planned_date": "2021-05-01",
        "actual_date": (datetime.date.today() + datetime.timedelta(days=3)).isoformat(),
        "status": "done",
        "notes": "",
    }
    refused = admin_client.post(f"/admin/milestones/edit/{milestone.pk}/", data)
    assert refused.status_code == 200
    assert "A milestone cannot be completed in the future." in refused.content.decode()
    assert "actual_date" in refused.context["form"].errors
    assert Milestone.objects.get(pk=milestone.pk).actual_date is None


def test_an_admin_edit_breaking_a_constraint_gets_the_services_words_not_the_constraints_name(admin_client):
    """The form leaves the rule to the service, which says what is wrong next to the field."""
    milestone = MilestoneFactory(title="Launch", planned_start=None, planned_date=datetime.date(2021, 5, 1))
    data = {
        "innovation": milestone.innovation_id,
        "title": "Launch",
        "title_en": "",
        "stage": milestone.stage,
        "planned_start": "2021-06-01",
        "planned_date": "2021-05-01",
        "actual_date": "",
        "status": "planned",
        "notes": "Typed notes",
    }
    refused = admin_client.post(f"/admin/milestones/edit/{milestone.pk}/", data)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "The planned start must be on or before the planned date." in html
    assert "Constraint" not in html and "milestone_start_before_due" not in html
    assert "planned_start" in refused.context["form"].errors
    assert "Typed notes" in html
    assert Milestone.objects.get(pk=milestone.pk).planned_start is None


def test_admin_create_edit_and_delete_of_an_innovation_call_its_services(admin_client, staff_user):
    innovation = InnovationFactory(title="Old title")
    with mock.patch("pilots.wagtail_admin.innovations.innovation_update", wraps=innovation_update) as update:
        data = _innovation_form(admin_client, innovation, title="New title")
        assert admin_client.post(f"/admin/innovations/edit/{innovation.pk}/", data).status_code == 302
    assert update.call_args.kwargs["innovation"].pk == innovation.pk
    assert Innovation.objects.get(pk=innovation.pk).title == "New title"

    with mock.patch("pilots.wagtail_admin.innovations.innovation_create") as create:
        create.return_value = innovation
        data = {**_innovation_form(admin_client, innovation), "slug": "another", "title": "Another"}
        admin_client.post("/admin/innovations/new/", data)
    assert create.call_args.kwargs["slug"] == "another" and create.call_args.kwargs["user"] == staff_user

    contribution = ContributionFactory()
    deleted = [innovation.pk, contribution.pk]
    with mock.patch("pilots.wagtail_admin.base.record_delete", wraps=real_record_delete) as delete:
        assert admin_client.post(f"/admin/innovations/delete/{innovation.pk}/").status_code == 302
        assert admin_client.post(f"/admin/contributions/delete/{contribution.pk}/").status_code == 302
    assert [type(call.kwargs["record"]) for call in delete.call_args_list] == [Innovation, Contribution]
    assert not Innovation.objects.filter(pk=deleted[0]).exists()
    assert not Contribution.objects.filter(pk=deleted[1]).exists()


def test_every_tracker_table_with_rules_saves_and_deletes_through_a_service():
    """A new table added to the admin with Wagtail's plain views would save without its rules."""
    for viewset in InnovationTrackerGroup.items:
        if not isinstance(viewset, ServiceViewSet):
            continue
        assert issubclass(viewset.add_view_class, ServiceCreateView), viewset
        assert issubclass(viewset.edit_view_class, ServiceEditView), viewset
        assert issubclass(viewset.delete_view_class, ServiceDeleteView | MeasurementDeleteView), viewset
        assert type(viewset).save is not ServiceViewSet.save, viewset
    plain = {type(v).__name__ for v in InnovationTrackerGroup.items if not isinstance(v, ServiceViewSet)}
    assert plain == {
        "SelectionCriterionViewSet",
        "PeerAverageViewSet",
        "InstitutionRatioViewSet",
        "ChangeHistoryViewSet",
    }
