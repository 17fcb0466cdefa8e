"""What each incremental revision of an agreement PDF adds, judged against what the signing flow itself does.

The flow draws the document up with one empty, invisible signature field per party (`declare_signature_fields`
in signing.py) and then adds exactly one revision per signature, filling the next party's field. Anything else
added after the first signature (a new field, even an empty one whose appearance draws over the page, a changed
page, a revision without a signature, a signature in the wrong field) is a modification, described here.
"""
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader

# How deep a form's field tree or a page tree may nest before the file is treated as hostile.
_MAX_DEPTH = 16
# The signing flow adds a revision per signature after the first; a file with many more is judged without reading
# each one (a hostile file could hold thousands).
MAX_LATER_REVISIONS = 8
_EOF = re.compile(rb"%%EOF[ \t]*(\r\n|\r|\n)?")


@dataclass(frozen=True)
class Change:
    """Something a revision added that the signing flow does not do (an English msgid and its params)."""

    revision: int  # counted from 1, as a reader would
    message: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Field:
    kind: str
    filled: bool
    visible_on: tuple[str, ...]  # pages (from 1; "?" when unknown) where a widget of the field has an area


def revision_prefixes(pdf: bytes) -> dict[str, int]:
    """sha256 of every earlier state of the file -> how many revisions it holds.

    An incremental update only appends, so each earlier version the portal stored is a prefix of a later one
    ending at one of its end-of-file markers."""
    prefixes: dict[str, int] = {}
    count = 0
    for count, match in enumerate(_EOF.finditer(pdf), 1):
        for end in {match.start() + len(b"%%EOF"), match.end()}:
            prefixes.setdefault(hashlib.sha256(pdf[:end]).hexdigest(), count)
    prefixes.setdefault(hashlib.sha256(pdf).hexdigest(), count)
    return prefixes


def _pages(resolver: HistoricalResolver) -> list[generic.Reference]:
    found: list[generic.Reference] = []
    seen: set = set()

    def walk(node_ref, depth: int) -> None:
        node = node_ref.get_object()
        if depth > _MAX_DEPTH or node_ref.reference in seen or not isinstance(node, generic.DictionaryObject):
            return
        seen.add(node_ref.reference)
        if node.get("/Type") == "/Pages":
            for kid in node.get("/Kids", ()):
                walk(kid, depth + 1)
        else:
            found.append(node_ref.reference)

    walk(resolver.root.raw_get("/Pages"), 0)
    return found


def _has_area(widget: generic.DictionaryObject) -> bool:
    try:
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    except (KeyError, TypeError, ValueError):
        return False
    return abs(x2 - x1) * abs(y2 - y1) > 0


def _widget_page(widget: generic.DictionaryObject, page_number: dict) -> str:
    return str(page_number.get(getattr(widget.raw_get("/P"), "reference", None), "?")) if "/P" in widget else "?"


def _fields(resolver: HistoricalResolver, pages: list[generic.Reference]) -> dict[str, _Field]:
    """Every form field of the revision by its full name."""
    page_number = {ref: n for n, ref in enumerate(pages, 1)}
    found: dict[str, _Field] = {}
    seen: set = set()

    def walk(items, parent: str, inherited_kind: str, depth: int) -> None:
        for item in items if depth <= _MAX_DEPTH else ():
            node, ref = item.get_object(), getattr(item, "reference", None)
            if ref in seen or not isinstance(node, generic.DictionaryObject) or "/T" not in node:
                continue  # seen already, or a bare widget that belongs to its parent field
            if ref is not None:
                seen.add(ref)
            name = f"{parent}.{node['/T']}" if parent else str(node["/T"])
            kind = str(node.get("/FT", inherited_kind))
            children = [kid.get_object() for kid in node.get("/Kids", ())]
            widgets = [node, *(kid for kid in children if "/T" not in kid)]
            visible_on = tuple(sorted({_widget_page(w, page_number) for w in widgets if _has_area(w)}))
            found[name] = _Field(kind, "/V" in node, visible_on)
            walk([kid for kid in node.get("/Kids", ()) if "/T" in kid.get_object()], name, kind, depth + 1)

    try:
        walk(resolver.root["/AcroForm"]["/Fields"], "", "", 0)
    except KeyError:
        pass
    return found


