"""The English of the demo's Spanish texts that the services write in Spanish only
(milestones, stage decisions, lessons, contributions, evaluation answers, funders), set where
none is set yet: on a fresh load and on a re-run over an older demo."""

from django.db import transaction

from portal.accounts.models import Funder
from portal.cache import bump_version

from ..models import Contribution, EvaluationAnswer, Lesson, Milestone, StageChange
from . import files
from .case import ENGLISH_LATER

FIELDS = (
    (Milestone, "title"),
    (Lesson, "text"),
    (StageChange, "rationale"),
    (Contribution, "description"),
    (EvaluationAnswer, "answer"),
    (Funder, "name"),
)


def english() -> dict[str, str]:
    """Spanish text -> English, from every case file and `shared.toml`."""
    found = dict(files.shared()["english"])
    for data in files.cases():
        for key, field in ENGLISH_LATER.items():
            for row in data.get(key, []):
                if f"{field}_en" in row:
                    found[row[field]] = row[f"{field}_en"]
    return found


@transaction.atomic
def translate() -> None:
    texts = english()
    for model, field in FIELDS:
        column = f"{field}_en"
        rows = [row for row in model.objects.filter(**{column: ""}) if getattr(row, field) in texts]
        for row in rows:
            setattr(row, column, texts[getattr(row, field)])
        model.objects.bulk_update(rows, [column])
    bump_version()  # bulk updates send no signal: retire the cached pages that showed them
