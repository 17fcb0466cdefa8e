"""The resume form's layout: flat field names (education-3-school) to nested data and back."""
import re
import time
from typing import Any

SECTIONS = {
    "education": ("school", "major", "degree", "start", "end"),
    "experience": ("organization", "role", "start", "end", "description"),
    "projects": ("name", "role", "start", "end", "description"),
}
_ROW_FIELD = re.compile(r"^(education|experience|projects)-(\d{1,13})-([a-z_]+)$")


def new_row_index() -> int:
    """Indexes for rows added in the browser: larger than any row the page started with, and rising."""
    return int(time.time() * 1000)


def nest(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Groups row fields into lists (blank rows dropped, page order kept).

    Returns the payload for ResumeUpdate and, per section, the form index of each list item, so
    errors can be shown on the row they belong to (portal.forms.parse's index_map).
    """
    payload: dict[str, Any] = {}
    rows: dict[str, dict[int, dict[str, str]]] = {section: {} for section in SECTIONS}
    for key, value in data.items():
        match = _ROW_FIELD.match(key)
        if match:
            section, index, name = match.group(1), int(match.group(2)), match.group(3)
            if name in SECTIONS[section]:
                rows[section].setdefault(index, {})[name] = value if isinstance(value, str) else str(value[0])
        else:
            payload[key] = value
    index_map: dict[str, list[int]] = {}
    for section, by_index in rows.items():
        kept = [(i, row) for i, row in sorted(by_index.items()) if any(str(v).strip() for v in row.values())]
        payload[section] = [row for _, row in kept]
        index_map[section] = [i for i, _ in kept]
    return payload, index_map


def rows_for(section: str, entries: list[dict], index_map: list[int] | None = None) -> list[tuple[int, dict]]:
    indexes = index_map or list(range(len(entries)))
    return list(zip(indexes, entries))
