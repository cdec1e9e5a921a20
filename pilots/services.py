"""Every write with rules on the innovation tracker.

Views, admin views, the demo loader and tests call these functions; none of them
writes to these models directly. Each service checks who is acting, refuses bad
input with a clear, translatable `ValidationError` (keyed by field where there is
one), and runs in a transaction.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext as _

from portal.accounts.people import display_person

from .cycle import ACTION_STAGE, Stage, stage_number
from .models import (
    ChecklistItem,
    Contribution,
    EvaluationAnswer,
    Indicator,
    Innovation,
    Lesson,
    Measurement,
    Milestone,
    MilestoneStatus,
    Participation,
    PeriodReport,
    ProductTerms,
    StageChange,
    Target,
    Unit,
)
from .pricing.cost import Terms
from .pricing.cost import validate as validate_terms

# Addresses under /pilots/ that are pages, not innovations.
RESERVED_SLUGS = {"dashboard", "reports", "mfi-reports", "measurements"}  # pages of /pilots/ (pilots/urls.py)


def _require_staff(user) -> None:
    if user is None or not getattr(user, "is_association_staff", False):
        raise PermissionDenied(_("Only association staff can change innovations."))


def _today() -> datetime.date:
    return timezone.localdate()


def figure_errors(
    *, unit: str, value: Decimal | None = None, numerator: Decimal | None = None, denominator: Decimal | None = None
) -> dict[str, str]:
    """What is wrong with a figure, by part ("value", "numerator", "denominator"): the rules every
    figure obeys, whether staff log it or an MFI reports it (`pilots.reporting.services`)."""
    errors = {}
    for part, amount in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if amount is not None and amount < 0:
            errors[part] = _("A value cannot be negative.")
    if unit == Unit.PERCENT and value is not None and value > 100:
        errors["value"] = _("A percentage cannot be above 100.")
    if numerator is not None and denominator is not None:
        if denominator == 0:
            errors["denominator"] = _("The denominator must be more than zero.")
        elif numerator > denominator:
            errors.setdefault("numerator", _("The numerator cannot be larger than the denominator."))
    return errors


def _check_value(*, unit: str, value: Decimal, field: str = "value") -> None:
    if value is None:
        raise ValidationError({field: _("Enter a value.")})
    if errors := figure_errors(unit=unit, value=value):
        raise ValidationError({field: errors["value"]})


@transaction.atomic
def innovation_create(
    *,
    user,
    title: str,
    slug: str,
    summary: str,
    product_line,
    started_on: datetime.date,
    visibility: str,
    countries: Iterable[str] = (),
    lead=None,
    stage: str = Stage.IDENTIFY,
    status: str | None = None,
    title_en: str = "",
    summary_en: str = "",
) -> Innovation:
    """Create an innovation; its first stage is recorded as the opening decision."""
    _require_staff(user)
    if started_on > _today():
        raise ValidationError({"started_on": _("An innovation cannot start in the future.")})
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": _("“%(slug)s” is used by a page of the portal: choose another.") % {"slug": slug}}
        )
    innovation = Innovation(
        title=title,
        title_en=title_en,
        slug=slug,
        summary=summary,
        summary_en=summary_en,
        product_line=product_line,
        started_on=started_on,
        visibility=visibility,
        countries=list(countries),
        lead=lead,
        stage=stage,
    )
    if status:
        innovation.status = status
    innovation.full_clean()
    innovation._history_user = user  # who, in the change history (pilots.history)
    innovation.save()
    StageChange.objects.create(
        innovation=innovation,
        from_stage="",
        to_stage=stage,
        decided_on=started_on,
        decided_by=user,
        decided_by_name=display_person(user),
        **_in_both_languages("rationale", gettext_noop("Innovation registered.")),
    )
    return innovation


@transaction.atomic
def innovation_advance_stage(
    *,
    innovation: Innovation,
    to_stage: str,
    user,
    rationale: str = "",
    decided_on: datetime.date | None = None,
    expected_stage: str | None = None,
    rationale_en: str = "",
) -> StageChange:
    """Record a stage decision.

    Forward one step is the normal path; going back (re-design after a weak
    pilot) is allowed; skipping a stage needs a rationale. `expected_stage` is
    the stage the person saw when deciding: if someone else moved the
    innovation meanwhile, the decision is refused rather than silently applied.
    """
    _require_staff(user)
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    decided_on = decided_on or _today()
    rationale = (rationale or "").strip()
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Unknown stage.")})
    if expected_stage and expected_stage != innovation.stage:
        last = innovation.stage_changes.order_by("-created_at").first()
        if last and (last.from_stage, last.to_stage, last.decided_by_id) == (expected_stage, to_stage, user.pk):
            # The same decision submitted twice (double click, retried request): record it once.
            return last
        raise ValidationError(
            _("Someone else moved this innovation to “%(stage)s” meanwhile. Review the page and decide again.")
            % {"stage": Stage(innovation.stage).label}
        )
    if to_stage == innovation.stage:
        raise ValidationError({"to_stage": _("The innovation is already in this stage.")})
    step = stage_number(to_stage) - stage_number(innovation.stage)
    if step > 1 and not rationale:
        skipped = [
            str(stage.label)
            for stage in Stage
            if stage_number(innovation.stage) < stage_number(stage) < stage_number(to_stage)
        ]
        raise ValidationError(
            {
                "rationale": _("Skipping a stage needs a rationale: say why “%(skipped)s” can be left out.")
                % {"skipped": ", ".join(skipped)}
            }
        )
    if decided_on > _today():
        raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})
    if decided_on < innovation.started_on:
        raise ValidationError({"decided_on": _("A decision cannot be dated before the innovation started.")})
    last = innovation.stage_changes.order_by("-decided_on", "-created_at").first()
    if last and decided_on < last.decided_on:
        raise ValidationError(
            {
                "decided_on": _("The previous stage decision was taken on %(date)s; this one cannot be earlier.")
                % {"date": last.decided_on.isoformat()}
            }
        )
    change = StageChange(
        innovation=innovation,
        from_stage=innovation.stage,
        to_stage=to_stage,
        decided_on=decided_on,
        decided_by=user,
        decided_by_name=display_person(user),
        rationale=rationale,
        rationale_en=(rationale_en or "").strip(),
    )
    change.full_clean()
    change._history_user = user  # who, in the change history (pilots.history)
    change.save()
    innovation.stage = to_stage
    innovation._history_user = user  # who, in the change history (pilots.history)
    innovation.save(update_fields=["stage", "updated_at"])
    return change


@transaction.atomic
def checklist_tick(
    *, innovation: Innovation, action: str, done_on: datetime.date, user, evidence_url: str = ""
) -> ChecklistItem:
    """Tick one of Table 1's actions; ticking again updates the date and evidence."""
    _require_staff(user)
    if action not in ACTION_STAGE:
        raise ValidationError({"action": _("Unknown action.")})
    if done_on > _today():
        raise ValidationError({"done_on": _("An action cannot be ticked as done in the future.")})
    item, _created = ChecklistItem.objects.get_or_create(
        innovation=innovation, action=action, defaults={"done_on": done_on, "ticked_by": user}
    )
    item.done_on = done_on
    item.evidence_url = evidence_url
    item.ticked_by = user
    item.full_clean()
    item.save()
    return item


