"""Period report PDFs rendered once, by the task worker, and served from private storage.

WeasyPrint takes seconds and tens of MiB for a portfolio report, too much to spend in a
request, and the same report is asked for again and again. So a report's PDF is a file,
one per **key**: `portal.cache.cache_key` of the report (kind, period, innovation, the
list's filters), which holds the data version, the viewer's scope (staff, a funder, a
member MFI, the public) and the language. Two viewers share a file only when they may see
the same; a write to the data makes a new key, and the next request a new file.

The state of a key, in this order:

- **ready**: its file exists in the private storage (`report-pdfs/<hash of the key>.pdf`),
  never under a public address; the view that serves it checks the viewer first;
- **rendering**: the cache holds `rendering` with the time the render was queued or began;
- **failed**: the cache holds `failed` with the error, until someone asks again (the retry);
- **nothing**: never asked for, or its state expired: the next request queues a render.

One render per key: the first request wins `cache.add` on the state and queues the task;
a double click, or a second viewer of the same scope, finds `rendering` and waits. A
`rendering` older than `STALE_AFTER` lost its worker: the next request queues it again,
and a `failed` one is queued again by the retry; `cache.add` on a marker named after the
state it replaces lets one request only do so. The task finds a file already there and
stops, so a duplicate costs nothing (the queue runs a task at least once: see
portal.background). Without the cache's state (evicted) the worst case is a second render
of the same file, never a lost or a wrong one.

With the ImmediateBackend (development, tests) the task runs inside the request that
queues it, so that request gets the file at once.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.http import HttpRequest, QueryDict
from django.tasks import task
from django.utils import translation

from portal.cache import cache_key, viewer_scope

from .models.reporting import private_storage
from .report_pages import report_pdf_html

logger = logging.getLogger(__name__)

READY, RENDERING, FAILED = "ready", "rendering", "failed"
FOLDER = "report-pdfs"
STALE_AFTER = 5 * 60  # seconds a render may run: the longest is well under a minute
SLOW_AFTER = 60  # seconds after which the waiting page says it is taking longer than usual
STATE_TIMEOUT = 60 * 60  # a state outlives any render; when it expires the next request asks again
KEEP_FILES = 24 * 60 * 60  # files are deleted a day after they were written (their key is long retired)


@dataclass(frozen=True)
class ReportJob:
    """What the worker needs to render a report as the viewer who asked would see it."""

    kind: str  # "period" (one innovation) or "portfolio"
    year: int
    semester: int
    slug: str  # the innovation's, for a period report
    query: str  # the list's filters, urlencoded
    user_id: int | None
    scope: str  # the viewer's scope when asked: the render refuses to run for another
    language: str
    path: str
    host: str
    port: str


@dataclass(frozen=True)
class State:
    status: str  # READY, RENDERING or FAILED
    since: float  # time.time() when it entered that status
    error: str = ""


@dataclass(frozen=True)
class ReportFile:
    """A report's file and state, named after its key."""

    key: str

    @property
    def digest(self) -> str:
        return hashlib.blake2b(self.key.encode(), digest_size=20).hexdigest()

    @property
    def path(self) -> str:
        return f"{FOLDER}/{self.digest}.pdf"

    @property
    def state_key(self) -> str:
        return f"report-pdf-state:{self.digest}"


def report_job(request, *, kind: str, year: int, semester: int, slug: str = "", query: str = "") -> ReportJob:
    return ReportJob(
        kind=kind,
        year=year,
        semester=semester,
        slug=slug,
        query=query,
        user_id=request.user.pk if request.user.is_authenticated else None,
        scope=viewer_scope(request.user),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        path=request.path,
        host=request.get_host(),
        port=str(request.get_port()),
    )


def report_file(job: ReportJob, *, user, letterhead: dict, depends=None) -> ReportFile:
    """The file of this report for this viewer, at the current version of the data, on the
    association's `letterhead` as it is now (`pilots.reports.letterhead`: Settings › Association
    is not tracker data, so the data version does not follow it)."""
    params: dict[str, Any] = {
        "letterhead": letterhead,
        "year": job.year,
        "semester": job.semester,
        "slug": job.slug,
        "query": sorted(QueryDict(job.query).lists()),
    }
    return ReportFile(cache_key(f"{job.kind}-report-pdf", user=user, params=params, depends=depends))


