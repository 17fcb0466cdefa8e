"""The one matching model. Both backends interpret the plans built here; neither has weights of its own.

A plan is a list of hard filters, a list of named signals (a condition and the points it is worth), and decay
functions (a field's closeness to an ideal value, worth up to `weight` points). The score of a document is the sum
of the points of the signals it meets plus its decay points. Elasticsearch runs a plan as a `function_score` over a
`bool` query whose `should` clauses are `constant_score` queries named after the signals, so the hit's
`matched_queries` are the reasons; the embedded backend evaluates the same conditions in Python. Points are
multiples of 1/16, so float sums are exact in both engines and ties stay ties.

search/README.md explains the signals and why they weigh what they weigh.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from search.text import grams, skill_key

# ---- Weights (points). The only place they are defined. -----------------------------------------------------------
WEIGHTS = {
    "skills": 24.0,       # spread evenly over the skills on the asking side: each shared skill earns its share
    "skills_all": 10.0,   # every skill the position asks for is covered by the graduate
    "major": 15.0,        # the graduate's major is one the position names
    "major_open": 8.0,    # the position is open to any major
    "district": 10.0,     # the position is in a district the graduate prefers
    "kind": 6.0,          # full-time / part-time / traineeship as the graduate prefers
    "salary": 8.0,        # the position's top salary reaches the graduate's expected minimum (or no expectation)
    "text_some": 4.0,     # the title shares at least a third of the graduate's headline keywords
    "text_strong": 6.0,   # ... and at least two thirds of them
    "salary_closeness": 5.0,  # decay: position's mid salary near the graduate's expected mid salary
    "recency": 3.0,       # decay: recently published positions / recently updated resumes first
}
SALARY_DECAY = {"scale": 3000, "offset": 500, "decay": 0.5}
RECENCY_DECAY = {"scale_days": 14, "offset_days": 1, "decay": 0.5}
MAX_SCORE = sum(v for k, v in WEIGHTS.items() if k != "major_open" and k != "text_some") + WEIGHTS["text_some"]

# Job search relevance: constant points per kind of match, so both backends rank the same way.
SEARCH_WEIGHTS = {
    "title_phrase": 8.0,  # the query, as a phrase, in the title
    "title_all": 4.0,     # every query word somewhere in the title
    "skill_phrase": 4.0,  # the query as a phrase in the skills
    "org_phrase": 4.0,    # ... in the employer's name
    "desc_phrase": 2.0,   # ... in the description
}
SEARCH_FIELDS = ("title", "org_name", "skills_text", "description")


def quantize(points: float) -> float:
    return round(points * 16) / 16


# ---- Conditions: a tiny query language both backends interpret ----------------------------------------------------
@dataclass(frozen=True)
class Term:
    field: str
    value: Any


@dataclass(frozen=True)
class Terms:
    field: str
    values: tuple


@dataclass(frozen=True)
class Range:
    field: str
    gte: Any = None
    lte: Any = None


@dataclass(frozen=True)
class MinMatch:
    """At least `minimum` of `values` are among the field's values."""
    field: str
    values: tuple
    minimum: int


@dataclass(frozen=True)
class TermsSet:
    """At least as many of `values` match as the document's own `minimum_field` says (Elasticsearch terms_set)."""
    field: str
    values: tuple
    minimum_field: str


@dataclass(frozen=True)
class Missing:
    field: str


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple


@dataclass(frozen=True)
class Phrase:
    field: str
    text: str


@dataclass(frozen=True)
class AllWords:
    """Every word of `text` occurs in at least one of `fields`."""
    fields: tuple
    text: str


@dataclass(frozen=True)
class Signal:
    name: str
    weight: float
    condition: Any


@dataclass(frozen=True)
class Decay:
    name: str
    function: str  # "gauss" or "exp"
    field: str
    origin: float | str  # number, or ISO datetime for date fields
    scale: float  # field units (ms for dates)
    offset: float
    decay: float
    weight: float
    is_date: bool = False


@dataclass
class Plan:
    filters: list = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    decays: list[Decay] = field(default_factory=list)
    # tie-breakers after the score: (field, "asc"|"desc")
    sort: list[tuple[str, str]] = field(default_factory=list)
    by_score: bool = True


# ---- Decay maths (Elasticsearch's definitions) --------------------------------------------------------------------
def decay_value(d: Decay, value: float | None) -> float:
    if value is None:
        return 1.0  # Elasticsearch: a document without the field gets 1
    origin = to_millis(d.origin) if d.is_date else float(d.origin)
    distance = max(0.0, abs(value - origin) - d.offset)
    if d.function == "gauss":
        scale = 0.5 * d.scale**2 / math.log(d.decay)
        return math.exp(0.5 * distance**2 / scale)
    scale = math.log(d.decay) / d.scale
    return math.exp(scale * distance)


