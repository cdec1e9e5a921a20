"""A study with a large photograph fits the screen: on a phone (390 px) nothing scrolls sideways,
and on a desktop (1280 px) the image stays inside the study's column, with or without its table
of contents."""

import re

from django.conf import settings
from django.core.files.storage import default_storage

from tests.browser.test_phone_width import PHONE, too_wide
from tests.research.fixtures import home, image_block, large_image, locales, make_report, research_index  # noqa: F401

DESKTOP = {"width": 1280, "height": 900}


def serve_media(route) -> None:
    """The test server keeps uploads in memory and serves no media: hand the browser the
    rendition it asked for, so that it lays out the real picture."""
    name = route.request.url.split(settings.MEDIA_URL, 1)[1]
    with default_storage.open(name) as file:
        route.fulfill(status=200, content_type="image/png", body=file.read())


def outside_the_column(page) -> list[str]:
    """Each body image that reaches past the right edge of its column, with both edges."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.report-body figure img')].flatMap(img => {
            const column = img.closest('.report-body').getBoundingClientRect();
            const box = img.getBoundingClientRect();
            return box.right > column.right + 0.5 || box.width > column.width + 0.5
                ? [`${img.alt}: ${Math.round(box.left)}-${Math.round(box.right)} px in a column of `
                   + `${Math.round(column.left)}-${Math.round(column.right)} px`]
                : [];
        })"""
    )


def test_a_study_with_a_large_image_fits_a_phone_and_a_desktop(browser, live_server, research_index):  # noqa: F811
    photo = large_image(width=2400, height=1200)
    with_contents = make_report(
        research_index,
        title="Grupos de ahorro en Cusco",
        body=[
            ("heading", {"text": "Resultados", "level": "h2"}),
            ("paragraph", "<p>Las socias ahorran cada semana.</p>"),
            image_block(photo, alt_text="Socias reunidas"),
        ],
    )
    without_contents = make_report(
        research_index, title="Ferias de microseguros", body=[image_block(photo, alt_text="Feria en Puno")]
    )
    problems = []
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="es-EC")
        page = context.new_page()
        page.route(f"**{settings.MEDIA_URL}**", serve_media)
        for study in (with_contents, without_contents):
            assert page.goto(study.url).status == 200
            images = page.locator(".report-body figure img")
            assert images.count() == 1
            loaded = images.first.evaluate("img => img.decode().then(() => img.currentSrc)")
            assert re.search(r"\.width-(400|800|1200|1600)\.png$", loaded), loaded  # a rendition, not the original
            width = images.first.bounding_box()["width"]
            if wide := too_wide(page):
                problems.append(f"{viewport['width']} px {study.url} scrolls sideways: {wide}")
            if outside := outside_the_column(page):
                problems.append(f"{viewport['width']} px {study.url}: {outside}")
            if width < min(viewport["width"] - 64, 700):  # the column holds it, not a thumbnail
                problems.append(f"{viewport['width']} px {study.url}: image only {width:.0f} px wide")
        context.close()
    assert not problems, "\n".join(problems)