def _check_milestone(milestone: Milestone) -> None:
    if milestone.planned_start and milestone.planned_start > milestone.planned_date:
        raise ValidationError({"planned_start": _("The planned start must be on or before the planned date.")})
    if milestone.actual_date:
        if milestone.actual_date > _today():
            raise ValidationError({"actual_date": _("A milestone cannot be completed in the future.")})
        if milestone.planned_start and milestone.actual_date < milestone.planned_start:
            raise ValidationError(
                {
                    "actual_date": _("A milestone cannot be completed before it was planned to start (%(date)s).")
                    % {"date": milestone.planned_start.isoformat()}
                }
            )
    if milestone.status == MilestoneStatus.DONE and not milestone.actual_date:
        raise ValidationError({"actual_date": _("Give the date the milestone was completed.")})
    if milestone.actual_date and milestone.status not in (MilestoneStatus.DONE,):
        milestone.status = MilestoneStatus.DONE
    milestone.full_clean()


@transaction.atomic
def milestone_record(
    *,
    innovation: Innovation,
    user,
    title: str,
    stage: str,
    planned_date: datetime.date,
    planned_start: datetime.date | None = None,
    actual_date: datetime.date | None = None,
    status: str = MilestoneStatus.PLANNED,
    notes: str = "",
    title_en: str = "",
) -> Milestone:
    """Add a milestone; giving an actual date records it as done."""
    _require_staff(user)
    milestone = Milestone(
        innovation=innovation,
        title=title,
        title_en=(title_en or "").strip(),
        stage=stage,
        planned_start=planned_start,
        planned_date=planned_date,
        actual_date=actual_date,
        status=status,
        notes=notes,
    )
    _check_milestone(milestone)
    milestone._history_user = user  # who, in the change history (pilots.history)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, user, **changes) -> Milestone:
    """Change a milestone (e.g. mark it done with its actual date)."""
    _require_staff(user)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    for field, value in changes.items():
        setattr(milestone, field, value)
    _check_milestone(milestone)
    milestone._history_user = user  # who, in the change history (pilots.history)
    milestone.save()
    return milestone


