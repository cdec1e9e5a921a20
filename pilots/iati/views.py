"""The IATI files in the API (`/api/v1/iati/activities.xml`, `/api/v1/iati/<slug>.xml`) and
staff's publishing page (`/pilots/dashboard/iati/`).

A file carries what its reader may see (`Innovation.objects.visible_to`: the public the public
innovations; a donor also the restricted ones its funder pays for; a member those its MFI takes
part in) and, of that, what is ready to publish (`readiness`). A donor's system signs in with its
API token, as for the rest of the API.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from lxml import etree
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import RequestLanguage
from portal.cache import TIMEOUT, cache_key, cached, versions
from portal.cache import subject as cache_subject
from portal.models import AssociationSettings
from portal.permissions import is_staff

from ..models import Innovation, Measurement
from .activity import CHUNK, NOT_IN_XML, Publisher, activities_document, activity_fragments, with_activity_data
from .readiness import Readiness, publisher_missing, readiness
from .validation import problems


class IATIXMLRenderer(BaseRenderer):
    """The file as written; a refusal as a small XML document saying why (and what is missing)."""

    media_type = "application/xml"
    format = "xml"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        root = etree.Element("error")
        etree.SubElement(root, "detail").text = NOT_IN_XML.sub("", str(data.get("detail", "")))
        for item in data.get("missing", []):  # may name a product line or funder as typed
            etree.SubElement(root, "missing").text = NOT_IN_XML.sub("", str(item))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def publisher_for(request) -> Publisher:
    """The association's settings for this site, and today."""
    association = AssociationSettings.for_request(request)
    return Publisher(
        ref=association.iati_ref,
        type=association.iati_type,
        name=association.display_name,
        today=timezone.localdate(),
    )


def assessed(request, queryset) -> tuple[list[Readiness], Publisher]:
    """Each innovation of `queryset` with what it lacks, and the publisher."""
    innovations = list(with_activity_data(queryset))
    publisher = publisher_for(request)
    indicators = [i.pk for innovation in innovations for i in innovation.indicators.all()]
    measured = set(
        Measurement.objects.filter(indicator_id__in=indicators).values_list("indicator_id", flat=True).distinct()
    )
    return [readiness(innovation, publisher, has_figures=measured) for innovation in innovations], publisher


