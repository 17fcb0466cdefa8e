"""The one matching model. Both backends interpret the plans built here; neither has weights of its own.

A plan is a list of hard filters, a list of named signals (a condition and the points it is worth), and decay
functions (a field's closeness to an ideal value, worth up to `weight` points). The score of a document is the sum
of the points of the signals it meets plus its decay points. Elasticsearch runs a plan as a `function_score` over a
`bool` query whose `should` clauses are `constant_score` queries, one per signal; the embedded backend evaluates the
same conditions in Python (search/conditions.py), which also names the signals a hit met: they are the reasons.
Points are multiples of 1/16, so float sums are exact in both engines and ties stay ties.

search/README.md explains the signals and why they weigh what they weigh.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from search import vocabulary as vocab
from search.text import query_units

# ---- Weights (points). The only place they are defined. -----------------------------------------------------------
WEIGHTS = {
    # relevance: what makes a post worth proposing at all (the gate adds these up)
    "skills": 24.0,        # spread over the asking side's specific skills: each shared one earns its share
    "skill_text": 0.5,     # ... the share's fraction when the other side only mentions the skill in running text
    "skill_related": 0.25,  # ... when the other side lists a related skill (same skill family, vocabulary data)
    "generic": 0.5,        # ... the share's fraction for a generic tool (Excel, Office, AutoCAD): evidence, not relevance
    "major_related": 10.0,  # the graduate's major is in a major class (专业类) the position names
    "major": 8.0,          # ... and is one of the majors it names
    "title": 12.0,         # the title names the job the graduate's headline asks for (title vocabulary)
    "field": 10.0,         # the position's job family is the graduate's own (headline, skills)
    "field_major": 3.0,    # ... or one the graduate's major class leads to
    "field_near": 6.0,     # ... or a family whose work carries over from the graduate's (vocabulary data)
    "intro": 4.0,          # the position asks for a skill the graduate names in their self-introduction or projects
    # preferences and closeness
    "skills_all": 10.0,    # every skill the position asks for is covered by the graduate
    "major_open": 6.0,     # the position is open to any major
    "district": 10.0,      # the position is in a district the graduate prefers
    "district_near": 5.0,  # ... or in a district next to one
    "salary": 8.0,         # the position's top salary reaches the graduate's expected minimum (or no expectation)
    "salary_closeness": 5.0,  # decay: position's mid salary near the graduate's expected mid salary
    "recency": 3.0,        # decay: recently published positions / recently updated resumes first
}
# Tiers: orderings that fit never overrides. Worth more than any fit, and left out of it.
TIERS = {"kind": 200.0, "majors_fit": 100.0}
SALARY_DECAY = {"scale": 3000, "offset": 500, "decay": 0.5}
RECENCY_DECAY = {"scale_days": 14, "offset_days": 1, "decay": 0.5}
FIT_KEYS = ("skills", "skills_all", "major", "major_related", "title", "field", "district", "salary",
            "salary_closeness", "recency")
MAX_SCORE = sum(WEIGHTS[k] for k in FIT_KEYS)  # a fit of 100
# The relevance a proposal needs: a shared or neighbouring job family, or a specific skill.
RELEVANCE_MIN = 6.0

# Job search: the searchable fields, declared once. The mapping (elastic.py) indexes each as `<field>` (phrases)
# and `<field>_terms` (the words and concepts of search/text.py); the matcher and the highlighter read this too.
SEARCH_FIELDS = {
    # field: (points for the query as a phrase in it, highlight fragment size: 0 = the whole field)
    "title": (8.0, 0),
    "org_name": (4.0, 0),
    "skills_text": (4.0, 0),
    "description": (2.0, 100),
}
SEARCH_WEIGHTS = {"title_all": 4.0}  # every query unit in the title


def terms_field(name: str) -> str:
    return f"{name}_terms"


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
class Not:
    condition: Any


@dataclass(frozen=True)
class Phrase:
    field: str
    text: str


@dataclass(frozen=True)
class Units:
    """Every unit (a tuple of alternative terms, search/text.py) occurs in the `<field>_terms` of one of `fields`."""
    fields: tuple
    units: tuple


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
    # relevance: signals whose points must add up to at least `gate_min` (a document below it is not a match);
    # their points count towards the score like any signal's
    gate: list[Signal] = field(default_factory=list)
    gate_min: float = 0.0
    min_score: float | None = None  # on the whole score: "fit at least"


# ---- Decay maths (Elasticsearch's definitions) --------------------------------------------------------------------
def decay_function(d: Decay):
    """The decay as a function of a field's value, its constants worked out once (Elasticsearch's definitions)."""
    origin = to_millis(d.origin) if d.is_date else float(d.origin)
    offset = d.offset
    if d.function == "gauss":
        scale = 0.5 * d.scale**2 / math.log(d.decay)

        def gauss(value: float | None) -> float:
            if value is None:
                return 1.0  # Elasticsearch: a document without the field gets 1
            distance = max(0.0, abs(value - origin) - offset)
            return math.exp(0.5 * distance**2 / scale)
        return gauss
    scale = math.log(d.decay) / d.scale

    def exp(value: float | None) -> float:
        if value is None:
            return 1.0
        distance = max(0.0, abs(value - origin) - offset)
        return math.exp(scale * distance)
    return exp


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


def salary_mid(low: int | None, high: int | None) -> int | None:
    if low is None and high is None:
        return None
    if low is None or high is None:
        return low if high is None else high
    return (low + high) // 2


# ---- Graduate -> positions ----------------------------------------------------------------------------------------
def skill_signals(keys, *, own: str, text: str, related: bool = True) -> tuple[list[Signal], list[Signal]]:
    """(relevance signals, evidence signals) for the asking side's skills `keys`, each matched against the other
    side's listed skills (`own`), the skills it names in running text (`text`), and related skills. Specific skills
    share WEIGHTS["skills"]; generic ones count a fraction of a share and never as relevance."""
    specific = [k for k in keys if not vocab.is_generic(k)]
    generic = [k for k in keys if vocab.is_generic(k)]
    shares = len(specific) + WEIGHTS["generic"] * len(generic)
    if not shares:
        return [], []
    each = WEIGHTS["skills"] / shares
    relevance: list[Signal] = []
    for k in specific:
        relevance.append(Signal(f"skill:{k}", quantize(each), Term(own, k)))
        relevance.append(Signal(f"skill_text:{k}", quantize(each * WEIGHTS["skill_text"]), Term(text, k)))
        near = tuple(r for r in vocab.related_skills(k) if r not in keys)
        if related and near:
            relevance.append(Signal(f"related:{k}", quantize(each * WEIGHTS["skill_related"]), Terms(own, near)))
    evidence = [Signal(f"generic:{k}", quantize(each * WEIGHTS["generic"]), Term(own, k)) for k in generic]
    return relevance, evidence


@dataclass(frozen=True)
class Constraints:
    """Hard constraints a caller adds to a graduate's recommendations (the support ledger's offers): districts and
    kinds to stay within, an accessible workplace, positions to leave out, a minimum fit (0-100), and no long shots
    (positions naming only majors of other classes)."""
    districts: tuple = ()
    kinds: tuple = ()
    accessible_only: bool = False
    exclude: tuple = ()
    min_fit: int = 0


def recommendation_plan(graduate: dict, *, today: date | None = None, now: datetime | None = None,
                        constraints: Constraints | None = None) -> Plan:
    """Open positions for a graduate document (documents.resume_doc): relevant ones only, the job kinds asked for
    first, then by fit. With `constraints`, the kinds and districts are filters rather than preferences. `today`
    and `now` (open positions, recency) default to the clock's."""
    today, now = today or default_today(), now or default_now()
    plan = Plan(filters=open_position_filters(today) + [Range("degree_rank", lte=graduate["degree_rank"])],
                sort=[("is_support", "desc"), ("published_at", "desc"), ("id", "desc")], gate_min=RELEVANCE_MIN)
    if not graduate.get("in_ledger"):
        plan.filters.append(Term("is_support", False))  # reserved for graduates in the support ledger
    if graduate.get("needs_accessible") or (constraints and constraints.accessible_only):
        plan.filters.append(Term("accessible", True))
    _add_relevance(plan, graduate)
    plan.signals.append(Signal("major_open", WEIGHTS["major_open"], Term("majors_open", True)))
    fields = tuple(graduate.get("fields") or ())
    # Not a long shot: open to any major, or naming one of the graduate's class or discipline, or majors that lead
    # to the graduate's own job family.
    classes = tuple(graduate.get("major_classes") or ("-",))
    majors_fit = AnyOf((Term("majors_open", True), Terms("major_classes", classes),
                        Terms("major_disciplines", tuple(graduate.get("disciplines") or ("-",))),
                        Terms("major_families", fields or ("-",))))
    districts = tuple(graduate.get("expected_districts") or ())
    kinds = tuple(graduate.get("expected_kinds") or ())
    if constraints is None:
        plan.signals.append(Signal("majors_fit", TIERS["majors_fit"], majors_fit))
        if kinds:
            plan.signals.append(Signal("kind", TIERS["kind"], Terms("kind", kinds)))
    else:
        plan.filters.append(majors_fit)
        districts = constraints.districts or districts
        if districts and constraints.districts:
            plan.filters.append(Terms("district", districts))
        if constraints.kinds or kinds:
            plan.filters.append(Terms("kind", constraints.kinds or kinds))
        if constraints.exclude:
            plan.filters.append(Not(Terms("id", tuple(sorted(constraints.exclude)))))
        plan.min_score = quantize(constraints.min_fit * MAX_SCORE / 100)
    _add_closeness(plan, graduate, districts, now)
    return plan