def naive_utc(value: datetime) -> datetime:
    """Documents hold UTC datetimes without an offset (Elasticsearch reads those as UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0)


def to_millis(value: str | datetime | date) -> float:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    value = naive_utc(value)
    return (value - datetime(1970, 1, 1)).total_seconds() * 1000.0


DAY_MS = 86_400_000.0


def _salary_decay(field_name: str, origin: float) -> Decay:
    return Decay("salary_closeness", "gauss", field_name, float(origin), float(SALARY_DECAY["scale"]),
                 float(SALARY_DECAY["offset"]), SALARY_DECAY["decay"], WEIGHTS["salary_closeness"])


def _recency_decay(field_name: str, now: datetime) -> Decay:
    return Decay("recency", "exp", field_name, naive_utc(now).isoformat(),
                 RECENCY_DECAY["scale_days"] * DAY_MS, RECENCY_DECAY["offset_days"] * DAY_MS,
                 RECENCY_DECAY["decay"], WEIGHTS["recency"], is_date=True)


def _text_signals(query_grams: list[str], field_name: str) -> list[Signal]:
    if not query_grams:
        return []
    n = len(query_grams)
    values = tuple(query_grams)
    return [
        Signal("text_some", WEIGHTS["text_some"], MinMatch(field_name, values, max(1, math.ceil(n / 3)))),
        Signal("text_strong", WEIGHTS["text_strong"], _strong_text(query_grams, field_name)),
    ]


def salary_mid(low: int | None, high: int | None) -> int | None:
    if low is None and high is None:
        return None
    if low is None or high is None:
        return low if high is None else high
    return (low + high) // 2


# ---- Graduate -> positions ----------------------------------------------------------------------------------------
def relevance_gate(graduate: dict) -> AnyOf:
    """A recommendation shares something substantive with the graduate: a skill, the major, or most of the title
    keys of the headline (the `text_strong` condition). Salary, district or "any major" alone do not make a position worth proposing. (It also keeps the
    scored set small, which is what makes recommendations fast on a large index.)"""
    parts: list = []
    if graduate.get("skills_norm"):
        parts.append(Terms("skills_norm", tuple(graduate["skills_norm"])))
    if graduate.get("major"):
        parts.append(Term("majors", graduate["major"]))
    if graduate.get("headline_grams"):
        parts.append(_strong_text(graduate["headline_grams"], "title_grams"))
    return AnyOf(tuple(parts))


def _strong_text(query_grams: list[str], field_name: str) -> MinMatch:
    n = len(query_grams)
    return MinMatch(field_name, tuple(query_grams), max(1, math.ceil(2 * n / 3)))


def open_position_filters(today: date) -> list:
    return [Term("status", "published"), Range("deadline", gte=today.isoformat())]


def recommendation_plan(graduate: dict, *, today: date, now: datetime) -> Plan:
    """Open positions for a graduate document (see documents.resume_doc)."""
    plan = Plan(filters=[relevance_gate(graduate)] + open_position_filters(today)
                + [Range("degree_rank", lte=graduate["degree_rank"])],
                sort=[("published_at", "desc"), ("id", "desc")])
    skills = tuple(graduate.get("skills_norm") or ())
    if skills:
        each = quantize(WEIGHTS["skills"] / len(skills))
        plan.signals += [Signal(f"skill:{s}", each, Term("skills_norm", s)) for s in skills]
        plan.signals.append(Signal("skills_all", WEIGHTS["skills_all"], TermsSet("skills_norm", skills, "skills_needed")))
    if graduate.get("major"):
        plan.signals.append(Signal("major", WEIGHTS["major"], Term("majors", graduate["major"])))
    plan.signals.append(Signal("major_open", WEIGHTS["major_open"], Term("majors_open", True)))
    if graduate.get("expected_districts"):
        plan.signals.append(Signal("district", WEIGHTS["district"],
                                   Terms("district", tuple(graduate["expected_districts"]))))
    if graduate.get("expected_kinds"):
        plan.signals.append(Signal("kind", WEIGHTS["kind"], Terms("kind", tuple(graduate["expected_kinds"]))))
    expected_min = graduate.get("expected_salary_min")
    plan.signals.append(Signal("salary", WEIGHTS["salary"],
                               Range("salary_max", gte=expected_min) if expected_min else MatchAll()))
    plan.signals += _text_signals(graduate.get("headline_grams") or [], "title_grams")
    mid = graduate.get("expected_salary_mid")
    if mid:
        plan.decays.append(_salary_decay("salary_mid", mid))
    plan.decays.append(_recency_decay("published_at", now))
    return plan


# ---- Position -> graduates ----------------------------------------------------------------------------------------
def candidate_plan(position: dict, *, graduate_ids: list[int] | None, now: datetime) -> Plan:
    """Graduates for a position document: the applicants (`graduate_ids`) or, when None, discoverable graduates."""
    filters: list = [Range("degree_rank", gte=position["degree_rank"])]
    if graduate_ids is None:
        filters.append(Term("discoverable", True))
        # Suggestions share a skill, the major or a title key with the position; applicants are all ranked.
        gate: list = [Terms("skills_norm", tuple(position.get("skills_norm") or ()))] if position.get("skills_norm") else []
        if position.get("majors"):
            gate.append(Terms("major", tuple(position["majors"])))
        if grams(position.get("title", "")):
            gate.append(_strong_text(grams(position["title"]), "headline_grams"))
        filters.insert(0, AnyOf(tuple(gate)))
    else:
        filters.append(Terms("graduate_id", tuple(sorted(graduate_ids))))
    plan = Plan(filters=filters, sort=[("updated_at", "desc"), ("graduate_id", "desc")])
    skills = tuple(position.get("skills_norm") or ())
    if skills:
        each = quantize(WEIGHTS["skills"] / len(skills))
        plan.signals += [Signal(f"skill:{s}", each, Term("skills_norm", s)) for s in skills]
        plan.signals.append(Signal("skills_all", WEIGHTS["skills_all"], MinMatch("skills_norm", skills, len(skills))))
    if position.get("majors"):
        plan.signals.append(Signal("major", WEIGHTS["major"], Terms("major", tuple(position["majors"]))))
    else:
        plan.signals.append(Signal("major_open", WEIGHTS["major_open"], MatchAll()))
    plan.signals.append(Signal("district", WEIGHTS["district"], Term("expected_districts", position["district"])))
    plan.signals.append(Signal("kind", WEIGHTS["kind"], Term("expected_kinds", position["kind"])))
    plan.signals.append(Signal("salary", WEIGHTS["salary"], AnyOf((
        Range("expected_salary_min", lte=position["salary_max"]), Missing("expected_salary_min")))))
    plan.signals += _text_signals(grams(position.get("title", "")), "headline_grams")
    plan.decays.append(_salary_decay("expected_salary_mid", position["salary_mid"]))
    plan.decays.append(_recency_decay("updated_at", now))
    return plan


# ---- Job search ---------------------------------------------------------------------------------------------------
SORTS = {
    "relevance": [("published_at", "desc"), ("id", "desc")],
    "date": [("published_at", "desc"), ("id", "desc")],
    "salary": [("salary_max", "desc"), ("id", "desc")],
    "deadline": [("deadline", "asc"), ("id", "asc")],
}


def search_plan(query, *, today: date) -> Plan:
    """Open positions matching a PositionQuery (search/schemas.py)."""
    filters = open_position_filters(today)
    if query.district:
        filters.append(Terms("district", tuple(query.district)))
    if query.kind:
        filters.append(Terms("kind", tuple(query.kind)))
    if query.degree:
        from search.documents import degree_rank
        filters.append(Range("degree_rank", lte=degree_rank(query.degree)))
    if query.major:
        filters.append(AnyOf((Term("majors", query.major), Term("majors_open", True))))
    if query.salary_min:
        filters.append(Range("salary_max", gte=query.salary_min))
    if query.deadline_after or query.deadline_before:
        filters.append(Range("deadline", gte=query.deadline_after.isoformat() if query.deadline_after else None,
                             lte=query.deadline_before.isoformat() if query.deadline_before else None))
    if query.support_only:
        filters.append(Term("is_support", True))
    if query.accessible_only:
        filters.append(Term("accessible", True))
    plan = Plan(filters=filters, sort=SORTS.get(query.sort, SORTS["relevance"]))
    text = (query.q or "").strip()
    if text:
        plan.filters.append(AllWords(SEARCH_FIELDS, text))
        if query.sort == "relevance":
            plan.signals = [
                Signal("title_phrase", SEARCH_WEIGHTS["title_phrase"], Phrase("title", text)),
                Signal("title_all", SEARCH_WEIGHTS["title_all"], AllWords(("title",), text)),
                Signal("skill_phrase", SEARCH_WEIGHTS["skill_phrase"], Phrase("skills_text", text)),
                Signal("org_phrase", SEARCH_WEIGHTS["org_phrase"], Phrase("org_name", text)),
                Signal("desc_phrase", SEARCH_WEIGHTS["desc_phrase"], Phrase("description", text)),
            ]
    plan.by_score = bool(text) and query.sort == "relevance"
    return plan


SALARY_BUCKETS = ((None, 5000), (5000, 8000), (8000, 12000), (12000, 20000), (20000, None))
FACET_FIELDS = ("district", "kind", "degree_required", "is_support")


def default_now() -> datetime:
    from portal.clock import utcnow
    return utcnow()


def default_today() -> date:
    from portal.clock import today
    return today()


def skills_keys(skills: list[str]) -> list[str]:
    out: dict[str, None] = {}
    for s in skills or []:
        k = skill_key(s)
        if k:
            out.setdefault(k, None)
    return list(out)


