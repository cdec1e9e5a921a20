"""The innovation tracker: innovations moving through the five-stage cycle.

Writes with rules go through `pilots.services`; reads that aggregate (progress
against target) through `pilots.selectors`. The constraints below repeat the
simplest rules in the database (constraints in each module) so that no other path
can break them.
"""

from .benchmarking import FIGURE_NAMES, FIGURES, FinancialReport
from .delivery import Contribution, Currency, Milestone, MilestoneStatus, Participation, SelectionCriterion
from .indicators import Aggregation, Counted, Direction, Indicator, Measurement, Target, Unit
from .innovation import (
    ChecklistItem,
    EvaluationAnswer,
    Innovation,
    InnovationQuerySet,
    InnovationStatus,
    Lesson,
    LessonKind,
    StageChange,
    Visibility,
)
from .pricing import (
    AmountKind,
    Frequency,
    GraceKind,
    InstitutionRatio,
    InterestMethod,
    LateFeeKind,
    PeerAverage,
    PeriodicKind,
    PrepaymentKind,
    ProductTerms,
    RatePer,
    SavingsKind,
    SizeBand,
)
from .progress import IndicatorProgress, InnovationProgress, Status
from .reporting import MFIReport, MFIReportValue, ReportingFrequency, ReportingPlan, ReportReminder, ReportState
from .reports import PeriodReport

__all__ = [
    "FIGURES",
    "FIGURE_NAMES",
    "FinancialReport",
    "Visibility",
    "InnovationStatus",
    "InnovationQuerySet",
    "Innovation",
    "StageChange",
    "ChecklistItem",
    "LessonKind",
    "Lesson",
    "EvaluationAnswer",
    "MilestoneStatus",
    "Milestone",
    "SelectionCriterion",
    "Participation",
    "Currency",
    "Contribution",
    "Unit",
    "Direction",
    "Aggregation",
    "Counted",
    "Indicator",
    "Target",
    "Measurement",
    "Status",
    "InnovationProgress",
    "IndicatorProgress",
    "PeriodReport",
    "ReportingFrequency",
    "ReportingPlan",
    "ReportState",
    "MFIReport",
    "MFIReportValue",
    "ReportReminder",
    "Frequency",
    "InterestMethod",
    "AmountKind",
    "GraceKind",
    "LateFeeKind",
    "PeriodicKind",
    "PrepaymentKind",
    "RatePer",
    "SavingsKind",
    "SizeBand",
    "ProductTerms",
    "PeerAverage",
    "InstitutionRatio",
]
