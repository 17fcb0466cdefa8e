"""The support-ledger journey in Debian's chromium, against the portal under uvicorn.

Arranged in Python: a verified employer with four open positions that suit a priority graduate, an officer whose
scope covers the graduate's school, the graduate with a resume, enrolled in the ledger (automatic offers off, so a
top-up only proposes). Then in the browser: the officer tops up from /officer and confirms proposals one click at a
time (HTMX, in place) until the case holds three and leaves the shortfall list; the graduate, on a phone, sees the
three positions with their reasons on /me/support and applies with one click, never seeing a category; the employer
finds the applicant on the position's applicants page with no ledger or category wording.
"""
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portal.ledger import service as ledger
from portal.ledger.models import DEFAULT_CATEGORIES, LedgerOffer, OfferStatus
from tests.browser.pages import DESKTOP, PHONE, SCREENSHOTS, new_page, sign_in
from tests.factories import make_employer, make_graduate, make_officer, make_position, make_resume

# A browser journey, on the database production runs: the rules it crosses are tested on both in their services.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["postgres"], indirect=True)]

# Every way a category could leak: codes, Chinese and English labels, and the usual words behind them.
CATEGORY_WORDS = (
    *(code for code, *_ in DEFAULT_CATEGORIES),
    *(zh for _, zh, *_ in DEFAULT_CATEGORIES),
    *(en for _, _, en, *_ in DEFAULT_CATEGORIES),
    "低保", "贫困", "脱贫", "残疾", "零就业", "minimum", "poverty", "disabilit",
)
LEDGER_WORDS = ("台账", "帮扶", "ledger", "Ledger", "推荐给你", "support service")


def _assert_no_words(page, words, where):
    text = page.locator("body").inner_text()
    html = page.content()
    for word in words:
        assert word.lower() not in text.lower(), f"{where} shows {word!r}"
        assert word.lower() not in html.lower(), f"{where} carries {word!r} in its HTML"


