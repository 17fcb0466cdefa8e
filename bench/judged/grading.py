"""The adviser's grading rules for the judged set, written before the matching model's output was looked at.

Every (graduate, position) pair gets a grade 0-3:

  3  a strong fit: the post is in the graduate's own specialty, of a kind they asked for, in or next to a district
     they prefer (or they named none), at a level that suits their degree.
  2  a good fit: as 3, but one thing is off: the district is neither preferred nor next to one, or the post asks
     for two or more degree levels less than the graduate holds (a master's for an associate-level post).
  1  worth a look: the post is in a specialty the adviser lists as "worth a look" for this graduate (skills carry
     over) and of a kind they asked for, or it is in their own specialty but of a job kind they did not ask for (shown below the kinds they
     asked for, and labelled), or their own specialty with both things of grade 2 off.
  0  not to be proposed. The hard zeros, whatever else holds:
       H1 the post is not open (closed, or past its deadline);
       H2 the post requires a higher degree than the graduate holds;
       H3 the post is a reserved support post (支持岗位) and the graduate is not in the support ledger;
       H4 the graduate needs an accessible workplace and the post's workplace is not;
     and the soft zeros:
       H5 the post is in a specialty that is neither the graduate's nor one "worth a look" for them;
       H6 the post is in a "worth a look" specialty but of a job kind the graduate did not ask for.

For the support ledger's offers the graduate's stated districts and job kinds are constraints, not preferences: an
offer outside them breaks a hard rule too (L1 district, L2 kind).

`grade()` applies the rules; `grades()` is the whole matrix, also committed as judged/grades.json so that a change
to the rules shows up as a diff.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench.judged.graduates import GRADUATES
from bench.judged.positions import POSITIONS

DEGREE_RANK = {"associate": 1, "bachelor": 2, "master": 3, "doctorate": 4}
NEIGHBOURS: dict[str, list[str]] = json.loads(
    (Path(__file__).resolve().parents[2] / "search" / "vocab" / "districts.json").read_text(encoding="utf-8"))["neighbours"]
GRADES_FILE = Path(__file__).with_name("grades.json")


@dataclass(frozen=True)
class JudgedPosition:
    key: str
    specialty: str
    title: str
    district: str
    kind: str
    degree: str
    majors: list
    skills: list
    salary_min: int
    salary_max: int
    description: str
    flags: str

    @property
    def is_support(self) -> bool:
        return "S" in self.flags

    @property
    def accessible(self) -> bool:
        return "A" in self.flags

    @property
    def is_open(self) -> bool:
        return "X" not in self.flags and "E" not in self.flags


@dataclass(frozen=True)
class JudgedGraduate:
    key: str
    specialty: str
    worth_a_look: list
    major: str
    degree: str
    headline: str
    skills: list
    self_intro: str
    districts: list
    kinds: list
    salary_min: int
    salary_max: int
    flags: str

    @property
    def in_ledger(self) -> bool:
        return "L" in self.flags

    @property
    def needs_accessible(self) -> bool:
        return "A" in self.flags


def positions() -> list[JudgedPosition]:
    return [JudgedPosition(*row) for row in POSITIONS]


def graduates() -> list[JudgedGraduate]:
    return [JudgedGraduate(*row) for row in GRADUATES]


def hard_breaks(g: JudgedGraduate, p: JudgedPosition) -> list[str]:
    """The hard rules (H1-H4) the pair breaks."""
    broken = []
    if not p.is_open:
        broken.append("H1 not open")
    if DEGREE_RANK[p.degree] > DEGREE_RANK[g.degree]:
        broken.append("H2 degree")
    if p.is_support and not g.in_ledger:
        broken.append("H3 reserved support post")
    if g.needs_accessible and not p.accessible:
        broken.append("H4 not accessible")
    return broken


def ledger_breaks(g: JudgedGraduate, p: JudgedPosition) -> list[str]:
    """The hard rules an offer of the support ledger breaks: H1-H4 and the stated districts and kinds."""
    broken = hard_breaks(g, p)
    if g.districts and p.district not in g.districts:
        broken.append("L1 district")
    if g.kinds and p.kind not in g.kinds:
        broken.append("L2 kind")
    return broken


def near(g: JudgedGraduate, p: JudgedPosition) -> bool:
    return not g.districts or any(p.district == d or p.district in NEIGHBOURS.get(d, ()) for d in g.districts)


def grade(g: JudgedGraduate, p: JudgedPosition) -> int:
    if hard_breaks(g, p):
        return 0
    if p.specialty == g.specialty:
        if g.kinds and p.kind not in g.kinds:
            return 1
        off = (not near(g, p)) + (DEGREE_RANK[g.degree] - DEGREE_RANK[p.degree] >= 2)
        return max(1, 3 - off)
    if p.specialty in g.worth_a_look and (not g.kinds or p.kind in g.kinds):
        return 1
    return 0


def grades() -> dict[str, dict[str, int]]:
    """graduate key -> position key -> grade, every pair."""
    ps = positions()
    return {g.key: {p.key: grade(g, p) for p in ps} for g in graduates()}


def write() -> None:
    """Writes judged/grades.json (only the non-zero grades; every other pair is 0)."""
    data = {g: {p: v for p, v in row.items() if v} for g, row in grades().items()}
    GRADES_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
