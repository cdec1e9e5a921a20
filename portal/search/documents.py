"""What goes into the knowledge index: plain dicts the apps make (see `registry`).

Both engines index exactly these dicts, so they agree on what is findable. A
document is one searchable thing in one language:

- `key` — unique: kind, id and language (`lesson:12:en`);
- `kind`, `object_id`; `guard` — the id its kind checks access on (`registry.Access`);
- `group` — the same thing in every language (a page and its translations, an innovation
  in Spanish and English); `languages` — every language the group is indexed in, so that
  a page's language is searched first and another language is the fallback only for
  things that have no text in the page's language;
- `language`, `title`, `summary`, `body` — the text, analysed in its language
  (`portal.search.text`); a word matching in the title weighs most, then the summary, then
  the body (`base`: everything else it is found by — a study's text, authors and topics, an
  innovation's lessons and product terms);
- `rank` — its kind's rank among results that score alike (`registry.Kind.rank`);
- `urls` — its address in each language (`{"es": "/pilots/x/", "en": "/en/pilots/x/"}`);
- facets: `date`, `year`, `countries`, `product_lines`, `stage`, `subtype`, `topics` (the
  slugs of its topic tags; only research studies have them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from .registry import registry
from .text import normalise, title_words, words


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def document(
    *,
    kind: str,
    object_id: int,
    guard: int | None,
    group: str,
    language: str,
    languages: list[str],
    title: str,
    body: str,
    urls: dict[str, str],
    summary: str = "",
    date=None,
    countries=(),
    product_lines=(),
    stage: str = "",
    subtype: str = "",
    topics=(),
) -> dict:
    return {
        "key": f"{kind}:{object_id}:{language}",
        "kind": kind,
        "object_id": object_id,
        "guard": guard,
        "group": group,
        "language": language,
        "languages": sorted(languages),
        "title": title,
        "summary": summary,
        "body": body,
        "rank": registry.rank_of(kind),
        "urls": urls,
        "date": date,
        "year": date.year if date else None,
        "countries": [str(code) for code in countries],
        "product_lines": sorted(product_lines),
        "stage": stage or "",
        "subtype": subtype or "",
        "topics": sorted(set(topics)),
    }


def keys(kind: str, object_id: int) -> list[str]:
    """Every key an object's documents may have (one per portal language)."""
    return [f"{kind}:{object_id}:{language}" for language in languages()]


def documents_for(obj) -> list[dict]:
    """The object's documents; none when it must not be findable (or no app indexes it)."""
    kind = registry.kind_of(obj)
    return kind.documents(obj) if kind else []


def keys_for(obj) -> list[str]:
    kind = registry.kind_of(obj)
    return kind.keys(obj) if kind else []


def all_documents(*, progress: bool = False) -> Iterator[dict]:
    """Every document of every registered kind, for a rebuild."""
    kinds = registry.ordered()
    objects: Iterator = (obj for kind in kinds for obj in kind.objects())
    if progress:
        from tqdm import tqdm

        objects = tqdm(objects, total=sum(kind.count() for kind in kinds), desc="knowledge index", unit="obj")
    for obj in objects:
        yield from documents_for(obj)


@dataclass(frozen=True)
class Analysed:
    """A document's text as both engines index it: the portal analyses it (`text.normalise`:
    lower case, no accents, stems, concepts), so that the engines match the same terms."""

    body: str  # what a result shows: the summary, then the body
    title_terms: str
    summary_terms: str
    all_terms: str  # title, summary and body: "all words must match" across the fields
    words: list[str]  # its distinct words, for "did you mean"
    title_words: list[str]  # for search as you type


def analysed(document: dict) -> Analysed:
    language, title, summary = document["language"], document["title"], document.get("summary", "")
    everything = f"{title}\n{summary}\n{document['body']}"
    return Analysed(
        body="\n".join(filter(None, [summary, document["body"]])),
        title_terms=normalise(title, language),
        summary_terms=normalise(summary, language),
        all_terms=normalise(everything, language),
        words=sorted(set(words(everything.replace("\n", " ")))),
        title_words=title_words(title),
    )