@transaction.atomic
def participation_add(
    *, innovation: Innovation, institution, since: datetime.date, stage: str, user, criteria: Iterable = ()
) -> Participation:
    """A member MFI joins the innovation (or its record is updated)."""
    _require_staff(user)
    if since > _today():
        raise ValidationError({"since": _("A participation cannot start in the future.")})
    participation = Participation.objects.filter(innovation=innovation, institution=institution).first()
    participation = participation or Participation(innovation=innovation, institution=institution)
    participation.since = since
    participation.stage = stage
    participation.full_clean(validate_unique=False)
    participation.save()
    participation.criteria.set(list(criteria))
    return participation


@transaction.atomic
def contribution_record(
    *,
    innovation: Innovation,
    funder,
    stage: str,
    user,
    amount: Decimal | None = None,
    currency: str = "USD",
    description: str = "",
    description_en: str = "",
) -> Contribution:
    _require_staff(user)
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("A contribution cannot be negative.")})
    contribution = Contribution(
        innovation=innovation,
        funder=funder,
        stage=stage,
        amount=amount,
        currency=currency,
        description=description,
        description_en=description_en or "",
    )
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def indicator_define(
    *,
    innovation: Innovation,
    user,
    name: str,
    unit: str,
    direction: str = "higher",
    aggregation: str = "latest",
    currency: str = "",
    order: int = 0,
    name_en: str = "",
    counted: str = "",
) -> Indicator:
    """Define an indicator, or update the one with the same name."""
    _require_staff(user)
    indicator = Indicator.objects.filter(innovation=innovation, name=name).first() or Indicator(
        innovation=innovation, name=name
    )
    indicator.name_en = name_en
    indicator.unit = unit
    indicator.direction = direction
    indicator.aggregation = aggregation
    indicator.currency = currency
    indicator.order = order
    indicator.counted = counted or ""
    if unit == Unit.MONEY and not currency:
        raise ValidationError({"currency": _("Money indicators need a currency.")})
    if indicator.counted and unit != Unit.COUNT:
        raise ValidationError(
            {"counted": _("Only counts say what they count: leave this empty for percentages, days and money.")}
        )
    indicator.full_clean(validate_unique=False)
    indicator.save()
    return indicator


