"""The demand survey in the JSON API (`/api/v1/survey-rounds/`): aggregates, never answers.

Who reads what, as on the pages: association staff read every round that has opened,
with the breakdowns by country and institution type of the results page; a member
institution reads the network's aggregates of the rounds it answered whose results staff
have published (what its comparison page shows); donors and anonymous callers read nothing. The numbers come from
`surveys.selectors.round_results`, with its suppression: a question answered by fewer than
`MIN_GROUP_SIZE` members shows no aggregate, small groups (and the groups that would give
them away by subtraction) are hidden, and free-text answers are never returned.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from portal.api import CodeLabel, Refusal, RequestLanguage, code_label
from portal.permissions import is_member, is_staff

from . import selectors
from .models import OPENED_STATES, Invitation, QuestionType, ResponseStatus, Round, RoundState


class SurveyReaders(permissions.BasePermission):
    """Association staff and member institutions' users; not donors, not anonymous callers."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user.is_authenticated and not (is_staff(user) or is_member(user)):
            self.message = _("Survey results are for association staff and for the member institutions that answered.")
            return False
        return user.is_authenticated


class RankingRowSerializer(serializers.Serializer):
    option = serializers.CharField()
    label = serializers.CharField()
    rank = serializers.IntegerField()
    score = serializers.IntegerField(help_text="Borda count: K points for a first place, K-1 for a second...")
    average = serializers.FloatField()
    first_places = serializers.IntegerField()


class ShareRowSerializer(serializers.Serializer):
    option = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField(help_text="Percentage of the respondents who chose it.")


class NumbersSerializer(serializers.Serializer):
    n = serializers.IntegerField()
    min = serializers.FloatField(allow_null=True)
    q1 = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    q3 = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    mean = serializers.FloatField(allow_null=True)


class AggregateSerializer(serializers.Serializer):
    respondents = serializers.IntegerField(
        allow_null=True, help_text="Null when fewer than 3 (the number itself is hidden)."
    )
    suppressed = serializers.BooleanField(
        help_text="True: too few respondents here, or it would give a small group away."
    )
    ranking = RankingRowSerializer(many=True, allow_null=True)
    shares = ShareRowSerializer(many=True, allow_null=True)
    numbers = NumbersSerializer(allow_null=True)


class GroupSerializer(AggregateSerializer):
    key = serializers.CharField()
    label = serializers.CharField()


class QuestionResultSerializer(AggregateSerializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = CodeLabel()
    by_country = GroupSerializer(many=True, help_text="Staff only; empty for members.")
    by_institution_type = GroupSerializer(many=True, help_text="Staff only; empty for members.")


class ResponseSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    submitted = serializers.IntegerField()
    rate = serializers.FloatField(help_text="Submitted as a percentage of invited.")


class RoundSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Year and semester, e.g. 2026-S1.")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    closed = serializers.BooleanField()
    state = CodeLabel(help_text="Code: draft, scheduled, open, closed or published (results published).")


class RoundResultsSerializer(RoundSerializer):
    response = ResponseSerializer()
    questions = QuestionResultSerializer(many=True)


def _aggregate(question, entry: dict, *, respondents: int) -> dict:
    """One aggregate (a question's, or one group's) as the API shows it: suppressed when
    there are fewer than `MIN_GROUP_SIZE` respondents or the selector hid it."""
    small = respondents < selectors.MIN_GROUP_SIZE
    suppressed = small or entry.get("suppressed", False) or question.kind == QuestionType.TEXT
    labels = {option.code: option.label for option in question.options.all()}

    def shown(key: str):
        return None if suppressed or key not in entry else entry[key]

    def labelled(rows):  # each option's code as `option`, with its label in the request's language
        if rows is None:
            return None
        return [
            {"option": row["code"], "label": labels.get(row["code"], row["code"])}
            | {key: value for key, value in row.items() if key != "code"}
            for row in rows
        ]

    return {
        "respondents": None if small else respondents,
        "suppressed": suppressed,
        "ranking": labelled(shown("ranking")),
        "shares": labelled(shown("shares")),
        "numbers": shown("numbers"),
    }


def _groups(question, groups: list[dict]) -> list[dict]:
    return [
        {"key": group["key"], "label": str(group["label"]), **_aggregate(question, group, respondents=group["n"])}
        for group in groups
    ]


def round_results_data(survey_round: Round, *, breakdowns: bool) -> dict:
    results = selectors.round_results(survey_round=survey_round)
    rate = results["rate"]
    return {
        **_round_data(survey_round),
        "response": {"invited": rate["invited"], "submitted": rate["submitted"], "rate": rate["rate"]},
        "questions": [
            {
                "code": item["question"].code,
                "label": item["question"].label,
                "kind": code_label(item["question"].kind, item["question"].get_kind_display()),
                **_aggregate(item["question"], item, respondents=item["n"]),
                "by_country": _groups(item["question"], item.get("by_country", [])) if breakdowns else [],
                "by_institution_type": _groups(item["question"], item.get("by_type", [])) if breakdowns else [],
            }
            for item in results["questions"]
        ],
    }


def _round_data(survey_round: Round) -> dict:
    return {
        "code": survey_round.code,
        "opens_on": survey_round.opens_on,
        "closes_on": survey_round.closes_on,
        "closed": survey_round.is_closed(),
        "state": code_label(survey_round.state, survey_round.get_state_display()),
    }


@extend_schema_view(
    list=extend_schema(
        responses={
            200: RoundSerializer(many=True),
            401: OpenApiResponse(
                Refusal, description="Not signed in, or a token that is not valid: send a valid token or a session."
            ),
            403: OpenApiResponse(Refusal, description="Donors and other callers do not read survey results."),
            404: OpenApiResponse(Refusal, description="No such page of results."),
        }
    ),
    retrieve=extend_schema(
        responses={
            200: RoundResultsSerializer,
            401: OpenApiResponse(
                Refusal, description="Not signed in, or a token that is not valid: send a valid token or a session."
            ),
            403: OpenApiResponse(Refusal, description="Donors and other callers do not read survey results."),
            404: OpenApiResponse(Refusal, description="No such round that the caller may read."),
        }
    ),
)
class SurveyRoundViewSet(RequestLanguage, viewsets.GenericViewSet):
    """Rounds of the semiannual demand survey and their aggregated results (never a member's
    answers): staff read every round that has opened, a member the rounds it answered whose
    results are published."""

    permission_classes = [SurveyReaders]
    lookup_field = "code"
    lookup_value_regex = r"\d{4}-S[12]"
    filter_backends = []

    def get_queryset(self):
        user = self.request.user
        if is_staff(user):
            return Round.objects.filter(state__in=OPENED_STATES)
        answered = Invitation.objects.filter(
            round=OuterRef("pk"), institution_id=user.institution_id, status=ResponseStatus.SUBMITTED
        )  # a subquery, not a join: each round once, whatever the paging counts
        return Round.objects.filter(Exists(answered), state=RoundState.RESULTS_PUBLISHED)

    def get_serializer_class(self):
        return RoundResultsSerializer if self.action == "retrieve" else RoundSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset().order_by("-year", "-semester"))
        return self.get_paginated_response([_round_data(survey_round) for survey_round in page])

    def retrieve(self, request, *args, **kwargs):
        year, semester = kwargs["code"].split("-S")
        survey_round = self._get(int(year), int(semester))
        return Response(round_results_data(survey_round, breakdowns=is_staff(request.user)))

    def _get(self, year: int, semester: int) -> Round:
        found = self.get_queryset().filter(year=year, semester=semester).first()
        if found is None:
            raise Http404(_("No survey round with this code that you may read."))
        return found
