"""The national graduate destination categories (毕业去向), kept as data in categories.json."""
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from portal.i18n import gettext


@dataclass(frozen=True)
class Category:
    code: str
    national_code: str
    label: str  # English msgid
    group: str  # employed, further_study or without

    @property
    def placed(self) -> bool:
        """Counts towards the destination rate (去向落实率): employed or studying."""
        return self.group != "without"

    def display(self) -> str:
        return f"{self.national_code} {gettext(self.label)}"


@cache
def all_categories() -> tuple[Category, ...]:
    rows = json.loads((Path(__file__).with_name("categories.json")).read_text(encoding="utf-8"))
    return tuple(Category(**row) for row in rows)


def get(code: str) -> Category | None:
    return next((c for c in all_categories() if c.code == code), None)


def codes() -> tuple[str, ...]:
    return tuple(c.code for c in all_categories())


AGREEMENT = "agreement"
SEEKING_WORK = "seeking_work"
