"""Every page of every role, in Chinese: no English message left untranslated, no raw code, no "None".

The demo is loaded once; each demo account (one per role) walks the portal from the page routes the app
declares, following the links and HTMX GETs it finds (tests/ux/crawl.py). Two nets catch English:
- every message looked up in the zh_CN catalogue and not found there (the catalogue is watched, not replaced);
- the text a reader sees or hears: runs of English words that are not the users' own data, snake_case codes
  (minimum_subsistence, seeking_work) and the word None.
Times shown raw (a UTC moment printed as Python or JSON writes it, "UTC") are caught too: every time a user reads is
on Tianjin's clock, to the minute (|local).
"""
import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel

from portal import i18n
from tests.conftest import sign_in
from tests.ux.crawl import crawl, page_routes, readable_text

ZH = {"Accept-Language": "zh-CN"}
_LATIN = re.compile(r"[A-Za-z]{2}")
_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’]+(?:[ ,-]+[A-Za-z][A-Za-z'’]*)+")
# Prose has lower-case words; runs of capitalised ones are names (Python, SQL, OpenID Connect).
_PROSE_WORD = re.compile(r"\b[a-z]{2,}\b")
_RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
_RAW_TIME = re.compile(r"\bUTC\b|\+00:00|\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")


class _WatchedCatalogue(dict):
    """The real zh_CN catalogue, noting every English message looked up in it and not found."""

    def __init__(self, real: dict, misses: set):
        super().__init__(real)
        self.misses = misses

    def get(self, key, default=None):
        if key not in self and "\x04" not in key and _LATIN.search(key):
            self.misses.add(key)
        return super().get(key, default)


def _stored_text(engine) -> str:
    """Everything users and the demo typed, so English that is data (a skill, a company's name) is not flagged."""
    values = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(sa_select(table)):
                values += [json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v)
                           for v in row if isinstance(v, (str, dict, list))]
    return "\n".join(values)


def _english_on_page(html: str, stored: str) -> set[str]:
    found = set()
    for chunk in readable_text(html):
        if chunk == "None":
            found.add("None")
        for code in _RAW_CODE.findall(chunk):
            found.add(code)
        for moment in _RAW_TIME.findall(chunk):
            found.add(f"raw time {moment}")
        for run in _ENGLISH_RUN.findall(chunk):
            run = run.strip(" ,-")
            if _PROSE_WORD.search(run) and run not in stored:
                found.add(run)
    return found


@pytest.fixture(scope="module")
def walks(demo_portal):
    """(role, email) -> (crawl, {url: untranslated messages and English seen})."""
    app, engine, logins = demo_portal.app, demo_portal.engine, demo_portal.logins
    routes = page_routes(app)
    misses: set[str] = set()
    watched = _WatchedCatalogue(i18n.catalogue("zh_CN"), misses)
    real_catalogue = i18n.catalogue
    i18n.catalogue = lambda locale: watched if locale == "zh_CN" else real_catalogue(locale)
    try:
        results = {}
        for role, email, password in [("anonymous", None, None), *logins]:
            with TestClient(app) as client:
                if email:
                    sign_in(client, email, password)
                findings: dict[str, set[str]] = {}

                def fetch(url, **kwargs):
                    misses.clear()
                    response = client.get(url, **kwargs)
                    if misses:
                        findings.setdefault(url, set()).update(f"untranslated: {m}" for m in misses)
                    return response

                walk = crawl(_Fetching(fetch), routes, headers=ZH)
                results[(role, email)] = (walk, findings)
        stored = _stored_text(engine)
        for walk, findings in results.values():
            for visit in walk.visits:
                english = _english_on_page(visit.html, stored)
                if english:
                    findings.setdefault(visit.url, set()).update(f"shown: {e}" for e in english)
        yield routes, results
    finally:
        i18n.catalogue = real_catalogue


class _Fetching:
    """A client whose GETs go through `fetch` (which notes the messages each page looked up in vain)."""

    def __init__(self, fetch):
        self.get = fetch


def test_every_page_of_every_role_is_in_chinese(walks):
    _, results = walks
    problems = [f"{role} {url}: {finding}"
                for (role, _), (_, findings) in results.items() for url, found in sorted(findings.items())
                for finding in sorted(found)]
    assert not problems, "English or raw codes on Chinese pages:\n" + "\n".join(problems)


def test_no_page_fails(walks):
    _, results = walks
    failures = [f"{role} {v.url}: {v.status}" for (role, _), (walk, _) in results.items()
                for v in walk.visits if v.status >= 500]
    assert not failures, "\n".join(failures)


# Files, not pages: nothing in them to translate.
DOWNLOADS = re.compile(r"(\.(pdf|xlsx|csv|svg|png|ics)|/pdf|/attachments/\{\w+\}|/documents/\{\w+\})$")
# Pages no link in the demo leads to, and why.
NOT_LINKED = {
    "/signup/confirm/{token}": "reached from the sign-up email only",
    "/employer/fairs/{fair_id}/chats/{graduate_id}": "the demo's online fair has no chat yet",
    "/invitation/{token}": "reached from an invitation email only",
    "/archive/certificates/check/{service_id}/{code}": "reached from the address printed on a custody certificate",
    # Career guidance (issue 13) has no demo data yet: its appointment pages wait for it.
    "/guidance/adviser/appointments/{appointment_id}": "no demo appointment yet",
    "/guidance/appointments/{appointment_id}/room": "no demo appointment yet",
    "/guidance/slots/{slot_id}": "no demo slot yet",
    "/me/guidance/{appointment_id}": "no demo appointment yet",
}


def test_every_page_route_is_walked(walks):
    """A page the demo never links to escapes the sweep: give it demo data or a link (or say here why not)."""
    routes, results = walks
    walked = {v.route for walk, _ in results.values() for v in walk.visits if v.status < 400}
    missing = sorted(r.path for r in routes
                     if r.path not in walked and not DOWNLOADS.search(r.path) and r.path not in NOT_LINKED)
    assert not missing, "pages no demo account reaches with a 2xx/3xx answer: " + ", ".join(missing)