def _add_relevance(plan: Plan, graduate: dict) -> None:
    """What makes a position worth proposing to the graduate at all (the gate), and the evidence besides."""
    relevance, evidence = skill_signals(graduate.get("skills_norm") or (), own="skills_norm", text="skills_text_norm")
    plan.gate += relevance
    plan.signals += evidence
    if graduate.get("skills_norm"):
        plan.signals.append(Signal("skills_all", WEIGHTS["skills_all"],
                                   TermsSet("skills_norm", tuple(graduate["skills_norm"]), "skills_needed")))
    if graduate.get("skills_intro"):
        plan.gate.append(Signal("intro", WEIGHTS["intro"], Terms("skills_norm", tuple(graduate["skills_intro"]))))
    if graduate.get("major"):
        plan.gate.append(Signal("major", WEIGHTS["major"], Term("majors", graduate["major"])))
    classes = tuple(graduate.get("major_classes") or ())
    if classes:
        plan.gate.append(Signal("major_related", WEIGHTS["major_related"], Terms("major_classes", classes)))
    if graduate.get("headline_concepts"):
        plan.gate.append(Signal("title", WEIGHTS["title"], Terms("title_concepts", tuple(graduate["headline_concepts"]))))
    fields = tuple(graduate.get("fields") or ())
    if fields:
        plan.gate.append(Signal("field", WEIGHTS["field"], Terms("field", fields)))
    if graduate.get("major_fields"):
        plan.signals.append(Signal("field_major", WEIGHTS["field_major"], Terms("field", tuple(graduate["major_fields"]))))
    near = tuple(vocab.near_families(fields))
    if near:
        plan.gate.append(Signal("field_near", WEIGHTS["field_near"], Terms("field", near)))


