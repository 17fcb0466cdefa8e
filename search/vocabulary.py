"""The vocabularies the matching model and search read: skills, job titles, majors and districts, as data.

The data lives in search/vocab/*.json (see each file's "_about"). Everything here is a lookup over it: which
canonical skill a free-text skill is, which skills and job titles a text names, which major class a major
belongs to, which districts border a district. Both backends call these functions while documents and queries are
built, so they cannot disagree about them.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

VOCAB_DIR = Path(__file__).with_name("vocab")
CUSTOM_PREFIX = "x:"  # a skill that is in no vocabulary is compared on its normalised text, under this prefix


def normalize(text: str) -> str:
    """NFKC, lower case, single spaces: how every name and text is compared."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def _load(name: str) -> dict:
    return json.loads((VOCAB_DIR / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Skill:
    id: str
    zh: str
    en: str
    names: tuple[str, ...]
    families: tuple[str, ...]
    related: tuple[str, ...]
    generic: bool


@dataclass(frozen=True)
class Title:
    id: str
    zh: str
    en: str
    names: tuple[str, ...]
    family: str
    broader: str | None = None


@dataclass
class Vocabulary:
    skills: dict[str, Skill] = field(default_factory=dict)
    titles: dict[str, Title] = field(default_factory=dict)
    families: dict[str, tuple[str, str]] = field(default_factory=dict)
    related_families: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skill_by_name: dict[str, str] = field(default_factory=dict)
    # names looked for inside running text (descriptions, self-introductions): long enough not to occur by chance
    skill_text_names: dict[str, str] = field(default_factory=dict)
    title_by_name: dict[str, str] = field(default_factory=dict)
    major_classes: dict[str, frozenset[str]] = field(default_factory=dict)
    class_families: dict[str, tuple[str, ...]] = field(default_factory=dict)
    neighbours: dict[str, tuple[str, ...]] = field(default_factory=dict)


@cache
def vocabulary() -> Vocabulary:
    v = Vocabulary()
    skills = _load("skills.json")
    v.families = {k: tuple(names) for k, names in skills["families"].items()}
    v.related_families = {k: tuple(r) for k, r in skills["related_families"].items()}
    for row in skills["skills"]:
        s = Skill(row["id"], row["zh"], row["en"], tuple(row.get("names", ())), tuple(row.get("families", ())),
                  tuple(row.get("related", ())), bool(row.get("generic")))
        v.skills[s.id] = s
        for name in (s.zh, s.en, *s.names):
            v.skill_by_name.setdefault(normalize(name), s.id)
            if name in (s.zh, s.en) or len(normalize(name)) >= 3:
                v.skill_text_names.setdefault(normalize(name), s.id)
    for row in _load("titles.json")["titles"]:
        t = Title(row["id"], row["zh"], row["en"], tuple(row.get("names", ())), row["family"], row.get("broader"))
        v.titles[t.id] = t
        for name in (t.zh, t.en, *t.names):
            v.title_by_name.setdefault(normalize(name), t.id)
    majors = _load("majors.json")
    classes: dict[str, set[str]] = {}
    for level in ("undergraduate", "vocational"):
        for discipline, group in majors[level].items():
            for class_name, entry in group.items():
                key = f"{level[0]}:{discipline}/{class_name}"
                v.class_families[key] = tuple(entry["families"])
                for major in entry["majors"]:
                    classes.setdefault(normalize(major), set()).add(key)
    v.major_classes = {k: frozenset(c) for k, c in classes.items()}
    v.neighbours = {k: tuple(n) for k, n in _load("districts.json")["neighbours"].items()}
    return v


# ---- skills -----------------------------------------------------------------------------------------------------
def skill_key(name: str) -> str:
    """The canonical skill a free-text skill names, or its normalised text under CUSTOM_PREFIX."""
    text = normalize(name)
    return vocabulary().skill_by_name.get(text) or (CUSTOM_PREFIX + text if text else "")


def skill_keys(names) -> list[str]:
    """Distinct keys of a list of skills, in order."""
    return list(dict.fromkeys(k for k in (skill_key(n) for n in names or ()) if k))


def skill_entry(key: str) -> Skill | None:
    return vocabulary().skills.get(key)


def is_generic(key: str) -> bool:
    entry = skill_entry(key)
    return bool(entry and entry.generic)


def related_skills(key: str) -> tuple[str, ...]:
    entry = skill_entry(key)
    return entry.related if entry else ()


def skill_label(key: str, locale: str = "zh") -> str:
    entry = skill_entry(key)
    if entry is None:
        return key.removeprefix(CUSTOM_PREFIX)
    return entry.en if locale.startswith("en") else entry.zh


def skill_families(keys) -> list[str]:
    """Families the non-generic skills point to, most often named first."""
    counts: dict[str, int] = {}
    for key in keys:
        entry = skill_entry(key)
        if entry and not entry.generic:
            for family in entry.families:
                counts[family] = counts.get(family, 0) + 1
    return sorted(counts, key=lambda f: -counts[f])


def near_families(families) -> list[str]:
    """Families whose work carries over from any of `families`, themselves excluded."""
    chosen = set(families)
    related = vocabulary().related_families
    return list(dict.fromkeys(r for f in families for r in related.get(f, ()) if r not in chosen))


def suggest_skills(prefix: str, limit: int = 8) -> list[str]:
    """Canonical skill names (Chinese first) whose names start with, then contain, what the user typed."""
    text = normalize(prefix)
    if not text:
        return []
    starts, contains = [], []
    for name, key in vocabulary().skill_by_name.items():
        if name.startswith(text):
            starts.append(key)
        elif text in name:
            contains.append(key)
    keys = list(dict.fromkeys(starts + contains))[:limit]
    return [vocabulary().skills[k].zh for k in keys]


# ---- job titles -------------------------------------------------------------------------------------------------
def broader_titles(concepts) -> list[str]:
    titles = vocabulary().titles
    return [titles[c].broader for c in concepts if titles[c].broader]


def title_family(concepts) -> str | None:
    for concept in concepts:
        return vocabulary().titles[concept].family
    return None


# ---- majors and districts ---------------------------------------------------------------------------------------
def major_classes(major: str | None) -> list[str]:
    """The catalogue classes (专业类) a major belongs to, under their discipline (门类, or 大类 for vocational
    majors): "u:工学/计算机类", "v:财经商贸大类/财务会计类"."""
    return sorted(vocabulary().major_classes.get(normalize(major or ""), ()))


def disciplines(classes) -> list[str]:
    return sorted({c.split("/", 1)[0] for c in classes})


def class_families(classes) -> list[str]:
    v = vocabulary()
    return list(dict.fromkeys(f for c in classes for f in v.class_families.get(c, ())))


def neighbours(district: str) -> tuple[str, ...]:
    return vocabulary().neighbours.get(district, ())


def neighbouring(districts) -> list[str]:
    """Districts next to any of `districts`, themselves excluded."""
    chosen = set(districts)
    return sorted({n for d in districts for n in neighbours(d)} - chosen)
