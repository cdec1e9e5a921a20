"""The frame around a cached body is rendered once and filled per request (portal.frames): the
page is the same HTML as rendered in full, and nothing of one request shows in another's."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from portal import frames
from tests.factories import DonorFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty():
    cache.clear()
    frames._frames.clear()
    yield
    cache.clear()


def request_for(user, path="/en/pilots/dashboard/?q=microseguro"):
    request = RequestFactory().get(path)
    request.user = user
    request._messages = CookieStorage(request)
    return request


def unmasked(html: str) -> str:
    """The page without its CSRF token's value, which Django masks differently on every use."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)


@pytest.mark.parametrize("who", ["anonymous", "member", "donor", "staff"])
@pytest.mark.parametrize("language", ["es", "en"])
def test_a_framed_page_is_the_page_rendered_in_full(who, language):
    from django.contrib.auth.models import AnonymousUser

    user = {
        "anonymous": AnonymousUser,
        "member": MemberUserFactory,
        "donor": DonorFactory,
        "staff": StaffFactory,
    }[who]()
    body = mark_safe("<section>the cached body</section>")
    with translation.override(language):
        for _ in range(2):  # built, then from memory
            request = request_for(user)
            framed = frames.render_framed(
                request, "pilots/innovation_detail.html", {"cached_title": "Microseguro"}, body
            )
            full = render(request, "pilots/innovation_detail.html", {"cached_title": "Microseguro", "body": body})
            assert unmasked(framed.content.decode()) == unmasked(full.content.decode())
    assert len(frames._frames) == 1


def test_each_request_gets_its_own_name_token_messages_and_search_text():
    ana, luis = StaffFactory(first_name="Ana", last_name="Pérez"), StaffFactory(first_name="Luis", last_name="Mora")
    first = request_for(ana, "/en/pilots/dashboard/?q=<script>alert(1)</script>")
    from django.contrib import messages

    messages.success(first, "Measurement saved.")
    page = frames.render_framed(first, "pilots/dashboard.html", {}, "<p>body</p>").content.decode()
    assert "Ana Pérez" in page and "Measurement saved." in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert get_messages(first).used  # shown: not shown again
    second = request_for(luis, "/en/pilots/dashboard/")
    page = frames.render_framed(second, "pilots/dashboard.html", {}, "<p>body</p>").content.decode()
    assert "Luis Mora" in page and "Ana Pérez" not in page and "Measurement saved." not in page
    assert "alert(1)" not in page
    assert len(frames._frames) == 1  # the same frame, filled for each


def test_a_cached_page_shows_the_message_of_the_action_that_led_to_it():
    """A staff action redirects to the innovation's page, whose body and frame are cached: its
    message still shows, once."""
    innovation = InnovationFactory(slug="rfr", started_on=datetime.date(2010, 1, 1))
    IndicatorFactory(innovation=innovation)
    staff = Client()
    staff.force_login(StaffFactory())
    html = staff.get("/en/pilots/rfr/").content.decode()  # the body and the frame are cached
    key = re.search(r'name="measurement-submission_key" value="([^"]+)"', html)[1]
    indicator = innovation.indicators.get()
    response = staff.post(
        "/en/pilots/rfr/measurements/",
        {
            "measurement-submission_key": key,
            "measurement-indicator": indicator.pk,
            "measurement-measured_on": "2011-03-31",
            "measurement-value": "1,250",
            "measurement-source": "Informe trimestral",
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200, re.findall(r"errorlist[^>]*>.{0,300}", html)
    assert 'class="messages"' in html
    assert 'class="messages"' not in staff.get("/en/pilots/rfr/").content.decode()
