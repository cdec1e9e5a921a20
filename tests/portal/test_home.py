"""The home page: the portal at a glance, as each reader may see it."""

import pytest

from pilots.cycle import Stage
from pilots.models import Visibility
from tests.pilots.factories import InnovationFactory
from tests.research.fixtures import home, locales  # noqa: F401


@pytest.mark.django_db
def test_home_counts_only_the_innovations_the_reader_may_see(client, staff_user, home):  # noqa: F811
    InnovationFactory(stage=Stage.PILOT, visibility=Visibility.PUBLIC)
    InnovationFactory(stage=Stage.PILOT, visibility=Visibility.STAFF)
    InnovationFactory(stage=Stage.SCALE, visibility=Visibility.PUBLIC)

    def counts(response):
        return {row["stage"].value: row["count"] for row in response.context["stages"]}

    public = counts(client.get("/"))
    assert (public["pilot"], public["scale"], public["identify"]) == (1, 1, 0)
    client.force_login(staff_user)
    assert counts(client.get("/"))["pilot"] == 2
    html = client.get("/").content.decode()
    assert "/pilots/?stage=pilot" in html
    assert html.count('id="cycle-h"') == 1
    title = html[html.index("<title>") : html.index("</title>")]
    assert "<section" not in title