@transaction.atomic
def target_set(*, indicator: Indicator, stage: str, value: Decimal, due_date: datetime.date, user) -> Target:
    """Set (or change) the indicator's target for a stage."""
    _require_staff(user)
    _check_value(unit=indicator.unit, value=value)
    started_on = indicator.innovation.started_on
    if due_date < started_on:
        raise ValidationError(
            {
                "due_date": _("A target cannot be due before the innovation existed (it started on %(date)s).")
                % {"date": started_on.isoformat()}
            }
        )
    target = Target.objects.filter(indicator=indicator, stage=stage).first() or Target(indicator=indicator, stage=stage)
    target.value = value
    target.due_date = due_date
    target.full_clean(validate_unique=False)
    target._history_user = user  # who, in the change history (pilots.history)
    target.save()
    return target


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    measured_on: datetime.date,
    value: Decimal,
    source: str,
    user,
    participation: Participation | None = None,
    submission_key=None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    confirm_override: bool = False,
) -> Measurement:
    """Log an observed value of an indicator.

    `submission_key` makes the write idempotent: a form submitted twice (double
    click, retry after a dropped connection) records one measurement, not two.
    A value that would change which series makes the actual (`check_override`) is
    refused until `confirm_override` says the person has read what will happen.
    """
    _require_staff(user)
    if submission_key:
        existing = Measurement.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing
    if measured_on is None:
        raise ValidationError({"measured_on": _("Enter the date of the measurement.")})
    if not (source or "").strip():
        raise ValidationError({"source": _("Say where the number comes from.")})
    measurement = Measurement(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        source=source.strip(),
        participation=participation,
        numerator=numerator,
        denominator=denominator,
        logged_by=user,
    )
    if submission_key:
        measurement.submission_key = submission_key
    _check_measurement(measurement)
    if not confirm_override:
        check_override(measurement)
    try:
        with transaction.atomic():
            measurement._history_user = user  # who, in the change history (pilots.history)
            measurement.save()
    except IntegrityError:
        # Two identical submissions raced each other: the first one won.
        return Measurement.objects.get(submission_key=submission_key)
    return measurement


@transaction.atomic
def lesson_record(
    *,
    innovation: Innovation,
    stage: str,
    kind: str,
    text: str,
    user,
    recorded_on: datetime.date | None = None,
    text_en: str = "",
) -> Lesson:
    _require_staff(user)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the lesson.")})
    lesson = Lesson(
        innovation=innovation,
        stage=stage,
        kind=kind,
        text=text.strip(),
        text_en=(text_en or "").strip(),
        recorded_on=recorded_on or _today(),
    )
    if lesson.recorded_on > _today():
        raise ValidationError({"recorded_on": _("A lesson cannot be dated in the future.")})
    lesson.full_clean()
    lesson.save()
    return lesson


@transaction.atomic
def evaluation_answer_record(
    *, innovation: Innovation, question: str, answer: str, user, answer_en: str = ""
) -> EvaluationAnswer:
    """Answer (or revise the answer to) one of stage 4's evaluation questions."""
    _require_staff(user)
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    record = EvaluationAnswer.objects.filter(innovation=innovation, question=question).first() or EvaluationAnswer(
        innovation=innovation, question=question
    )
    record.answer = answer.strip()
    record.answer_en = (answer_en or "").strip()
    record.full_clean(validate_unique=False)
    record.save()
    return record


def _in_both_languages(field: str, message: str) -> dict:
    """A text the portal itself writes (a translatable message), stored as its Spanish text
    with its English one beside it, as staff's texts are."""
    with translation.override("es"):
        spanish = gettext(message)
    with translation.override("en"):
        english = gettext(message)
    return {field: spanish, f"{field}_en": english}


def _check_parts(measurement: Measurement) -> None:
    """A percentage may say what it is a percentage of (satisfied clients of clients surveyed):
    then both parts are needed and the value must be their ratio (weighted aggregation,
    `pilots.selectors.weighted_percent`)."""
    numerator, denominator = measurement.numerator, measurement.denominator
    if numerator is None and denominator is None:
        return
    if measurement.indicator.unit != Unit.PERCENT:
        raise ValidationError({"numerator": _("Only a percentage has a numerator and a denominator.")})
    if numerator is None or denominator is None:
        raise ValidationError({"denominator": _("Give both the numerator and the denominator, or neither.")})
    if errors := figure_errors(unit=Unit.PERCENT, numerator=numerator, denominator=denominator):
        raise ValidationError(errors)
    if abs(numerator * 100 / denominator - measurement.value) >= Decimal("0.01"):
        raise ValidationError(
            {
                "value": _("The value must be the numerator as a percentage of the denominator (%(percent)s).")
                % {"percent": (numerator * 100 / denominator).quantize(Decimal("0.01"))}
            }
        )


OVERRIDE = "override"  # the code of `check_override`'s refusal: forms offer "Record it anyway"


