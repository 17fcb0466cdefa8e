"""HX-Trigger events: one style of name (kebab-case), and each one something on a page listens for."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SENT = re.compile(r'"HX-Trigger":\s*"([^"]+)"')
HEARD = re.compile(r'hx-trigger="([^"]*)"')


def _sent() -> dict[str, list[str]]:
    events: dict[str, list[str]] = {}
    for path in sorted(list((ROOT / "portal").rglob("*.py")) + list((ROOT / "search").rglob("*.py"))):
        for name in SENT.findall(path.read_text(encoding="utf-8")):
            events.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return events


def _heard() -> set[str]:
    names = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for trigger in HEARD.findall(path.read_text(encoding="utf-8")):
            names.update(re.findall(r"([\w-]+) from:body", trigger))
    return names


def test_every_event_a_response_sends_is_kebab_case_and_listened_for():
    sent = _sent()
    assert sent, "no HX-Trigger found: the scan is broken"
    assert {name: where for name, where in sent.items() if not re.fullmatch(r"[a-z]+(-[a-z]+)*", name)} == {}
    assert {name: where for name, where in sent.items() if name not in _heard()} == {}
