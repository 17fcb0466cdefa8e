"""Text handling shared by both backends, so they see the same words.

`tokens()` follows Elasticsearch's `standard` tokenizer closely enough for our data: every Han character is a
token of its own, runs of letters and digits (with inner `.` or `'`, as in "node.js") form one token, all
lower-cased. `grams()` turns a short text (a title, a headline) into the keys the matching model compares:
adjacent-character bigrams for Chinese and whole words for everything else. Both backends compute these keys
here, in Python: the Elasticsearch documents carry them in keyword fields, so no analyzer plugin is needed and the
two backends cannot disagree about them.
"""
import re
import unicodedata

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = rf"(?:(?![{_HAN}])[\w])+"
_TOKEN = re.compile(rf"([{_HAN}])|({_WORD}(?:[.']{_WORD})*)")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def tokens(text: str) -> list[str]:
    return [m.group(0).lower() for m in _TOKEN.finditer(normalize(text))]


def is_han(token: str) -> bool:
    return len(token) == 1 and bool(re.match(rf"[{_HAN}]", token))


def grams(text: str) -> list[str]:
    """Distinct matching keys of a short text, in first-seen order."""
    seen: dict[str, None] = {}
    toks = tokens(text)
    for i, tok in enumerate(toks):
        if is_han(tok):
            if i + 1 < len(toks) and is_han(toks[i + 1]):
                seen.setdefault(tok + toks[i + 1], None)
            elif (i == 0 or not is_han(toks[i - 1])):
                seen.setdefault(tok, None)  # a lone Han character
        else:
            seen.setdefault(tok, None)
    return list(seen)


def skill_key(skill: str) -> str:
    """How skills are compared: NFKC, trimmed, lower-case, inner spaces collapsed ("Spring  Boot" = "spring boot")."""
    return " ".join(normalize(skill).lower().split())


def contains_phrase(haystack: list[str], needle: list[str]) -> bool:
    if not needle:
        return False
    n = len(needle)
    first = needle[0]
    for i, tok in enumerate(haystack):
        if tok == first and haystack[i : i + n] == needle:
            return True
    return False
