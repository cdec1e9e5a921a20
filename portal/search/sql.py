"""The SQL the database engine matches with, beyond Django's own lookups: terms in a folded
column on every database, the stored vector on PostgreSQL, a list of ids as one array."""

from __future__ import annotations

from django.db.models import BooleanField, F, Func, Lookup
from django.db.models.lookups import In

from .synonyms import Concept


class HasTerms(Func):
    """True when a folded column (terms separated by spaces) holds every one of `terms`:
    `(' ' || column || ' ') LIKE '% term %'` for each, on every database."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, terms: tuple[str, ...]):
        self.terms = tuple(terms)
        super().__init__(F(column))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        likes, out = [], []
        for term in self.terms:
            escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            likes.append(f"(' ' || {column} || ' ') LIKE %s ESCAPE '\\'")
            out += [*params, f"% {escaped} %"]
        return "(" + " AND ".join(likes) + ")", out


class VectorMatches(Func):
    """PostgreSQL: the stored vector matches the concepts (`vector @@ to_tsquery('simple', ...)`,
    served by its GIN index)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, concepts: list[Concept]):
        self.tsquery = " & ".join(
            "(" + " | ".join("(" + " & ".join(_lexeme(t) for t in alt.terms) + ")" for alt in concept) + ")"
            for concept in concepts
        )
        super().__init__(F("vector"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} @@ to_tsquery('simple'::regconfig, %s)", [*params, self.tsquery]


def _lexeme(term: str) -> str:
    return "'" + term.replace("'", "''") + "'"


class AnyOf(Lookup):
    """`guard = ANY(%s)`: the ids as one array parameter on PostgreSQL, where an `IN` of a
    thousand placeholders (staff may see every innovation) cost more to send and plan than
    the search itself; `IN (...)` elsewhere."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]
