"""Scale generator: N times the demo data, written in bulk, for the benchmark.

Run on a database that already has the demo (`manage.py load_demo`):

    DJANGO_SETTINGS_MODULE=portal.settings.dev DATABASE_URL=postgres://... \\
        .venv/bin/python bench/scale.py --factor 10

Factor 1 is the demo itself (nothing is added). Factor N ≥ 2 brings the database to
about N times one "demo unit" — the issue's 10× numbers divided by ten:

| per unit of factor | total at 10 |
| --- | --- |
| 100 innovations (all five stages, all three visibilities) | 1,000 |
| 10,000 measurements (five busy public innovations get ~N×100 each) | 100,000 |
| 1,000 milestones | 10,000 |
| 50 member MFIs, each with one member user | 500 |
| 2 survey rounds (the demo questionnaire, answered by ~85 % of members) | 20 |
| 20 research reports (Wagtail pages, published; `--max-pages` caps them) | 200 |

Rows are written with `bulk_create` (the rules of the services are respected by
construction and the database constraints check the rest); research pages go
through Wagtail's tree API (`add_child`, `save_revision().publish()`), which is
slower. The knowledge index is rebuilt at the end. Generated rows are marked (slugs
and names start with `bench-`/`Bench`), and a second run on the same database
refuses with a message instead of doubling the data.

The rows are made in `bench/scale_tracker.py` (innovations, indicators, measurements,
milestones), `bench/scale_survey.py` (rounds), `bench/scale_research.py` (research pages)
and here (member MFIs and their users); what they share is in `bench/scale_rows.py`.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from bench.scale_research import build_research  # noqa: E402
from bench.scale_rows import BATCH, COUNTRIES, MARK, log  # noqa: E402
from bench.scale_survey import build_survey  # noqa: E402
from bench.scale_tracker import build_innovations  # noqa: E402
from pilots.models import Innovation  # noqa: E402
from portal.accounts.models import InstitutionType, MemberInstitution, Role, User  # noqa: E402

MEMBER_PASSWORD = "bench-member-2026"

UNIT = {
    "innovations": 100,
    "measurements": 10_000,
    "milestones": 1_000,
    "members": 50,
    "rounds": 2,
    "pages": 20,
}


def targets(factor: int) -> dict[str, int]:
    return {name: per_unit * factor for name, per_unit in UNIT.items()}


def already_scaled() -> bool:
    return (
        Innovation.objects.filter(slug__startswith=MARK).exists()
        or User.objects.filter(username__startswith=MARK).exists()
    )


# --- network ---------------------------------------------------------------------------------


def build_members(count: int, rng: random.Random) -> list[MemberInstitution]:
    types = list(InstitutionType)
    members = [
        MemberInstitution(
            name=f"Bench IMF {number:05d}",
            country=rng.choice(COUNTRIES),
            institution_type=types[number % len(types)],
            clients_served=rng.randint(2_000, 400_000),
            contact_email=f"{MARK}imf{number}@example.org",
            illustrative=True,
        )
        for number in range(count)
    ]
    members = MemberInstitution.objects.bulk_create(members, batch_size=BATCH)
    password = make_password(MEMBER_PASSWORD)  # hashed once: the hasher is slow on purpose
    User.objects.bulk_create(
        [
            User(
                username=f"{MARK}member-{number:05d}",
                email=f"{MARK}member-{number}@example.org",
                password=password,
                role=Role.MEMBER,
                institution=member,
            )
            for number, member in enumerate(members)
        ],
        batch_size=BATCH,
    )
    return members


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=10, help="how many times the demo unit (1 = the demo itself)")
    parser.add_argument("--max-pages", type=int, default=None, help="cap the research pages (they are slow to create)")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    if options.factor < 1:
        parser.error("--factor must be 1 or more")
    if not Innovation.objects.exists():
        print("No demo data here: run `manage.py load_demo` first.", file=sys.stderr)
        return 2
    if options.factor == 1:
        log("Factor 1 is the demo itself: nothing to add.")
        return 0
    if already_scaled():
        print(
            "This database already has generated data (rows named bench-…): refusing to add it twice. "
            "Use a fresh database (make bench creates one).",
            file=sys.stderr,
        )
        return 1
    rng = random.Random(options.seed)
    total = targets(options.factor)
    log(f"Scaling to factor {options.factor}: " + ", ".join(f"{name} {value:,}" for name, value in total.items()))
    started = time.perf_counter()
    with transaction.atomic():
        log("Members and member users")
        members = build_members(max(total["members"] - MemberInstitution.objects.count(), 0), rng)
        log("Innovations")
        build_innovations(total, members or list(MemberInstitution.objects.all()), rng)
        log("Survey rounds")
        build_survey(total, rng)
    log("Research pages (Wagtail tree API)")
    with transaction.atomic():
        build_research(total, options.max_pages, rng)
    log("Knowledge index")
    call_command("rebuild_knowledge_index", no_progress=True)
    log("Stored progress (bulk writes bypass the signals that mark it out of date)")
    call_command("refresh_progress", "--all")
    log(f"Done in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
