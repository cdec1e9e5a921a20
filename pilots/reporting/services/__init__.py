"""Every write of MFI reporting: the plan, drafts, submission, review, and deleting a counted value.

A report goes draft → submitted → approved, or submitted → returned → (corrected)
submitted → approved. Only approval writes measurements, so only approved values count.
Each write checks who acts, refuses bad input by field, and runs in a transaction;
drafts and submissions carry the `version` the person loaded, so two people editing
the same report never overwrite each other silently (`locking`).

One module per step, re-exported here (`from pilots.reporting import services`):
`plan` (the plan, what each MFI reports, which periods it may report), `entries` (a typed
figure, an attached file), `drafts` (saving and submitting), `review` (staff's decision,
deleting a counted value); `common` and `locking` are what they share.
"""

from .common import can_report
from .drafts import editable, report_save_draft, report_submit
from .entries import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, Entry, check_attachment, field_names
from .plan import reported_indicators_set, reporting_period, reporting_plan_save
from .review import measurement_delete, report_approve, report_return

__all__ = [
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "Entry",
    "can_report",
    "check_attachment",
    "editable",
    "field_names",
    "measurement_delete",
    "report_approve",
    "report_return",
    "report_save_draft",
    "report_submit",
    "reported_indicators_set",
    "reporting_period",
    "reporting_plan_save",
]