def _months(first: datetime.date, last: datetime.date) -> str:
    """A span of months as people write it: "Apr 2011", "Jan–Apr 2011", "Nov 2010–Apr 2011"."""
    if (first.year, first.month) == (last.year, last.month):
        return date_format(first, "M Y")
    if first.year == last.year:
        return f"{date_format(first, 'M')}–{date_format(last, 'M Y')}"
    return f"{date_format(first, 'M Y')}–{date_format(last, 'M Y')}"


def check_override(measurement: Measurement) -> None:
    """Refuse, until confirmed, a value that changes which series makes the actual.

    Network-wide measurements take precedence over per-MFI ones (the progress rule,
    `pilots.selectors`): a first network-wide value of an indicator that has per-MFI
    figures replaces their series in the chart and the actual (RFR: ten MFIs' January to
    April series became one point), and a per-MFI value of an indicator that has
    network-wide figures counts nowhere. The refusal, keyed on `participation` with the
    code `OVERRIDE`, says what would happen.
    """
    others = Measurement.objects.filter(indicator_id=measurement.indicator_id)
    if measurement.pk:
        others = others.exclude(pk=measurement.pk)
    network = others.filter(participation__isnull=True)
    if measurement.participation_id is None:
        if network.exists():
            return  # the network-wide series already makes the actual
        per_mfi = others.filter(participation__isnull=False).aggregate(
            mfis=Count("participation", distinct=True), first=Min("measured_on"), last=Max("measured_on")
        )
        if not per_mfi["mfis"]:
            return
        message = ngettext(
            "This indicator has per-MFI figures from %(count)s MFI (%(months)s). A network-wide value takes "
            "precedence: the chart and the actual will show the network-wide series instead.",
            "This indicator has per-MFI figures from %(count)s MFIs (%(months)s). A network-wide value takes "
            "precedence: the chart and the actual will show the network-wide series instead.",
            per_mfi["mfis"],
        ) % {"count": per_mfi["mfis"], "months": _months(per_mfi["first"], per_mfi["last"])}
    else:
        found = network.aggregate(first=Min("measured_on"), last=Max("measured_on"))
        if found["first"] is None:
            return
        message = _(
            "This indicator has network-wide figures (%(months)s). They take precedence over per-MFI ones: "
            "the chart and the actual will keep showing the network-wide series, without this MFI's value."
        ) % {"months": _months(found["first"], found["last"])}
    raise ValidationError({"participation": ValidationError(message, code=OVERRIDE)})


def _check_measurement(measurement: Measurement) -> None:
    if measurement.measured_on > _today():
        raise ValidationError({"measured_on": _("A measurement cannot be dated in the future.")})
    if measurement.measured_on < measurement.indicator.innovation.started_on:
        raise ValidationError({"measured_on": _("A measurement cannot be dated before the innovation started.")})
    _check_value(unit=measurement.indicator.unit, value=measurement.value)
    _check_parts(measurement)
    participation = measurement.participation
    if participation is not None and participation.innovation_id != measurement.indicator.innovation_id:
        raise ValidationError({"participation": _("This MFI does not take part in this innovation.")})
    measurement.full_clean()


@transaction.atomic
def measurement_update(*, measurement: Measurement, user, confirm_override: bool = False, **changes) -> Measurement:
    """Correct a logged measurement (a typo, a revised figure); the same rules apply,
    including asking to confirm a move between network-wide and per-MFI (`check_override`)."""
    _require_staff(user)
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    was_network = measurement.participation_id is None
    for field, value in changes.items():
        setattr(measurement, field, value)
    _check_measurement(measurement)
    if not confirm_override and (measurement.participation_id is None) != was_network:
        check_override(measurement)
    measurement._history_user = user  # who, in the change history (pilots.history)
    measurement.save()
    return measurement