def _add_closeness(plan: Plan, graduate: dict, districts: tuple, now: datetime) -> None:
    """Preferred and neighbouring districts, salary, and recency."""
    if districts:
        plan.signals.append(Signal("district", WEIGHTS["district"], Terms("district", districts)))
        near = tuple(vocab.neighbouring(districts))
        if near:
            plan.signals.append(Signal("district_near", WEIGHTS["district_near"], Terms("district", near)))
    expected_min = graduate.get("expected_salary_min")
    plan.signals.append(Signal("salary", WEIGHTS["salary"],
                               Range("salary_max", gte=expected_min) if expected_min else MatchAll()))
    mid = graduate.get("expected_salary_mid")
    if mid:
        plan.decays.append(_salary_decay("salary_mid", mid))
    plan.decays.append(_recency_decay("published_at", now))


def open_position_filters(today: date) -> list:
    return [Term("status", "published"), Range("deadline", gte=today.isoformat())]


# ---- Position -> graduates ----------------------------------------------------------------------------------------
def candidate_plan(position: dict, *, graduate_ids: list[int] | None, now: datetime) -> Plan:
    """Graduates for a position document: the applicants (`graduate_ids`, all ranked) or, when None, discoverable
    graduates that are relevant to it. Graduates whose workplace needs the position cannot meet are left out."""
    filters: list = [Range("degree_rank", gte=position["degree_rank"])]
    if not position.get("accessible"):
        filters.append(Term("needs_accessible", False))
    if graduate_ids is None:
        filters.append(Term("discoverable", True))
    else:
        filters.append(Terms("graduate_id", tuple(sorted(graduate_ids))))
    plan = Plan(filters=filters, sort=[("updated_at", "desc"), ("graduate_id", "desc")],
                gate_min=RELEVANCE_MIN if graduate_ids is None else 0.0)
    skills = tuple(position.get("skills_norm") or ())
    relevance, evidence = skill_signals(skills, own="skills_norm", text="skills_intro", related=True)
    plan.gate += relevance
    plan.signals += evidence
    if skills:
        plan.signals.append(Signal("skills_all", WEIGHTS["skills_all"], MinMatch("skills_norm", skills, len(skills))))
    if position.get("majors"):
        classes = tuple(position.get("major_classes") or ("-",))
        plan.gate.append(Signal("major", WEIGHTS["major"], Terms("major", tuple(position["majors"]))))
        plan.gate.append(Signal("major_related", WEIGHTS["major_related"], Terms("major_classes", classes)))
        plan.signals.append(Signal("majors_fit", TIERS["majors_fit"], AnyOf((
            Terms("major_classes", classes), Terms("disciplines", tuple(position.get("major_disciplines") or ("-",))),
            Terms("fields", tuple(position.get("major_families") or ("-",)))))))
    else:
        plan.signals.append(Signal("major_open", WEIGHTS["major_open"], MatchAll()))
        plan.signals.append(Signal("majors_fit", TIERS["majors_fit"], MatchAll()))
    if position.get("title_concepts"):
        plan.gate.append(Signal("title", WEIGHTS["title"], Terms("headline_concepts", tuple(position["title_concepts"]))))
    if position.get("field"):
        plan.gate.append(Signal("field", WEIGHTS["field"], Term("fields", position["field"])))
        plan.signals.append(Signal("field_major", WEIGHTS["field_major"], Term("major_fields", position["field"])))
        near = tuple(vocab.near_families([position["field"]]))
        if near:
            plan.gate.append(Signal("field_near", WEIGHTS["field_near"], Terms("fields", near)))
    plan.signals.append(Signal("district", WEIGHTS["district"], Term("expected_districts", position["district"])))
    near = vocab.neighbours(position["district"])
    if near:
        plan.signals.append(Signal("district_near", WEIGHTS["district_near"], Terms("expected_districts", near)))
    plan.signals.append(Signal("kind", TIERS["kind"], AnyOf((Term("expected_kinds", position["kind"]),
                                                             Missing("expected_kinds")))))
    plan.signals.append(Signal("salary", WEIGHTS["salary"], AnyOf((
        Range("expected_salary_min", lte=position["salary_max"]), Missing("expected_salary_min")))))
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


