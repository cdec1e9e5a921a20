"""Benchmark: time and peak memory of the innovation list and page as the portfolio grows.

Run with `make bench` (or `.venv/bin/python bench/bench_pilots.py`). It builds a
throw-away SQLite database, so it never touches your data. Speed and memory are
measured here, not asserted in the tests; the tests assert query counts.
"""

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/portal-bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def build(innovations: int) -> None:
    import datetime
    from decimal import Decimal

    from tests.pilots.factories import (
        IndicatorFactory,
        InnovationFactory,
        MeasurementFactory,
        MilestoneFactory,
        ParticipationFactory,
        TargetFactory,
    )

    for _ in range(innovations):
        innovation = InnovationFactory()
        ParticipationFactory(innovation=innovation)
        for _ in range(3):
            indicator = IndicatorFactory(innovation=innovation)
            TargetFactory(indicator=indicator, value=Decimal(1000))
            for day in range(1, 13):
                MeasurementFactory(
                    indicator=indicator, measured_on=datetime.date(2021, day, 1), value=Decimal(50 * day)
                )
        for _ in range(5):
            MilestoneFactory(innovation=innovation)


def measure(client: Client, url: str, runs: int = 5) -> tuple[float, float]:
    times = []
    tracemalloc.start()
    for _ in range(runs):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - start)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times) * 1000, peak / 1024 / 1024


def main() -> None:
    Path("/tmp/portal-bench.sqlite3").unlink(missing_ok=True)
    setup_test_environment()
    call_command("migrate", verbosity=0)
    client = Client()
    total = 0
    print(f"{'innovations':>12} {'list ms':>9} {'list MiB':>9} {'page ms':>9} {'page MiB':>9}")
    for step in (10, 40, 150):
        build(step - total)
        total = step
        from pilots.models import Innovation

        slug = Innovation.objects.order_by("pk").first().slug
        list_ms, list_mb = measure(client, "/pilots/")
        page_ms, page_mb = measure(client, f"/pilots/{slug}/")
        print(f"{total:>12} {list_ms:>9.1f} {list_mb:>9.1f} {page_ms:>9.1f} {page_mb:>9.1f}")


if __name__ == "__main__":
    main()