def _file_response(content: bytes, filename: str) -> Response:
    response = Response(content, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


SLUG = r"^[-a-zA-Z0-9_]+$"  # Django's slug path converter
XML_FILE = OpenApiResponse(OpenApiTypes.STR, description="An IATI 2.03 `iati-activities` XML file.")
REFUSED = OpenApiResponse(OpenApiTypes.STR, description="`<error><detail>` saying why, in XML.")


def cache_params() -> dict:
    """What a kept file depends on besides the data's versions: today (an actual start date
    becomes due)."""
    return {"day": timezone.localdate()}


def activities_of(request, pks: list[int]) -> dict[int, dict]:
    """Each innovation's activity, by id: `{"xml": bytes}` when it is ready to publish, else
    `{"missing": [...]}` (what it lacks, in the reader's language). From the cache when it can:
    each is kept until a write to that innovation, the network (funders, product lines), research
    or the association's settings (`portal.cache`), so a portfolio's file after a write to one
    innovation writes that one activity again, not all. What an activity says does not depend on
    who reads it: the caller decides who may see which."""
    params = cache_params()
    versions([cache_subject("innovation", pk) for pk in pks])  # read together, once for the request
    keys = {
        pk: cache_key(
            "iati-activity", user=None, params={**params, "pk": pk}, depends=[cache_subject("innovation", pk)]
        )
        for pk in pks
    }
    kept = cache.get_many(list(keys.values()))
    found = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [pk for pk in pks if pk not in found]
    for start in range(0, len(missing), CHUNK):
        assessed_now, publisher = assessed(request, Innovation.objects.filter(pk__in=missing[start : start + CHUNK]))
        ready = [item.innovation for item in assessed_now if item.publishable]
        with translation.override("es"):  # an activity's texts are in both languages whoever asks
            written = activity_fragments(ready, publisher)
        fresh = {
            item.innovation.pk: {"xml": written[item.innovation.pk]} if item.publishable else {"missing": item.missing}
            for item in assessed_now
        }
        cache.set_many({keys[pk]: value for pk, value in fresh.items()}, TIMEOUT)
        found |= fresh
    return found


class IATIView(RequestLanguage, APIView):
    renderer_classes = [IATIXMLRenderer]


@extend_schema(
    tags=["IATI"],
    summary="IATI activities: every innovation the caller may see that is ready to publish",
    description=(
        "One IATI 2.03 activity per innovation: identifier, titles and descriptions in es and en, "
        "participating organisations, status, dates, country, DAC sector, public contributions as "
        "incoming commitments, document links, and each indicator's baseline with its target and "
        "actual per reporting period, from figures that count (staff's and approved MFI reports') only. "
        "Anonymous callers get the public innovations; a donor's token adds the restricted ones its "
        "funder pays for. 404 when none is ready to publish."
    ),
    responses={(200, "application/xml"): XML_FILE, (404, "application/xml"): REFUSED},
)
class ActivitiesView(IATIView):
    def get(self, request):
        def assemble() -> bytes | None:
            pks = list(Innovation.objects.visible_to(request.user).values_list("pk", flat=True))
            activities = activities_of(request, pks)
            ready = [activities[pk]["xml"] for pk in pks if "xml" in activities[pk]]
            return activities_document(ready) if ready else None

        # The whole file kept per viewer scope until a write to an innovation it shows (or the
        # network, research, the settings); then assembled again from the activities kept, so
        # only those written to are written again.
        content = cached("iati-activities", user=request.user, params=cache_params(), compute=assemble)
        if content is None:
            raise NotFound(_("No innovation you may see is ready to publish in IATI yet."))
        return _file_response(content, "iati-activities.xml")


@extend_schema(
    tags=["IATI"],
    summary="One innovation as an IATI activity",
    description="The innovation's IATI 2.03 activity (see the portfolio file). 409 lists what it lacks.",
    parameters=[
        OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern=SLUG, description="As in its page's address.")
    ],
    responses={
        (200, "application/xml"): XML_FILE,
        (404, "application/xml"): REFUSED,
        (409, "application/xml"): REFUSED,
    },
)
class ActivityView(IATIView):
    """One innovation's file; its slug as in its page's address."""

    def get(self, request, slug: str):
        pk = Innovation.objects.visible_to(request.user).filter(slug=slug).values_list("pk", flat=True).first()
        if pk is None:
            raise NotFound(_("No innovation found."))
        activity = activities_of(request, [pk])[pk]
        if "missing" in activity:
            refusal = {"detail": _("This innovation is not ready to publish in IATI."), "missing": activity["missing"]}
            return Response(refusal, status=status.HTTP_409_CONFLICT)
        return _file_response(activities_document([activity["xml"]]), f"iati-{slug}.xml")


@extend_schema(exclude=True)
class NoSuchFile(IATIView):
    """Any other address under /api/v1/iati/ (a slug with characters a slug cannot have): the
    files' XML 404, as the schema declares, not a redirect or the site's HTML page."""

    def get(self, request, *args, **kwargs):
        raise NotFound


def publishing(request):
    """Staff's page: every innovation, whether it is in the IATI files, what it lacks, and
    whether its activity passes the schema and the ruleset."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff(request.user):
        raise PermissionDenied(_("Only association staff can see what is ready to publish in IATI."))
    found, publisher = assessed(request, Innovation.objects.all())
    activities = activities_of(request, [item.innovation.pk for item in found if item.publishable])
    checked = {  # each activity checked alone: a schema error gives a line, not an activity
        pk: problems(activities_document([activity["xml"]]), today=publisher.today)
        for pk, activity in activities.items()
        if "xml" in activity
    }
    lines = [{"readiness": item, "problems": checked.get(item.innovation.pk)} for item in found]
    context = {
        "lines": lines,
        "association_missing": publisher_missing(publisher),
        "publisher": publisher,
        "ready_count": sum(1 for item in found if item.publishable),
    }
    return render(request, "pilots/iati/publishing.html", context)