def search_plan(query, *, today: date, show_support: bool = True) -> Plan:
    """Open positions matching a PositionQuery (search/schemas.py). Support posts are left out unless
    `show_support` (the searcher is in the support ledger, or the officers chose to show them to everyone)."""
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
    if query.support_only and show_support:
        filters.append(Term("is_support", True))
    elif not show_support:
        filters.append(Term("is_support", False))
    if query.accessible_only:
        filters.append(Term("accessible", True))
    plan = Plan(filters=filters, sort=SORTS.get(query.sort, SORTS["relevance"]))
    units = tuple(query_units(query.q or ""))
    if (query.q or "").strip():
        plan.filters.append(Units(tuple(SEARCH_FIELDS), units))
        if query.sort == "relevance":
            plan.signals = [Signal(f"{name}_phrase", points, Phrase(name, query.q)) for name, (points, _) in
                            SEARCH_FIELDS.items()]
            plan.signals.append(Signal("title_all", SEARCH_WEIGHTS["title_all"], Units(("title",), units)))
    plan.by_score = bool((query.q or "").strip()) and query.sort == "relevance"
    return plan


SALARY_BUCKETS = ((None, 5000), (5000, 8000), (8000, 12000), (12000, 20000), (20000, None))
FACET_FIELDS = ("district", "kind", "degree_required", "is_support")


def default_now() -> datetime:
    from portal.clock import utcnow
    return utcnow()


def default_today() -> date:
    from portal.clock import today
    return today()
