"""The research reports for `bench/scale.py`: published Wagtail pages under the Spanish
research index, made through the tree API (`add_child`, `save_revision().publish()`), the
slow part of a scale run (`--max-pages` caps them).

Imported by `bench/scale.py` once Django is set up.
"""

import datetime
import random
import time

from bench.scale_rows import COUNTRIES, MARK, STAGES, WORDS, log, sentence
from pilots.models import Innovation, Visibility
from portal.accounts.models import ProductLine


def build_research(total: dict[str, int], max_pages: int | None, rng: random.Random) -> None:
    from research.models import Author, ResearchIndexPage, ResearchReportPage, StudyType

    index = ResearchIndexPage.objects.filter(locale__language_code="es").first()
    if index is None:
        log("  no Spanish research index (load_demo first): research skipped")
        return
    wanted = max(total["pages"] - ResearchReportPage.objects.count(), 0)
    if max_pages is not None:
        wanted = min(wanted, max_pages)
    authors = list(Author.objects.all())
    lines = list(ProductLine.objects.all())
    public = list(Innovation.objects.filter(visibility=Visibility.PUBLIC)[:200])
    started = time.perf_counter()
    for number in range(wanted):
        topic = rng.choice(WORDS)
        page = ResearchReportPage(
            title=f"Bench: estudio de {topic} {number:04d}",
            slug=f"{MARK}estudio-{number:04d}",
            study_type=rng.choice(list(StudyType)),
            summary=sentence(rng, 40),
            publication_date=datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randint(0, 5800)),
            countries=rng.sample(COUNTRIES, 2),
            stage=rng.choice(STAGES),
            body=[
                ("heading", {"text": "Contexto", "level": "h2"}),
                ("paragraph", "".join(f"<p>{sentence(rng, 60)}</p>" for _ in range(4))),
                ("heading", {"text": "Resultados", "level": "h2"}),
                ("paragraph", "".join(f"<p>{sentence(rng, 60)}</p>" for _ in range(4))),
            ],
        )
        page.authors.set(rng.sample(authors, min(len(authors), 2)))
        page.product_lines.set(rng.sample(lines, min(len(lines), 2)))
        if public:
            page.innovations.set([rng.choice(public)])
        index.add_child(instance=page)
        page.save_revision().publish()
        if (number + 1) % 20 == 0 or number + 1 == wanted:
            rate = (number + 1) / (time.perf_counter() - started)
            log(f"  {number + 1:,} / {wanted:,} research pages ({rate:.1f}/s)")
