"""Translation catalogues: every domain keeps its own zh_CN.po next to its code; msgids are English."""
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = ("zh_CN", "en")
SOURCE_LOCALE = "en"
_PORTAL_DIR = Path(__file__).parent
_current_locale: ContextVar[str] = ContextVar("locale", default="zh_CN")


@lru_cache
def catalogue(locale: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    if locale == SOURCE_LOCALE:
        return messages
    for po_path in sorted(_PORTAL_DIR.rglob(f"{locale}.po")) + sorted(
        (_PORTAL_DIR.parent / "search").rglob(f"{locale}.po")
    ):
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id and message.string and not message.fuzzy:
                    messages[_key(message.context, message.id)] = message.string
    return messages


def _key(context: str | None, message: str) -> str:
    # gettext's own convention for a message with a msgctxt: "context\x04msgid".
    return f"{context}\x04{message}" if context else message


def set_locale(locale: str) -> None:
    _current_locale.set(locale if locale in LOCALES else LOCALES[0])


def current_locale() -> str:
    return _current_locale.get()


def gettext(message: str, **params: object) -> str:
    text = catalogue(current_locale()).get(message, message)
    return text % params if params else text


def pgettext(context: str, message: str, **params: object) -> str:
    """A message whose translation depends on where it is used (a po entry with msgctxt), else the plain one."""
    text = catalogue(current_locale()).get(_key(context, message))
    if text is None:
        return gettext(message, **params)
    return text % params if params else text


def ngettext(singular: str, plural: str, count: int, **params: object) -> str:
    params.setdefault("num", count)
    return gettext(singular if count == 1 else plural, **params)


def pick_locale(cookie_value: str | None, accept_language: str | None, default: str) -> str:
    if cookie_value in LOCALES:
        return cookie_value
    if accept_language and accept_language.lower().startswith("en"):
        return "en"
    return default
