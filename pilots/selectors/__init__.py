"""Reads that aggregate: progress of each indicator against its current target.

Where each part lives:

- `actual` — the actual of an indicator, the one place it is worked out (network-wide or
  the MFIs'; summed, latest or weighted), with the rule and worked examples;
- `status` — the progress rule: current target, percentage, status, an innovation's health;
- `projection` — where an indicator is heading at its current pace;
- `recent` — how long a figure stays recent;
- `results` — what the rule returns (`Progress`, `Health`), freshness and `Overdue`;
- `overdue` — the reports a reporting plan expected and did not get;
- `measurements` — measurements as the rule and the pages read them;
- `innovation` — one innovation's progress and the data its page, API and downloads show;
- `funding` — contributions by stage and shares;
- `stored` — the stored progress (`IndicatorProgress`) as lists and the dashboard read it;
- `portfolio` — the dashboard's aggregates.

One rule, two ways to read the measurements. `pilots.progress` stores the rule's result (with
what is overdue), one row per indicator and per innovation, good for the day it was computed on,
reading the measurements as plain tuples (`measurement_rows`); lists, the dashboard, its CSV and
the progress filter read those rows (`with_stored_progress`, `portfolio_summary`,
`portfolio_targets`). An innovation's own page reads every measurement as a tuple too, to draw
the series, and loads as models only the few its tables show (`page_measurements`); its
downloads and period reports load them all (`innovation_for_page`). All go through `series_from`
and `indicator_progress`. See docs/stored-progress.md.

This package's names are re-exported here so that `from pilots.selectors import x` keeps
working; modules inside it import each other directly.
"""

from ..models import Status
from .actual import (
    ActualRule,
    Row,
    actual_rule,
    actual_series,
    combined,
    contributing,
    indicator_rule,
    latest_by_participant,
    percent_from_parts,
    rounded_percent,
    rule_kind,
    series_from,
    weighted_percent,
)
from .funding import funding_by_stage, share_percent
from .innovation import (
    innovation_for_detail,
    innovation_for_page,
    innovation_progress,
    innovations_with_progress_data,
    participants_over_time,
    progress_as_of,
    stage_on,
    with_detail_data,
    with_page_data,
)
from .measurements import (
    MEASUREMENT_RELATIONS,
    PAGE_MEASUREMENTS,
    PageMeasurements,
    measurement_rows,
    measurements_newest_first,
    page_measurements,
)
from .overdue import RECEIVED, overdue_reports
from .portfolio import SUMMED, overdue_milestones, portfolio_summary, reach
from .projection import HORIZON_DAYS, RECENT_POINTS, Projection, percent_of, projection
from .recent import recent_data_months, recent_since
from .results import Freshness, Health, Overdue, Progress
from .status import AT_RISK_RATIO, current_target, indicator_progress, innovation_health, merged_overdue, overall_status
from .stored import portfolio_targets, stored_progress, target_row, with_stored_progress

__all__ = [
    "AT_RISK_RATIO",
    "HORIZON_DAYS",
    "MEASUREMENT_RELATIONS",
    "PAGE_MEASUREMENTS",
    "RECEIVED",
    "RECENT_POINTS",
    "SUMMED",
    "ActualRule",
    "Freshness",
    "Health",
    "Overdue",
    "PageMeasurements",
    "Progress",
    "Projection",
    "Row",
    "Status",
    "actual_rule",
    "actual_series",
    "combined",
    "contributing",
    "current_target",
    "funding_by_stage",
    "indicator_progress",
    "indicator_rule",
    "innovation_for_detail",
    "innovation_for_page",
    "innovation_health",
    "innovation_progress",
    "innovations_with_progress_data",
    "latest_by_participant",
    "measurement_rows",
    "measurements_newest_first",
    "merged_overdue",
    "overall_status",
    "overdue_milestones",
    "overdue_reports",
    "page_measurements",
    "participants_over_time",
    "percent_from_parts",
    "percent_of",
    "portfolio_summary",
    "portfolio_targets",
    "progress_as_of",
    "projection",
    "reach",
    "recent_data_months",
    "recent_since",
    "rounded_percent",
    "rule_kind",
    "series_from",
    "share_percent",
    "stage_on",
    "stored_progress",
    "target_row",
    "weighted_percent",
    "with_detail_data",
    "with_page_data",
    "with_stored_progress",
]
