"""Who answered: response rates, the status of a round's invitations by group, who has not."""

from collections import Counter, defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from portal.accounts.models import InstitutionType, MemberInstitution

from ..models import (
    Invitation,
    ResponseStatus,
    Round,
)


def _rate(submitted: int, invited: int) -> float:
    return round(100 * submitted / invited, 1) if invited else 0.0


def response_rate(*, survey_round: Round) -> dict:
    counts = survey_round.invitations.aggregate(
        invited=Count("pk"),
        not_started=Count("pk", filter=Q(status=ResponseStatus.NOT_STARTED)),
        draft=Count("pk", filter=Q(status=ResponseStatus.DRAFT)),
        submitted=Count("pk", filter=Q(status=ResponseStatus.SUBMITTED)),
    )
    return counts | {"rate": _rate(counts["submitted"], counts["invited"])}


def response_rates(*, rounds) -> dict[int, dict]:
    """Response rate of many rounds in one query, by round id."""
    rows = (
        Invitation.objects.filter(round__in=rounds)
        .values("round_id")
        .annotate(
            invited=Count("pk"),
            draft=Count("pk", filter=Q(status=ResponseStatus.DRAFT)),
            submitted=Count("pk", filter=Q(status=ResponseStatus.SUBMITTED)),
        )
    )
    return {row["round_id"]: row | {"rate": _rate(row["submitted"], row["invited"])} for row in rows}


def status_breakdown(*, survey_round: Round) -> dict[str, list[dict]]:
    """Invitations by status, per country and per institution type, with the response rate."""
    rows = survey_round.invitations.values("institution__country", "institution__institution_type", "status")
    groups: dict[str, dict] = {"country": defaultdict(Counter), "type": defaultdict(Counter)}
    for row in rows:
        groups["country"][row["institution__country"]][row["status"]] += 1
        groups["type"][row["institution__institution_type"]][row["status"]] += 1
    return {
        "by_country": _status_rows(groups["country"], country_name),
        "by_type": _status_rows(groups["type"], type_name),
    }


def _status_rows(groups: dict, label) -> list[dict]:
    rows = []
    for key, counts in groups.items():
        invited = sum(counts.values())
        rows.append(
            {
                "key": key,
                "label": label(key),
                "invited": invited,
                "not_started": counts[ResponseStatus.NOT_STARTED],
                "draft": counts[ResponseStatus.DRAFT],
                "submitted": counts[ResponseStatus.SUBMITTED],
                "rate": _rate(counts[ResponseStatus.SUBMITTED], invited),
            }
        )
    return sorted(rows, key=lambda row: str(row["label"]))


def country_name(code) -> str:
    from django_countries import countries

    return str(countries.name(code)) or str(code)


def type_name(code) -> str:
    return str(dict(InstitutionType.choices).get(code, code))


def invitation_counts(*, survey_round: Round) -> dict:
    """The counts a change of state speaks of, in one query: invited, by status, and the
    invitations recorded but not yet sent, with and without a contact e-mail."""
    no_email = Q(institution__contact_email="")
    unsent = Q(sent_at__isnull=True)
    counts = survey_round.invitations.aggregate(
        invited=Count("pk"),
        not_started=Count("pk", filter=Q(status=ResponseStatus.NOT_STARTED)),
        draft=Count("pk", filter=Q(status=ResponseStatus.DRAFT)),
        submitted=Count("pk", filter=Q(status=ResponseStatus.SUBMITTED)),
        unsent_mailed=Count("pk", filter=unsent & ~no_email),
        unsent_unmailed=Count("pk", filter=unsent & no_email),
        without_email=Count("pk", filter=no_email),
    )
    return counts | {"rate": _rate(counts["submitted"], counts["invited"])}


def invite_preview(*, survey_round: Round, today=None) -> dict:
    """Who "invite every member not yet invited" would invite: those with a contact e-mail (and
    when their e-mail goes: now on an open round, else on the opening date) and, apart, those
    without one. Two queries."""
    today = today or timezone.localdate()
    invited = Invitation.objects.filter(round=survey_round, institution=OuterRef("pk"))
    institutions = list(MemberInstitution.objects.exclude(Exists(invited)).order_by("name", "pk"))
    return {
        "with_email": [institution for institution in institutions if institution.contact_email],
        "without_email": [institution for institution in institutions if not institution.contact_email],
        "already_invited": survey_round.invitations.count(),
        "sends_now": survey_round.is_open(today),
        "closed": survey_round.is_closed(today),
        "everyone_invited": not institutions,
    }


def non_respondents(*, survey_round: Round) -> list[Invitation]:
    """Invitations of a round not yet submitted, by institution name, with what staff need to chase them."""
    return list(
        survey_round.invitations.exclude(status=ResponseStatus.SUBMITTED)
        .select_related("institution")
        .order_by("institution__name", "pk")
    )