def test_ledger_top_up_confirm_apply_journey(chromium, live_server, session, settings):
    assert settings.ledger_auto_offers is False  # the default: a top-up only proposes
    org, recruiter = make_employer(session, name="天津津英软件有限公司")
    positions = [make_position(session, org, title=f"后端开发工程师（应届）{i}", district="滨海新区",
                               majors=["计算机科学与技术", "软件工程"], skills=["Python", "SQL", "Linux"])
                 for i in range(1, 5)]
    officer = make_officer(session, schools=["南开大学"])
    graduate = make_graduate(session, display_name="李同学", school="南开大学", major="计算机科学与技术")
    make_resume(session, graduate, skills=["Python", "SQL", "Git"], expected_districts=["滨海新区"])
    case = ledger.enrol(session, officer=officer, graduate_id=graduate.id, categories=["minimum_subsistence"],
                        evidence="低保证（民政局 2026 年核发）复印件", consent_given=True, consent_note="本人签字同意书")
    title_of = {p.id: p.title for p in positions}

    # 1. The officer sees the case on the shortfall list, tops up, and confirms proposals in place.
    desk = new_page(chromium, live_server, DESKTOP)
    sign_in(desk, officer.email)
    desk.goto("/officer")
    shortfall = desk.locator("#shortfall")
    row = desk.locator(f"#shortfall-case-{case.id}")
    expect(row).to_be_visible()
    expect(row.get_by_role("link", name="李同学")).to_be_visible()
    expect(row.locator(".badge")).to_have_text("已持有 0/3")
    desk.evaluate("window.__samePage = true")  # survives only if the page is never reloaded

    shortfall.locator("form[action='/officer/ledger/top-up'] button[type=submit]").click()
    expect(desk.locator("#topup-result")).to_be_visible()
    confirm = row.locator("button[hx-post$='/confirm']")
    expect(confirm).to_have_count(3)
    proposed = row.locator("a[href^='/jobs/']")
    expect(proposed).to_have_count(3)
    for i in range(3):
        assert proposed.nth(i).inner_text() in title_of.values()
    for held in range(1, 3):
        confirm.first.click()
        expect(row.locator(".badge").first).to_have_text(f"已持有 {held}/3")
        expect(confirm).to_have_count(3 - held)
    confirm.first.click()
    expect(row).to_have_count(0)
    expect(shortfall.locator(".alert.success")).to_be_visible()
    assert desk.evaluate("window.__samePage === true"), "the shortfall list reloaded the page instead of swapping"
    assert desk.url.endswith("/officer")
    desk.screenshot(path=SCREENSHOTS.format(name="ledger-officer"), full_page=True)
    session.expire_all()
    offers = session.exec(select(LedgerOffer).where(LedgerOffer.case_id == case.id)).all()
    assert sorted(o.status for o in offers) == [OfferStatus.offered] * 3
    assert {o.position_id for o in offers} <= set(title_of)

    # 2. The graduate, on a phone, sees three positions with their reasons and applies to one with one click.
    phone = new_page(chromium, live_server, PHONE)
    sign_in(phone, graduate.email)
    phone.goto("/me/support")
    cards = phone.locator("#offers article[id^=offer-]")
    expect(cards).to_have_count(3)
    for i in range(3):
        card = cards.nth(i)
        assert card.locator("h3 a").inner_text() in title_of.values()
        expect(card.get_by_text("天津津英软件有限公司")).to_be_visible()
        expect(card.locator(".tag.match", has_text="Python")).to_be_visible()  # "Matching skills: Python"
        expect(card.locator(".reason.strong").first).to_be_visible()
        expect(card.locator("form[action$='/apply'] button[type=submit]")).to_be_visible()
    _assert_no_words(phone, CATEGORY_WORDS, "/me/support")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"/me/support scrolls sideways on a phone ({width}px wide)"

    first = cards.first
    card_id = first.get_attribute("id")
    applied_title = first.locator("h3 a").inner_text()
    applied_position = next(pid for pid, title in title_of.items() if title == applied_title)
    phone.evaluate("window.__samePage = true")
    first.locator("form[action$='/apply'] button[type=submit]").click()
    applied = phone.locator(f"#{card_id}")
    expect(applied.locator(".badge.status-received")).to_be_visible()
    expect(applied.locator("a[href^='/me/applications/']")).to_be_visible()
    expect(applied.locator("form[action$='/apply']")).to_have_count(0)
    expect(phone.locator("#offers form[action$='/apply']")).to_have_count(2)  # the other two still offer it
    assert phone.evaluate("window.__samePage === true"), "applying reloaded the page instead of swapping"
    _assert_no_words(phone, CATEGORY_WORDS, "/me/support after applying")
    phone.screenshot(path=SCREENSHOTS.format(name="ledger-graduate-phone"), full_page=True)
    phone.reload()
    expect(phone.locator(f"#{card_id} .badge.status-received")).to_be_visible()

    # 3. The employer sees an ordinary applicant: no ledger, no category.
    employer = new_page(chromium, live_server, DESKTOP)
    sign_in(employer, recruiter.email)
    employer.goto(f"/employer/positions/{applied_position}/applicants")
    expect(employer.get_by_role("heading", level=1)).to_contain_text(applied_title)
    expect(employer.get_by_role("link", name="李同学")).to_be_visible()
    expect(employer.locator("#applicants tbody tr")).to_have_count(1)
    _assert_no_words(employer, CATEGORY_WORDS + LEDGER_WORDS, "the applicants page")
    employer.get_by_role("link", name="李同学").click()
    employer.wait_for_load_state()
    expect(employer.get_by_text("李同学").first).to_be_visible()
    _assert_no_words(employer, CATEGORY_WORDS + LEDGER_WORDS, "the application page")

    for page in (desk, phone, employer):
        assert page.js_errors == [], page.js_errors
