"""Words, not characters: how both backends read Chinese and English text.

Chinese runs are segmented into words by jieba (the `rjieba` binding of jieba-rs) with a domain dictionary: every
name in the skills, job-title and majors vocabularies and Tianjin's districts (search/vocab). Latin runs are words
of letters and digits ("node.js", "c++" stay whole). What a field is indexed as (`terms()`):

  * its words, lower case;
  * the dictionary words inside each longer word (search mode: 会计核算 also yields 会计 and 核算), so a query for a
    word finds it inside compounds but never across a word boundary (会计 is not in 机械设计);
  * the concepts it names: `s:<skill>` for a vocabulary skill, `t:<title>` for a job title, whatever the language
    or spelling (护士 and "nurse" both give t:nurse).

A query (`query_units()`) is a list of units that must all match; a unit is a set of alternatives: a concept
named in the query (an English title finds Chinese postings), or a word, with its near spellings from the
vocabulary for Latin words ("pyhton" -> python). Elasticsearch's test distribution has no Chinese analyzer, so the
terms are computed here and indexed in fields analysed by whitespace; the embedded backend compares the same terms.
`mark()` highlights whole words from the same analysis.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import cache, lru_cache
from operator import itemgetter
from typing import NamedTuple

import rjieba

from search import vocabulary as vocab

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"([{_HAN}]+)|([a-z0-9]+(?:[.+#][a-z0-9+#]*)*)")
SKILL_PREFIX, TITLE_PREFIX = "s:", "t:"
# Words the segmenter should keep whole besides the vocabularies' names.
DOMAIN_WORDS = ("后端", "前端", "见习", "见习生", "实习生", "兼职", "应届生", "工程师", "无障碍", "五险一金", "双休")


def fold(text: str) -> str:
    """Lower case and NFKC per character, keeping every offset (highlights map back onto the original text)."""
    text = text or ""
    whole = unicodedata.normalize("NFKC", text).lower()
    if len(whole) == len(text):
        return whole
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch).lower()
        out.append(folded if len(folded) == 1 else ch.lower())
    return "".join(out)


@cache
def segmenter() -> rjieba.Jieba:
    jieba = rjieba.Jieba()
    v = vocab.vocabulary()
    names = [*v.skill_by_name, *v.title_by_name, *v.major_classes, *v.neighbours, *DOMAIN_WORDS]
    for name in names:
        if re.fullmatch(rf"[{_HAN}]{{2,}}", name):
            jieba.add_word(name, 50000, None)
    return jieba


def _spans(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """(start, end, word) for every word of a folded text, and apart the dictionary words inside the longer
    ones."""
    outer: list[tuple[int, int, str]] = []
    inner: list[tuple[int, int, str]] = []
    for match in _RUN.finditer(text):
        at = match.start()
        if match.group(2):
            outer.append((at, match.end(), match.group(2)))
            continue
        words, inside = _han_run(match.group(1))
        if at:
            words = [(at + i, at + j, word) for i, j, word in words]
            inside = [(at + i, at + j, word) for i, j, word in inside]
        outer += words
        inner += inside
    return outer, inner


@lru_cache(maxsize=8192)
def _han_run(run: str) -> tuple[tuple[tuple[int, int, str], ...], tuple[tuple[int, int, str], ...]]:
    """The words of a run of Chinese characters and the dictionary words inside them, with offsets in the run
    (runs recur in queries and highlights; texts being indexed are cached by the piece, so few are kept: a long
    unique run's words take kilobytes)."""
    words, inside = [], []
    at = 0
    for word in segmenter().cut(run, False):
        end = at + len(word)
        words.append((at, end, word))
        if end - at > 2:  # a word of two characters holds no other word of two
            inside.extend((at + i, at + j, sub) for i, j, sub in _inside(word))
        at = end
    return tuple(words), tuple(inside)


@lru_cache(maxsize=100_000)
def _inside(word: str) -> tuple[tuple[int, int, str], ...]:
    """The dictionary words inside a word, with their offsets (words recur: computed once each)."""
    jieba = segmenter()
    return tuple((i, j, word[i:j]) for i in range(len(word) - 1) for j in range(i + 2, len(word) + (i > 0))
                 if jieba.has_word(word[i:j]))


def _concept_spans(text: str, outer, inner, names: dict) -> list[tuple[int, int, tuple[str, ...]]]:
    return [span for found in _concept_passes(text, outer, inner, names) for span in found]


def _concept_passes(text: str, outer, inner, names: dict) -> tuple[list, list, list, list]:
    """The vocabulary names among the words (up to three in a row, with or without a space: "spring boot",
    "java开发"), longest first; inside a word only when the word itself names nothing (结构设计师 is a civil
    engineer, not a graphic designer). One list per pass: names of three words, of two, of one, inside a word."""
    phrases: tuple[list, list] = ([], [])
    taken: set[int] = set()
    starts = _phrase_starts(id(names), names)
    firsts = [i for i, span in enumerate(outer) if span[2] in starts]
    for found, length in zip(phrases, (3, 2)) if firsts else ():
        for i in firsts:
            if i + length > len(outer) or taken.intersection(range(i, i + length)):
                continue
            run = outer[i:i + length]
            concept = names.get(_joined(text, run))
            if concept:
                found.append((run[0][0], run[-1][1], concept))
                taken.update(range(i, i + length))
    singles = [(start, end, names[word]) for i, (start, end, word) in enumerate(outer)
               if word in names and i not in taken]
    inside = [(start, end, names[word]) for start, end, word in inner if word in names]
    if inside:
        covered = [(s, e) for found in (*phrases, singles) for s, e, _ in found]
        inside = [(start, end, c) for start, end, c in inside if not any(s <= start and end <= e for s, e in covered)]
    return phrases[0], phrases[1], singles, inside


_PHRASE_STARTS: dict[int, frozenset[str]] = {}


def _phrase_starts(key: int, names: dict) -> frozenset[str]:
    """First words of the names that take several words ("spring boot", "java开发")."""
    if key not in _PHRASE_STARTS:
        _PHRASE_STARTS[key] = frozenset(w[0] for w in (words(n) for n in names) if len(w) > 1)
    return _PHRASE_STARTS[key]


def _joined(text: str, run) -> str | None:
    between = [text[a[1]:b[0]] for a, b in zip(run, run[1:])]
    if any(gap not in ("", " ") for gap in between):
        return None
    return text[run[0][0]:run[-1][1]]


def words(text: str) -> list[str]:
    """The words of a text in order (the segmenter's precise mode), lower case."""
    jieba = segmenter()
    out = []
    for match in _RUN.finditer(fold(text)):
        out += [match.group(2)] if match.group(2) else jieba.cut(match.group(1), False)
    return out


@cache
def _concepts(in_running_text: bool) -> dict[str, tuple[str, ...]]:
    """Vocabulary name -> the concept terms it stands for (会计 is both a job title and a skill). In running text
    only the longer skill names are looked for; a query may use any name."""
    v = vocab.vocabulary()
    table: dict[str, list[str]] = {}
    for name, key in v.title_by_name.items():
        table.setdefault(name, []).append(TITLE_PREFIX + key)
    for name, key in (v.skill_text_names if in_running_text else v.skill_by_name).items():
        table.setdefault(name, []).append(SKILL_PREFIX + key)
    return {name: tuple(terms) for name, terms in table.items()}


class Analysis(NamedTuple):
    """A text as search and matching read it."""
    terms: tuple[str, ...]  # words, the words inside them, the concepts named and their broader titles
    indexed: str  # the terms as the whitespace-analysed field holds them
    skills: tuple[tuple[str, str], ...]  # (skill key, the text's own spelling) of the skills named, first mention
    titles: tuple[str, ...]  # job-title concepts named (without the broader ones)


# Characters no word or vocabulary name spans (a name joins words with nothing or a space between them).
_PIECE_BREAK = re.compile(r"[\n，。；：、！？（）【】,;:!?()]+")


@lru_cache(maxsize=50_000)
def analyse(text: str) -> Analysis:
    """The text's words, concepts and their spellings, as one pass of segmentation over the whole text gives them.
    It is read a piece at a time between punctuation (pieces recur across texts far more than whole texts do:
    boilerplate, lists of requirements), and the pieces' results are put in the whole text's order: every word,
    then every word inside one, then the concepts pass by pass (names of three words first)."""
    pieces = [_piece(p) for p in _PIECE_BREAK.split(text) if p]
    concepts = [c for p in pieces for c in p.concepts]
    if len(pieces) > 1:
        concepts.sort(key=itemgetter(0))  # stable: in each pass, the pieces' order
    found = dict.fromkeys([w for p in pieces for w in p.words] + [w for p in pieces for w in p.inside]
                          + [term for _, _, terms, _, _ in concepts for term in terms])
    skills: dict[str, str] = {}
    titles: dict[str, None] = {}
    for _, spelled, _, skill_keys, title_keys in concepts:
        for key in skill_keys:
            skills.setdefault(key, spelled)
        titles.update(dict.fromkeys(title_keys))
    found.update(dict.fromkeys(TITLE_PREFIX + b for b in vocab.broader_titles(titles)))
    return Analysis(tuple(found), " ".join(found), tuple(skills.items()), tuple(titles))


class _Piece(NamedTuple):
    words: tuple[str, ...]
    inside: tuple[str, ...]  # the dictionary words inside the longer words
    concepts: tuple  # (pass, own spelling, concept terms, skill keys, title keys) of each name found, pass by pass


@lru_cache(maxsize=100_000)
def _piece(text: str) -> _Piece:
    folded = fold(text)
    outer, inner = _spans(folded)
    concepts = [(rank, text[start:end], terms, *_concept_keys(terms))
                for rank, found in enumerate(_concept_passes(folded, outer, inner, _concepts(True)))
                for start, end, terms in found]
    return _Piece(tuple([w for _, _, w in outer]), tuple([w for _, _, w in inner]), tuple(concepts))


@cache
def _concept_keys(terms: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(skill keys, title keys) of a name's concept terms."""
    return (tuple(t.removeprefix(SKILL_PREFIX) for t in terms if t.startswith(SKILL_PREFIX)),
            tuple(t.removeprefix(TITLE_PREFIX) for t in terms if t.startswith(TITLE_PREFIX)))


def indexed(text: str, skills: tuple[str, ...] = ()) -> str:
    """A field as its `<field>_terms` holds it (plus `skills`, the keys of a list of skills, when it is one)."""
    analysis = analyse(text)
    extra = [SKILL_PREFIX + k for k in skills if not k.startswith(vocab.CUSTOM_PREFIX)]
    if not extra:
        return analysis.indexed
    return " ".join(dict.fromkeys((*analysis.terms, *extra)))


def terms(text: str, skills: tuple[str, ...] = ()) -> list[str]:
    """What a field is indexed as, term by term."""
    return indexed(text, skills).split()


def query_units(query: str) -> list[tuple[str, ...]]:
    """The units of a query, each a tuple of alternative terms; a document matches when every unit does."""
    folded = fold(query)
    units: list[tuple[str, ...]] = []
    last = 0
    outer, _ = _spans(folded)
    for start, end, concept_terms in sorted(_concept_spans(folded, outer, [], _concepts(False))):
        units += _word_units(folded[last:start])
        span_words = words(folded[start:end])
        literal = (span_words[0],) if len(span_words) == 1 else ()
        units.append(tuple(dict.fromkeys((*literal, *concept_terms))))
        last = end
    units += _word_units(folded[last:])
    return list(dict.fromkeys(units))


def _word_units(text: str) -> list[tuple[str, ...]]:
    return [(w, *near_spellings(w)) for w in words(text)]


def near_spellings(word: str) -> tuple[str, ...]:
    """Vocabulary words within one edit (two for long words) of an unknown Latin word: typo tolerance."""
    if not word.isascii() or len(word) < 4 or word in latin_vocabulary():
        return ()
    allowed = 1 if len(word) < 8 else 2
    return tuple(w for w in latin_vocabulary() if abs(len(w) - len(word)) <= allowed
                 and edit_distance(word, w, allowed) <= allowed)


@cache
def latin_vocabulary() -> frozenset[str]:
    v = vocab.vocabulary()
    found = set()
    for name in [*v.skill_by_name, *v.title_by_name]:
        found.update(m.group(2) for m in _RUN.finditer(name) if m.group(2))
    return frozenset(w for w in found if len(w) >= 3)


def edit_distance(a: str, b: str, cap: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, stopping early once above `cap`."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > cap:
            return cap + 1
        previous2, previous = previous, current
    return previous[-1]


def query_terms(units: list[tuple[str, ...]]) -> set[str]:
    return {t for unit in units for t in unit}


def mark(text: str, units: list[tuple[str, ...]]) -> str:
    """The text HTML-escaped, with every whole word or named concept that a query unit matched in <mark>."""
    out, last = [], 0
    for start, end in _merged(_matched_spans(text, units)):
        out += [html.escape(text[last:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def first_match(text: str, units: list[tuple[str, ...]]) -> int:
    """Offset of the first matched word in `text` (where a description's snippet starts), 0 if none."""
    return min((s for s, _ in _matched_spans(text, units)), default=0)


def _matched_spans(text: str, units: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    wanted = query_terms(units)
    folded = fold(text)
    outer, inner = _spans(folded)
    found = [(s, e) for s, e, w in outer + inner if w in wanted]
    return found + [(s, e) for s, e, ts in _concept_spans(folded, outer, inner, _concepts(True))
                    if wanted.intersection(ts)]


_STANDARD = re.compile(rf"([{_HAN}])|([a-z0-9]+(?:[.'][a-z0-9]+)*)")


def standard_tokens(text: str) -> list[str]:
    """Tokens as Elasticsearch's `standard` analyzer makes them (one per Han character, Latin words), for phrases."""
    return [m.group(0) for m in _STANDARD.finditer(fold(text))]


def contains_phrase(haystack: list[str], needle: list[str]) -> bool:
    if not needle:
        return False
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))
