"""Every msgid in the resume, application and notification templates and messages has a zh_CN translation."""
import ast
from pathlib import Path

import pytest
from jinja2.ext import babel_extract

from portal import i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("resumes", "applications", "notifications")
# Keyword arguments and error classes whose first string argument is shown to people.
SHOWN_CALLS = {"Invalid", "Conflict", "NotFound", "Forbidden", "ValueError"}


def template_msgids(package: str) -> set[str]:
    found = set()
    for path in (ROOT / "templates" / package).glob("*.html"):
        with path.open("rb") as handle:
            for _, _, message, _ in babel_extract(handle, ("_", "gettext", "ngettext"), [], {}):
                found.update(m for m in (message if isinstance(message, tuple) else (message,)) if m)
    return found


def python_msgids(package: str) -> set[str]:
    found = set()
    for path in (ROOT / "portal" / package).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in SHOWN_CALLS and node.args and isinstance(node.args[0], ast.Constant):
                if isinstance(node.args[0].value, str) and " " in node.args[0].value:
                    found.add(node.args[0].value)
            for keyword in node.keywords:
                if keyword.arg in ("title", "body") and isinstance(keyword.value, ast.Constant) and keyword.value.value:
                    found.add(keyword.value.value)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_every_msgid_has_a_chinese_translation(package):
    catalogue = i18n.catalogue("zh_CN")
    msgids = template_msgids(package) | python_msgids(package)
    assert msgids, package
    missing = sorted(m for m in msgids if m not in catalogue)
    assert missing == []


def test_stage_messages_are_translated():
    from portal.applications.service import _GRADUATE_MESSAGES

    catalogue = i18n.catalogue("zh_CN")
    assert all(m in catalogue for pair in _GRADUATE_MESSAGES.values() for m in pair)