@transaction.atomic
def target_update(*, target: Target, user, stage: str, value: Decimal, due_date: datetime.date) -> Target:
    """Change a target; moving it to a stage that already has one is refused."""
    _require_staff(user)
    target = Target.objects.select_for_update().get(pk=target.pk)
    if Target.objects.filter(indicator=target.indicator, stage=stage).exclude(pk=target.pk).exists():
        raise ValidationError({"stage": _("This indicator already has a target for that stage.")})
    _check_value(unit=target.indicator.unit, value=value)
    if due_date < target.indicator.innovation.started_on:
        raise ValidationError(
            {
                "due_date": _("A target cannot be due before the innovation existed (it started on %(date)s).")
                % {"date": target.indicator.innovation.started_on.isoformat()}
            }
        )
    target.stage, target.value, target.due_date = stage, value, due_date
    target.full_clean()
    target._history_user = user  # who, in the change history (pilots.history)
    target.save()
    return target


@transaction.atomic
def lesson_update(*, lesson: Lesson, user, **changes) -> Lesson:
    _require_staff(user)
    for field, value in changes.items():
        setattr(lesson, field, value)
    if not (lesson.text or "").strip():
        raise ValidationError({"text": _("Write the lesson.")})
    if lesson.recorded_on > _today():
        raise ValidationError({"recorded_on": _("A lesson cannot be dated in the future.")})
    lesson.full_clean()
    lesson.save()
    return lesson


REPORT_TEXTS = ("progress", "difficulties", "next_steps", "progress_en", "difficulties_en", "next_steps_en")


@transaction.atomic
def period_report_save(
    *, innovation: Innovation, year: int, semester: int, user, expected_updated_at=None, **texts
) -> PeriodReport:
    """Write or revise the narrative of one semester. Refuses a period that has not begun,
    a report without its progress text, and — when `expected_updated_at` says which version
    the writer started from — a save over someone else's newer version (nothing is lost:
    the form shows the writer's text again with the message)."""
    _require_staff(user)
    unknown = set(texts) - set(REPORT_TEXTS)
    if unknown:
        raise TypeError(f"Unknown report fields: {sorted(unknown)}")
    if semester not in (1, 2):
        raise ValidationError({"semester": _("The semester is 1 (January–June) or 2 (July–December).")})
    if not 2000 <= year <= _today().year:
        raise ValidationError({"year": _("Enter a year between 2000 and this year.")})
    report = PeriodReport.objects.select_for_update().filter(
        innovation=innovation, year=year, semester=semester
    ).first() or PeriodReport(innovation=innovation, year=year, semester=semester)
    if report.starts_on > _today():
        raise ValidationError({"semester": _("This semester has not begun: it cannot be reported yet.")})
    if report.pk and expected_updated_at is not None and report.updated_at != expected_updated_at:
        raise ValidationError(
            _(
                "Someone else saved this report while you were writing. Your text is below: "
                "compare it with the saved report and save again."
            )
        )
    for name in REPORT_TEXTS:
        setattr(report, name, (texts.get(name) or "").strip())
    if not report.progress:
        raise ValidationError({"progress": _("Write what progressed in this period.")})
    report.written_by = user
    report.full_clean()
    report._history_user = user  # who, in the change history (pilots.history)
    report.save()
    return report


PRODUCT_TERMS_FIELDS = (
    "name",
    "name_en",
    "position",
    "illustrative",
    "country",
    "size_band",
    "currency",
    "note",
    "note_en",
    *Terms.names(),
)


@transaction.atomic
def product_terms_save(*, innovation: Innovation, user, instance: ProductTerms | None = None, **values) -> ProductTerms:
    """Add or change a variant of an innovation's product. Refuses terms that cannot be a
    product (`pilots.pricing.cost.validate`: a non-positive amount, no instalment, a rate
    beyond any plausible bound, savings larger than the loan, ...) with a message per field."""
    _require_staff(user)
    unknown = set(values) - set(PRODUCT_TERMS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown product terms fields: {sorted(unknown)}")
    variant = instance or ProductTerms(innovation=innovation)
    if variant.pk and variant.innovation_id != innovation.pk:
        raise ValidationError(_("These terms belong to another innovation."))
    for name, value in values.items():
        if value is not None or name not in Terms.names():
            setattr(variant, name, value)
    missing = {name: _("This field is required.") for name in ("amount", "term") if getattr(variant, name) is None}
    if missing:
        raise ValidationError(missing)
    validate_terms(variant.terms)
    variant.full_clean()
    variant.save()
    return variant
