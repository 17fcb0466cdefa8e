"""The matching model's conditions evaluated in Python over a document: how the embedded backend tests what its
postings do not answer, and how both backends name the signals a hit met (for Elasticsearch from its source, which
costs far less than named queries, whose weights Elasticsearch builds again for every hit)."""
from __future__ import annotations

from collections.abc import Callable

from search import matching as m
from search.text import contains_phrase, standard_tokens


def name_matcher(plan: m.Plan, named: list[m.Signal] | None = None) -> Callable[[dict], list[str]]:
    """A function giving the names of the plan's signals (its gate's too), or of the `named` ones, whose conditions
    a document meets: compiled once for every hit of a query. The document is read through a copy, so a search
    engine's source gets none of the caches the conditions keep."""
    signals = [*plan.gate, *plan.signals] if named is None else named
    compiled = [(s.name, compile_condition(s.condition)) for s in signals]

    def names(doc: dict) -> list[str]:
        view = dict(doc)
        return [name for name, holds in compiled if holds(view)]
    return names


def condition_fields(c) -> set[str]:
    """The document fields a condition reads."""
    if isinstance(c, m.AnyOf):
        return set().union(*(condition_fields(x) for x in c.conditions))
    if isinstance(c, m.Not):
        return condition_fields(c.condition)
    if isinstance(c, m.Units):
        return {m.terms_field(f) for f in c.fields}
    if isinstance(c, m.TermsSet):
        return {c.field, c.minimum_field}
    field = getattr(c, "field", None)
    return {field} if field else set()


def _values(doc: dict, field: str) -> list:
    value = doc.get(field)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _tokens(doc: dict, field: str) -> list[str]:
    cache = doc.setdefault("_tokens", {})
    if field not in cache:
        cache[field] = standard_tokens(doc.get(field) or "")
    return cache[field]


def term_set(doc: dict, field: str) -> frozenset:
    """The words and concepts a searchable field was indexed as (documents.position_doc, `<field>_terms`)."""
    cache = doc.setdefault("_terms", {})
    if field not in cache:
        cache[field] = frozenset((doc.get(m.terms_field(field)) or "").split())
    return cache[field]


class _Sets(dict):
    """A document's field values as frozensets, made on first use (a missing key builds itself)."""

    def __init__(self, doc: dict) -> None:
        super().__init__()
        self.doc = doc

    def __missing__(self, field: str) -> frozenset:
        found = self[field] = frozenset(_values(self.doc, field))
        return found


def _sets(doc: dict) -> _Sets:
    sets = doc.get("_sets")
    if sets is None:
        sets = doc["_sets"] = _Sets(doc)
    return sets


def value_set(doc: dict, field: str) -> frozenset:
    return _sets(doc)[field]


def compile_condition(c):
    """A condition as a function of a document (the Python twin of elastic.condition)."""
    kind = type(c)
    f = getattr(c, "field", None)
    if kind is m.Term:
        value = c.value
        return lambda d: value in (d.get("_sets") or _sets(d))[f]
    if kind is m.Terms:
        values = frozenset(c.values)
        return lambda d: not values.isdisjoint((d.get("_sets") or _sets(d))[f])
    if kind is m.Range:
        gte, lte = c.gte, c.lte

        def in_range(d):
            v = d.get(f)
            return v is not None and (gte is None or v >= gte) and (lte is None or v <= lte)
        return in_range
    if kind is m.MinMatch:
        values, minimum = frozenset(c.values), c.minimum
        return lambda d: len(values & value_set(d, f)) >= minimum
    if kind is m.TermsSet:
        values, minimum_field = frozenset(c.values), c.minimum_field
        return lambda d: len(values & value_set(d, f)) >= d.get(minimum_field, 1 << 30)
    if kind is m.Missing:
        return lambda d: not _values(d, f)
    if kind is m.MatchAll:
        return lambda d: True
    if kind is m.AnyOf:
        parts = [compile_condition(x) for x in c.conditions]
        return lambda d: any(p(d) for p in parts)
    if kind is m.Not:
        part = compile_condition(c.condition)
        return lambda d: not part(d)
    if kind is m.Phrase:
        needle = standard_tokens(c.text)
        return lambda d: contains_phrase(_tokens(d, f), needle)
    if kind is m.Units:
        units, fields = [frozenset(u) for u in c.units], c.fields

        def all_units(d):
            present = frozenset().union(*(term_set(d, name) for name in fields))
            return bool(units) and all(not unit.isdisjoint(present) for unit in units)
        return all_units
    raise TypeError(f"unknown condition {c!r}")
