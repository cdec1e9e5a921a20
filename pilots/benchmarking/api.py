"""The public peer bulletin in the JSON API: `/api/v1/benchmarking/bulletin/?semester=2011-1`.

The same aggregate as the bulletin page and its files, for everyone alike (anonymous
callers, donors, members, staff): for one semester, each peer group's quartiles of every
ratio, from `peers.peer_rows` only — no institution named, no institution's own figure. A
group too small to publish is not listed, only counted (`hidden_groups`); in a listed
group, a ratio fewer than 3 of its institutions have is a cell with `suppressed: true` and
its numbers null. The answer also lists every semester published (`semesters`), newest
first, so a program finds the others without another endpoint.

`semester` is the year and the half (1: January–June, 2: July–December); empty or absent,
the latest. A semester of that shape without approved reports answers with no group in any
dimension, as a filter that names nothing gives an empty list elsewhere in the API.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.api import FILTER_ERRORS, Refusal, RequestLanguage

from .downloads import published_semesters
from .peers import DIMENSIONS, peer_rows
from .ratios import RATIOS
from .views_common import Semester

SEMESTER_PATTERN = r"^((19|2[0-9])[0-9]{2}-[12])?$"  # 2011-1; empty: the latest


class BulletinSemesterSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Year and half: 2011-1 (January–June) or 2011-2 (July–December).")
    label = serializers.CharField(help_text="In the request's language: January–June 2011.")
    start = serializers.DateField()
    end = serializers.DateField()


class BulletinRatioSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.ChoiceField(
        ["percent", "money", "count"], help_text="percent (5.5 means 5.5 %), money (US dollars) or count."
    )
    better = serializers.ChoiceField(
        ["higher", "lower"], allow_null=True, help_text="Which way is better; null where neither is in itself."
    )
    formula = serializers.CharField()
    source = serializers.CharField()


def _quartile(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True, help_text=help_text)


class BulletinCellSerializer(serializers.Serializer):
    ratio = serializers.CharField(help_text="The ratio's key (see `ratios`).")
    suppressed = serializers.BooleanField(
        help_text="True: fewer than 3 of the group's institutions have this ratio; its numbers are null."
    )
    institutions = serializers.IntegerField(allow_null=True, help_text="The group's institutions with this ratio.")
    q1 = _quartile("First quartile (inclusive method, as spreadsheets' QUARTILE.INC), to 2 places.")
    median = _quartile("Median, to 2 places.")
    q3 = _quartile("Third quartile, to 2 places.")


class BulletinGroupSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="andean, EC, small, andean:small…")
    label = serializers.CharField()
    institutions = serializers.IntegerField(help_text="At least 3.")
    cells = BulletinCellSerializer(many=True, help_text="One per ratio, in the order of `ratios`.")


class BulletinDimensionSerializer(serializers.Serializer):
    key = serializers.ChoiceField([dimension.key for dimension in DIMENSIONS])
    label = serializers.CharField()
    groups = BulletinGroupSerializer(many=True, help_text="The published groups, by name.")
    hidden_groups = serializers.IntegerField(
        help_text="Groups not published: fewer than 3 institutions, or hidden so that a smaller one "
        "cannot be worked out by subtraction. They are not named."
    )


class BulletinSerializer(serializers.Serializer):
    semester = BulletinSemesterSerializer(allow_null=True, help_text="Null when no semester has approved reports yet.")
    illustrative = serializers.BooleanField(help_text="True: some of the figures are made up for the demo.")
    semesters = BulletinSemesterSerializer(many=True, help_text="Every semester published, newest first.")
    ratios = BulletinRatioSerializer(many=True)
    dimensions = BulletinDimensionSerializer(many=True)


def semester_data(semester: Semester) -> dict:
    return {"code": semester.key, "label": semester.label, "start": semester.start, "end": semester.end}


def ratio_data(ratio) -> dict:
    return {
        "key": ratio.key,
        "label": str(ratio.label),
        "unit": ratio.unit,
        "better": ratio.better,
        "formula": str(ratio.formula),
        "source": ratio.source,
    }


def dimensions_data(period_start: datetime.date) -> list[dict]:
    """`peer_rows` by dimension: the published groups with their cells, the hidden ones counted."""
    dimensions = {d.key: {"key": d.key, "label": str(d.label), "groups": [], "hidden_groups": 0} for d in DIMENSIONS}
    for row in peer_rows(period_start):
        dimension = dimensions[row.dimension]
        if row.suppressed:
            dimension["hidden_groups"] += 1
            continue
        cells = [row.cells[ratio.key] for ratio in RATIOS]
        dimension["groups"].append(
            {
                "key": row.group,
                "label": row.group_label,
                "institutions": row.n,
                "cells": [
                    {
                        "ratio": cell.ratio_key,
                        "suppressed": cell.suppressed,
                        "institutions": cell.n,
                        "q1": cell.q1,
                        "median": cell.median,
                        "q3": cell.q3,
                    }
                    for cell in cells
                ],
            }
        )
    return list(dimensions.values())


def bulletin_data(wanted: str) -> dict:
    """The bulletin of the semester `wanted` ("2011-1"; empty: the latest published)."""
    published = published_semesters()
    if wanted:
        year, half = (int(part) for part in wanted.split("-"))
        chosen = Semester(datetime.date(year, 1 if half == 1 else 7, 1))
        illustrative = next((made_up for s, made_up in published if s == chosen), False)
    else:
        chosen, illustrative = published[0] if published else (None, False)
    return {
        "semester": semester_data(chosen) if chosen else None,
        "illustrative": illustrative,
        "semesters": [semester_data(semester) for semester, _made_up in published],
        "ratios": [ratio_data(ratio) for ratio in RATIOS],
        "dimensions": dimensions_data(chosen.start) if chosen else [],
    }


class BenchmarkingViewSet(RequestLanguage, viewsets.GenericViewSet):
    """Benchmarking's public aggregate: the peer bulletin (`bulletin`), each peer group's
    quartiles of every ratio in a semester, never an institution's name or own figure; the
    same for every caller."""

    permission_classes = [permissions.AllowAny]
    serializer_class = BulletinSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary="The public peer bulletin of one semester",
        parameters=[
            OpenApiParameter(
                "semester",
                str,
                pattern=SEMESTER_PATTERN,
                description="Year and half, 2011-1 (January–June) or 2011-2 (July–December). Empty: the latest.",
            )
        ],
        responses={
            200: BulletinSerializer,
            400: OpenApiResponse(FILTER_ERRORS, description="`semester` is not of the shape 2011-1."),
            401: OpenApiResponse(
                Refusal, description="A token that is not valid (or an inactive account's): send a valid one, or none."
            ),
        },
    )
    @action(detail=False, methods=["get"])
    def bulletin(self, request):
        wanted = request.query_params.get("semester", "")
        if not re.search(SEMESTER_PATTERN, wanted):
            message = _("Write the year and the half: 2011-1 (January–June) or 2011-2 (July–December).")
            raise ValidationError({"semester": [message]})
        return Response(BulletinSerializer(bulletin_data(wanted)).data)
