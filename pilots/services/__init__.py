"""Every write with rules on the innovation tracker.

Views, admin views, the demo loader and tests call these functions; none of them
writes to these models directly. Each service checks who is acting, refuses bad
input with a clear, translatable `ValidationError` (keyed by field where there is
one), and runs in a transaction.

One module per subdomain; this package re-exports them all, so callers write
`from pilots import services` and `services.measurement_record(...)`:

- `innovations`: registering and editing an innovation, its stage decisions;
- `milestones`; `indicators` (and their targets); `measurements` (and which series
  makes the actual: `check_override`);
- `participation`: member MFIs taking part, funders' contributions;
- `learning`: Table 1's checklist, lessons, evaluation answers;
- `reports`: a semester's narrative; `pricing`: a product's terms;
- `deletion`: deleting a record from the admin;
- `figures` and `common`: the rules and helpers the others share.
"""

from .common import in_both_languages, require_staff
from .deletion import record_delete
from .figures import check_value, figure_errors
from .indicators import indicator_define, indicator_update, target_set, target_update
from .innovations import RESERVED_SLUGS, innovation_advance_stage, innovation_create, innovation_update
from .learning import checklist_tick, evaluation_answer_record, lesson_record, lesson_update
from .measurements import OVERRIDE, check_override, measurement_record, measurement_update
from .milestones import milestone_record, milestone_update
from .participation import contribution_record, contribution_update, participation_add
from .pricing import PRODUCT_TERMS_FIELDS, product_terms_save
from .reports import REPORT_TEXTS, period_report_save

__all__ = [
    "OVERRIDE",
    "PRODUCT_TERMS_FIELDS",
    "REPORT_TEXTS",
    "RESERVED_SLUGS",
    "check_override",
    "check_value",
    "checklist_tick",
    "contribution_record",
    "contribution_update",
    "evaluation_answer_record",
    "figure_errors",
    "in_both_languages",
    "indicator_define",
    "indicator_update",
    "innovation_advance_stage",
    "innovation_create",
    "innovation_update",
    "lesson_record",
    "lesson_update",
    "measurement_record",
    "measurement_update",
    "milestone_record",
    "milestone_update",
    "participation_add",
    "period_report_save",
    "product_terms_save",
    "record_delete",
    "require_staff",
    "target_set",
    "target_update",
]
