"""The periodic jobs the scheduler runs (`run_scheduler`): each app registers its own from
its `AppConfig.ready`, as a management command and how often it runs.

    jobs.register("send_report_reminders", every="remind")

`every` names one of the scheduler's intervals (`INTERVALS`), each a command-line option of
`run_scheduler` (`--remind-every`…) with its default in seconds, so a deployment tunes
a family of jobs at once. Jobs run in the order they were registered (the apps' order in
INSTALLED_APPS); a job that fails is logged and tried again at its next time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INTERVALS = {  # name → (default seconds, what the scheduler's --help says of it)
    "publish": (300, "Seconds between runs of the publishing jobs (scheduled pages going live)."),
    "remind": (3600, "Seconds between runs of the reminder and round jobs."),
    "progress": (600, "Seconds between refreshes of stored progress."),
    "requeue": (60, "Seconds between requeues of tasks whose worker died."),
}


@dataclass(frozen=True)
class Job:
    command: str
    every: str  # a key of INTERVALS
    options: dict = field(default_factory=dict)  # passed to call_command


_jobs: list[Job] = []


def register(command: str, *, every: str, **options) -> None:
    """Run the management command `command` every `every` interval (idempotent)."""
    if every not in INTERVALS:
        raise ValueError(f"Unknown interval {every!r}: one of {', '.join(INTERVALS)}")
    job = Job(command=command, every=every, options=options)
    if job not in _jobs:
        _jobs.append(job)


def registered() -> list[Job]:
    return list(_jobs)