def _page_changed(resolver: HistoricalResolver, page_ref: generic.Reference, written: set) -> bool:
    page = resolver(page_ref)
    contents = page.raw_get("/Contents") if "/Contents" in page else None
    parts = contents if isinstance(contents, generic.ArrayObject) else [contents]
    return page_ref in written or any(getattr(part, "reference", None) in written for part in parts)


def _describe(revision: int, old: HistoricalResolver, new: HistoricalResolver, expected: str | None,
              ) -> Iterator[Change]:
    """The changes in `new` (compared with `old`) beyond filling the field `expected` with a signature."""
    number = revision + 1
    old_pages, new_pages = _pages(old), _pages(new)
    before, after = _fields(old, old_pages), _fields(new, new_pages)
    for name in before.keys() - after.keys():
        yield Change(number, "Revision %(revision)s removes the form field “%(field)s”.",
                     {"revision": number, "field": name})
    for name in sorted(after.keys() - before.keys()):
        added = after[name]
        if added.visible_on:
            yield Change(number, "Revision %(revision)s adds a form field “%(field)s” drawn on page %(page)s.",
                         {"revision": number, "field": name, "page": ", ".join(added.visible_on)})
        else:
            yield Change(number, "Revision %(revision)s adds a form field “%(field)s”.",
                         {"revision": number, "field": name})
    signed = [name for name, f in after.items() if f.filled and name in before and not before[name].filled]
    if not signed:
        yield Change(number, "Revision %(revision)s changes the document without adding a signature.",
                     {"revision": number})
    elif len(signed) > 1:
        yield Change(number, "Revision %(revision)s fills several signature fields at once.", {"revision": number})
    elif signed[0] != expected:
        yield Change(number, "Revision %(revision)s signs the field “%(field)s”; the next signature belongs in "
                             "“%(expected)s”.", {"revision": number, "field": signed[0], "expected": expected or "—"})
    if len(new_pages) != len(old_pages):
        yield Change(number, "Revision %(revision)s changes the number of pages from %(before)s to %(after)s.",
                     {"revision": number, "before": len(old_pages), "after": len(new_pages)})
    written = set(new.explicit_refs_in_revision())
    for n, page_ref in enumerate(new_pages[: len(old_pages)], 1):
        if _page_changed(new, page_ref, written):
            yield Change(number, "Revision %(revision)s changes page %(page)s.", {"revision": number, "page": n})


def _signed_fields(resolver: HistoricalResolver) -> list[str]:
    return [name for name, f in _fields(resolver, _pages(resolver)).items() if f.filled and f.kind == "/Sig"]


def unexpected_changes(reader: PdfFileReader, *, first_signed: int, field_order: Sequence[str]) -> list[Change]:
    """Everything from the revision the first signature covers (`first_signed`, from 0) on that the signing flow
    would not have made: that revision signs the first field of `field_order`, and each later one signs the next,
    in a field that was already there, and does nothing else."""
    total = reader.xrefs.total_revisions
    if total - first_signed > MAX_LATER_REVISIONS:  # far more than signing makes: not worth reading one by one
        return [Change(total, "The file has %(count)s revisions after the first signature; signing makes at most "
                              "%(max)s.", {"count": total - first_signed - 1, "max": MAX_LATER_REVISIONS - 1})]
    changes: list[Change] = []
    signed = _signed_fields(reader.get_historical_resolver(first_signed))
    if sorted(signed) != sorted(field_order[: len(signed)]):
        changes.append(Change(first_signed + 1, "Revision %(revision)s signs the field “%(field)s”; the next "
                              "signature belongs in “%(expected)s”.", {"revision": first_signed + 1,
                              "field": ", ".join(signed), "expected": ", ".join(field_order[: len(signed)])}))
    for revision in range(first_signed + 1, total):
        position = len(signed) + revision - first_signed - 1
        expected = field_order[position] if position < len(field_order) else None
        changes.extend(_describe(revision, reader.get_historical_resolver(revision - 1),
                                 reader.get_historical_resolver(revision), expected))
    return changes
