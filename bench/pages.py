"""What `bench/run.py` measures: every page a user opens, with the roles that open it, picked
from the database (the busiest public innovation, the busiest survey round, a research report,
the period reports), and what the results record about the data and the machine.
"""

import datetime
import os
import platform
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.measure import FLOOR, HOST, ROLES, local, log


@dataclass(frozen=True)
class Page:
    """A page of the plan: its `kind` (`bench.summary.KINDS`) decides its targets; `innovation`
    is the slug of the innovation it shows, the one a "write to this one" goes to."""

    name: str
    url: str
    roles: tuple[str, ...]
    kind: str = "portfolio"
    innovation: str = ""


def resolve_redirect(path: str) -> str:
    """Where `path` redirects an anonymous reader (the period choosers), as a path."""
    from django.test import Client

    response = Client().get(path, headers={"host": HOST, "x-forwarded-proto": "https"}, secure=True)
    if response.status_code not in (301, 302):
        raise SystemExit(f"{path} answered {response.status_code}, not a redirect to a period")
    return local(response["Location"], path)


def research_page() -> str:
    """A live public research report, one with an indicator chart block if there is one (the
    longest such body), else the longest body."""
    from research.models import ResearchReportPage

    best, best_key = None, None
    for page in ResearchReportPage.objects.live().public().order_by("path"):
        blocks = page.body.raw_data
        key = (any(block.get("type") == "chart" for block in blocks), len(blocks))
        if best_key is None or key > best_key:
            best, best_key = page, key
    if best is None:
        raise SystemExit("No live public research report to measure")
    log(f"Research report: {best.title} ({best_key[1]} blocks, {'a' if best_key[0] else 'no'} chart block)")
    return urlsplit(best.get_url()).path


def pick_urls() -> dict[str, str]:
    """The busiest public innovation (the pages' "own" innovation) and the next busiest (where
    a write "elsewhere" goes), the survey round with the most submissions, a research report
    and the semesters the period reports open on, from the database."""
    from django.db.models import Count, Q

    from pilots.models import Innovation, Visibility
    from surveys.models import Round

    busiest = list(
        Innovation.objects.filter(visibility=Visibility.PUBLIC)
        .annotate(n=Count("indicators__measurements"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values_list("slug", "n")[:2]
    )
    if len(busiest) < 2:
        raise SystemExit("The bench needs two public innovations with measurements")
    survey_round = (
        Round.objects.annotate(n=Count("invitations", filter=Q(invitations__status="submitted")))
        .order_by("-n", "-year", "-semester")
        .values_list("pk", "n")
        .first()
    )
    log(
        f"Busiest public innovation: {busiest[0][0]} ({busiest[0][1]:,} measurements); writes elsewhere go to "
        f"{busiest[1][0]} ({busiest[1][1]:,}); round {survey_round[0]} ({survey_round[1]:,} submissions)"
    )
    slug = busiest[0][0]
    period_report = resolve_redirect(f"/pilots/{slug}/reports/")
    portfolio_report = resolve_redirect("/pilots/reports/")
    return {
        "busiest": slug,
        "other": busiest[1][0],
        "round": str(survey_round[0]),
        "research": research_page(),
        "period_pdf": period_report.rstrip("/") + ".pdf",
        "portfolio_pdf": portfolio_report.split("?")[0].rstrip("/") + ".pdf",
    }


def plan(picked: dict[str, str]) -> list[Page]:
    """Every page a user opens, with the roles that open it."""
    from pilots.pricing.forms import CalculatorForm

    everyone = tuple(ROLES)
    slug = picked["busiest"]
    return [
        Page("floor (bare view)", FLOOR, ("anonymous",), "floor"),
        Page("home", "/", everyone),
        Page("innovation list", "/pilots/", everyone),
        Page("busiest innovation", f"/pilots/{slug}/", everyone, "innovation", slug),
        Page("dashboard", "/pilots/dashboard/", everyone),
        Page("dashboard CSV", "/pilots/dashboard/?format=csv", everyone),
        Page("dashboard XLSX", "/pilots/dashboard/?format=xlsx", everyone),
        Page("list, off track", "/pilots/?progress=off_track", everyone),
        Page("survey results", f"/surveys/rounds/{picked['round']}/results/", ("staff",), "independent"),
        Page("research index", "/research/", everyone),
        Page("research report", picked["research"], everyone),
        Page("search microseguros", "/search/?q=microseguros", everyone, "search"),
        Page("suggest micr", "/search/suggest/?q=micr", everyone, "suggest"),
        Page("pricing calculator", f"/pricing/?{urlencode(CalculatorForm.EXAMPLE)}", everyone, "independent"),
        Page("API innovations", "/api/v1/innovations/", everyone),
        Page("API innovation", f"/api/v1/innovations/{slug}/", everyone, "innovation data", slug),
        Page("IATI activities file", "/api/v1/iati/activities.xml", everyone),
        Page("IATI activity file", f"/api/v1/iati/{slug}.xml", everyone, "innovation data", slug),
        Page("innovation period PDF", picked["period_pdf"], ("anonymous", "staff"), "pdf", slug),
        Page("portfolio period PDF", picked["portfolio_pdf"], ("donor", "staff"), "pdf", slug),
    ]


def selected(pages: list[Page], filters: list[str] | None, *, pdf: bool) -> list[Page]:
    """The floor and the pages whose name contains one of `filters` (all without filters)."""

    def wanted(page: Page) -> bool:
        if page.kind == "floor":
            return True
        if page.kind == "pdf" and not pdf:
            return False
        return not filters or any(text.lower() in page.name.lower() for text in filters)

    chosen = [page for page in pages if wanted(page)]
    if len(chosen) == 1 and filters:
        names = ", ".join(page.name for page in pages)
        raise SystemExit(f"No page name contains {' or '.join(filters)}; the pages: {names}")
    return chosen


def counts() -> dict[str, int]:
    from pilots.models import Innovation, Measurement, Milestone
    from portal.accounts.models import MemberInstitution
    from research.models import ResearchReportPage
    from surveys.models import Answer, Round

    return {
        "innovations": Innovation.objects.count(),
        "measurements": Measurement.objects.count(),
        "milestones": Milestone.objects.count(),
        "member MFIs": MemberInstitution.objects.count(),
        "survey rounds": Round.objects.count(),
        "survey answers": Answer.objects.count(),
        "research pages": ResearchReportPage.objects.count(),
    }


def machine(database_version: str) -> dict[str, str]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{os.cpu_count()} × {model}",
        "python": platform.python_version(),
        "postgresql": database_version,
        "os": platform.platform(),
    }