def report_state(report: ReportFile) -> State | None:
    if private_storage().exists(report.path):
        return State(READY, 0)
    state = cache.get(report.state_key)
    return State(**state) if state else None


def report_request(report: ReportFile, *, job: ReportJob, retry: bool = False) -> State:
    """The report's state once asked for: ready; rendering (queued now, or by an earlier request
    less than `STALE_AFTER` ago); or failed, until asked with `retry`."""
    state = report_state(report)
    if state is None:
        return _queue(report, job, replacing=None)
    if state.status == RENDERING and time.time() - state.since > STALE_AFTER:
        logger.warning("The PDF %s was rendering for more than %s s: queued again", report.path, STALE_AFTER)
        return _queue(report, job, replacing=state)
    if state.status == FAILED and retry:
        return _queue(report, job, replacing=state)
    return state


def _queue(report: ReportFile, job: ReportJob, *, replacing: State | None) -> State:
    rendering = State(RENDERING, time.time())
    if replacing is None:
        won = cache.add(report.state_key, asdict(rendering), STATE_TIMEOUT)
    else:  # one request only replaces this state: the one that marks it replaced first
        won = cache.add(f"{report.state_key}:replaced:{replacing.since}", True, STATE_TIMEOUT)
        if won:
            cache.set(report.state_key, asdict(rendering), STATE_TIMEOUT)
    if won:
        render_report_pdf.enqueue(key=report.key, job=asdict(job))
    return report_state(report) or rendering


def report_content(report: ReportFile) -> bytes | None:
    """The stored PDF (a few hundred KB); None when it is gone (deleted as old meanwhile)."""
    try:
        with private_storage().open(report.path, "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        return None


@task
def render_report_pdf(key: str, job: dict) -> str:
    """Render the report of `job` as the viewer would see it and store it under `key`."""
    report = ReportFile(key)
    storage = private_storage()
    if storage.exists(report.path):  # a duplicate of a render that has finished
        return report.path
    cache.set(report.state_key, asdict(State(RENDERING, time.time())), STATE_TIMEOUT)
    try:
        pdf = render_pdf(ReportJob(**job))
    except Exception as error:
        logger.exception("The PDF %s could not be rendered", report.path)
        cache.set(report.state_key, asdict(State(FAILED, time.time(), error=type(error).__name__)), STATE_TIMEOUT)
        raise  # the task is marked failed too (manage.py tasks_status)
    storage.save(report.path, ContentFile(pdf))
    cache.delete(report.state_key)
    _delete_old_files(storage)
    return report.path


def render_pdf(job: ReportJob) -> bytes:
    """The PDF of the report, rendered as `job`'s viewer sees it (WeasyPrint)."""
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDFs need

    request = _request_for(job)
    with translation.override(job.language):
        html = report_pdf_html(request, kind=job.kind, year=job.year, semester=job.semester, slug=job.slug)
        return HTML(string=html, base_url=f"{settings.SITE_URL}/").write_pdf()


def _request_for(job: ReportJob) -> HttpRequest:
    """The GET request the viewer made, for the report's context (filters, visibility, site)."""
    user = get_user_model().objects.filter(pk=job.user_id).first() if job.user_id else AnonymousUser()
    if user is None or viewer_scope(user) != job.scope:
        raise PermissionError(f"The viewer who asked for this report no longer has the scope {job.scope}.")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.path
    request.META = {"HTTP_HOST": job.host, "SERVER_NAME": job.host, "SERVER_PORT": job.port, "QUERY_STRING": job.query}
    request.GET = QueryDict(job.query)
    request.user = user
    request.LANGUAGE_CODE = job.language
    return request


def _delete_old_files(storage) -> None:
    """Delete the files written more than `KEEP_FILES` ago: every write to the data retires
    their keys, and one still current is simply rendered again."""
    cutoff = time.time() - KEEP_FILES
    try:
        _folders, names = storage.listdir(FOLDER)
        for name in names:
            path = f"{FOLDER}/{name}"
            if storage.get_modified_time(path).timestamp() < cutoff:
                storage.delete(path)
    except (FileNotFoundError, NotImplementedError):  # nothing there, or a storage that cannot list
        return
