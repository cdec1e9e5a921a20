"""An innovation's own writes: registering it, editing it, and its stage decisions."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.accounts.people import display_person
from portal.locking import refuse_if_changed

from ..cycle import Stage, stage_number
from ..models import Innovation, StageChange
from .common import in_both_languages, require_staff, today

# Addresses under /pilots/ that are pages, not innovations.
RESERVED_SLUGS = {"dashboard", "reports", "mfi-reports", "measurements"}  # pages of /pilots/ (pilots/urls.py)

EDITABLE_FIELDS = (
    "title",
    "title_en",
    "slug",
    "summary",
    "summary_en",
    "product_line",
    "countries",
    "lead",
    "visibility",
    "status",
    "started_on",
)


def _check_innovation(*, slug: str, started_on: datetime.date | None) -> None:
    """What an innovation must be, whether registered or edited."""
    if started_on is not None and started_on > today():
        raise ValidationError({"started_on": _("An innovation cannot start in the future.")})
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": _("“%(slug)s” is used by a page of the portal: choose another.") % {"slug": slug}}
        )


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
    require_staff(user)
    _check_innovation(slug=slug, started_on=started_on)
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
        **in_both_languages("rationale", gettext_noop("Innovation registered.")),
    )
    return innovation


@transaction.atomic
def innovation_update(
    *, innovation: Innovation, user, expected_updated_at: datetime.datetime | None = None, **changes
) -> Innovation:
    """Edit an innovation's description (its stage changes by decision only: `innovation_advance_stage`).
    The same rules as registering it; `expected_updated_at` is the version the person loaded,
    and a save over someone else's newer one is refused (`refuse_if_changed`)."""
    require_staff(user)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown innovation fields: {sorted(unknown)}")
    current = Innovation.objects.select_for_update().get(pk=innovation.pk)
    refuse_if_changed(
        current,
        expected_updated_at,
        _(
            "Someone else saved this innovation while you were editing it. Your changes are still here: "
            "open the page in another tab to see theirs, then save again."
        ),
    )
    for field, value in changes.items():
        setattr(current, field, list(value) if field == "countries" and value is not None else value)
    _check_innovation(slug=current.slug, started_on=current.started_on)
    current.full_clean()
    current._history_user = user  # who, in the change history (pilots.history)
    current.save()
    return current


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
    require_staff(user)
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    decided_on = decided_on or today()
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
    if decided_on > today():
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
