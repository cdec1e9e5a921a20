"""Page-tree fixtures and small builders shared by the research and search tests."""

import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from PIL import Image as Picture
from wagtail.images.models import Image
from wagtail.models import Locale, Page, Site

from pilots.models import Innovation, Lesson
from portal.models import HomePage
from research.models import ResearchIndexPage, ResearchReportPage
from tests.factories import ProductLineFactory


@pytest.fixture
def locales(db):
    es = Locale.objects.get_or_create(language_code="es")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    return es, en


@pytest.fixture
def home(locales):
    es, en = locales
    root = Page.get_first_root_node()
    home = HomePage(title="Inicio", slug="inicio-pruebas", locale=es)
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True, site_name="Portal")
    english = home.copy_for_translation(en)
    english.save_revision().publish()
    return home


@pytest.fixture
def research_index(home, locales):
    es, en = locales
    index = ResearchIndexPage(title="Investigación", slug="research", locale=es)
    home.add_child(instance=index)
    index.save_revision().publish()
    english = index.copy_for_translation(en)
    english.title = "Research"
    english.save_revision().publish()
    return index


@pytest.fixture
def english_index(research_index, locales):
    return research_index.get_translation(locales[1])


def make_report(parent, *, title, summary="Resumen.", publish=True, body=None, **fields) -> ResearchReportPage:
    product_lines = fields.pop("product_lines", [])
    innovations = fields.pop("innovations", [])
    page = ResearchReportPage(
        title=title,
        summary=summary,
        study_type=fields.pop("study_type", "market"),
        publication_date=fields.pop("publication_date", date(2008, 9, 1)),
        countries=fields.pop("countries", ["EC"]),
        stage=fields.pop("stage", "identify"),
        body=body or [],
        locale=parent.locale,
        live=publish,
        **fields,
    )
    page.product_lines.set(product_lines)
    page.innovations.set(innovations)
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def translate(page, locale, *, title, summary="Summary.") -> ResearchReportPage:
    translation = page.copy_for_translation(locale)
    translation.title = title
    translation.summary = summary
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def make_innovation(*, title, slug, summary="", visibility="public", line=None, countries=("EC",), stage="pilot"):
    return Innovation.objects.create(
        title=title,
        slug=slug,
        summary=summary or title,
        product_line=line
        or ProductLineFactory(code="micro-insurance", name_es="Microseguros", name_en="Micro-insurance"),
        countries=list(countries),
        visibility=visibility,
        stage=stage,
        started_on=date(2009, 1, 1),
    )


def make_lesson(innovation, *, text, stage="pilot", recorded_on=date(2011, 3, 1)):
    return Lesson.objects.create(innovation=innovation, stage=stage, kind="worked", text=text, recorded_on=recorded_on)


def large_image(*, width=2400, height=1200, title="Grupo de ahorro en Cusco") -> Image:
    """A photograph as editors upload them: far wider than any screen's column."""
    png = io.BytesIO()
    Picture.new("RGB", (width, height), (11, 95, 115)).save(png, "PNG")
    return Image.objects.create(title=title, file=ContentFile(png.getvalue(), name="grupo-de-ahorro.png"))


def image_block(image: Image, *, alt_text="Socias de un grupo de ahorro", caption="Reunión de un grupo") -> tuple:
    return ("image", {"image": image, "alt_text": alt_text, "caption": caption})
