"""The resume form: flat field names (education-3-school) to nested data and back, and readable errors."""
import re
import time
from typing import Any

from pydantic import BaseModel, ValidationError

from portal.i18n import gettext

SECTIONS = {
    "education": ("school", "major", "degree", "start", "end"),
    "experience": ("organization", "role", "start", "end", "description"),
    "projects": ("name", "role", "start", "end", "description"),
}
_ROW_FIELD = re.compile(r"^(education|experience|projects)-(\d{1,13})-([a-z_]+)$")

# Pydantic error types -> English msgids shown beside the field.
_MESSAGES = {
    "missing": "This field is required.",
    "string_too_short": "This field is required.",
    "string_too_long": "This is too long (at most %(max_length)s characters).",
    "too_long": "Too many entries (at most %(max_length)s).",
    "int_parsing": "Enter a whole number.",
    "int_from_float": "Enter a whole number.",
    "int_type": "Enter a whole number.",
    "greater_than_equal": "Enter a number of at least %(ge)s.",
    "less_than_equal": "Enter a number of at most %(le)s.",
    "enum": "Choose one of the options.",
    "literal_error": "Choose one of the options.",
    "bool_parsing": "Choose yes or no.",
    "list_type": "Choose one of the options.",
}


def new_row_index() -> int:
    """Indexes for rows added in the browser: larger than any row the page started with, and rising."""
    return int(time.time() * 1000)


def nest(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Groups row fields into lists (blank rows dropped, page order kept).

    Returns the payload for ResumeUpdate and, per section, the form index of each list item, so
    errors can be shown on the row they belong to.
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


def errors_by_field(error: ValidationError, index_map: dict[str, list[int]] | None = None) -> dict[str, str]:
    """Translated messages keyed by the form's own field names."""
    errors: dict[str, str] = {}
    for item in error.errors():
        loc = list(item["loc"])
        if not loc:
            key = "__all__"
        elif loc[0] in SECTIONS and len(loc) >= 2 and isinstance(loc[1], int):
            indexes = (index_map or {}).get(loc[0], [])
            form_index = indexes[loc[1]] if loc[1] < len(indexes) else loc[1]
            key = f"{loc[0]}-{form_index}-{loc[2] if len(loc) > 2 else 'start'}"
        else:
            key = str(loc[0])
        errors.setdefault(key, message_of(item))
    return errors


def message_of(item: dict) -> str:
    if item["type"] == "value_error":
        return gettext(str(item["ctx"]["error"]))
    msgid = _MESSAGES.get(item["type"])
    if msgid is None:
        return gettext("This value is not valid.")
    ctx = {k: v for k, v in (item.get("ctx") or {}).items() if f"%({k})s" in msgid}
    return gettext(msgid, **ctx)


def parse(model: type[BaseModel], data: dict[str, Any], index_map=None):
    try:
        return model.model_validate(data), {}
    except ValidationError as error:
        return None, errors_by_field(error, index_map)


def rows_for(section: str, entries: list[dict], index_map: list[int] | None = None) -> list[tuple[int, dict]]:
    indexes = index_map or list(range(len(entries)))
    return list(zip(indexes, entries))
