"""The main pages of every role, in Debian's chromium on a desktop and on a 390x844 phone:
axe-core (vendored under tests/vendor/axe-core) finds no serious or critical WCAG 2.1 A/AA violation, phones never
scroll sideways (neither the page nor a box inside it) and keep a one-row header, and each page's phone screenshot is
written to SCREENSHOTS_DIR."""
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portal.accounts.service import get_user_by_email
from portal.agreements.models import Agreement, AgreementStatus
from portal.applications.models import Application
from portal.archives.demo import ARCHIVIST_EMAIL, KEPT_EMAIL
from portal.competitions.demo import JUDGE_EMAILS
from portal.demo import ADMIN_EMAIL, EMPLOYER_EMAIL, GRADUATE_EMAIL, OFFICER_EMAIL
from portal.employers.models import Recruiter
from portal.guidance.demo import COUNSELLOR_EMAIL
from portal.ledger.demo import SUPPORTED_GRADUATE_EMAIL
from portal.ledger.models import LedgerCase
from portal.positions.models import Position
from portal.training.demo import PROVIDER_EMAIL
from tests.browser.pages import DESKTOP, PHONE

pytestmark = pytest.mark.browser

AXE = Path(__file__).parents[1] / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS_DIR = Path(__file__).parents[2] / ".cache" / "screenshots"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# A one-row header with the menu button; the nav wrapped to 131-205 px of an 844 px screen before.
PHONE_HEADER_MAX_PX = 72
# Boxes inside the page that scroll sideways on a phone (a table in a scroll box hid 确认 / 退回 off to the right).
_SIDEWAYS_BOXES = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.offsetParent !== null && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
               && e.scrollWidth > e.clientWidth + 1)
  .map(e => `${e.tagName.toLowerCase()}.${e.className} ${e.scrollWidth}px in ${e.clientWidth}px`)"""
# Native boxes the styles missed (the destination pages' year input): too small to tap on a phone.
_SMALL_CONTROLS = """() => [...document.querySelectorAll('main input, main select')]
  .filter(e => e.offsetParent !== null && !['checkbox', 'radio', 'hidden', 'file', 'range', 'color'].includes(e.type)
               && e.getBoundingClientRect().height < 32)
  .map(e => `${e.tagName.toLowerCase()}[name=${e.name}] ${Math.round(e.getBoundingClientRect().height)}px high`)"""
# Statements dressed as controls (the matcher's reasons were pointer chips): a pointer promises a click.
_FAKE_CONTROLS = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.offsetParent !== null && getComputedStyle(e).cursor === 'pointer'
               && !e.closest('a[href], button, label, summary, input, select, textarea, [role=button], [tabindex]'))
  .map(e => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 20)}"`)"""
_HTMX_BUSY = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


@dataclass(frozen=True)
class LinkedFrom:
    """The first link on the page checked just before whose address matches: a demo object's page, found the way a
    user finds it."""
    pattern: str


def _new_domain_pages() -> dict[str, list[tuple[str, str | LinkedFrom]]]:
    """Fairs and other events, presentations, interviews, notices, guidance, personnel files, competitions, enrolment
    and privacy: each list page followed by an object of it."""
    return {
        GRADUATE_EMAIL: [("fairs", "/fairs"), ("fair", LinkedFrom(r"/fairs/\d+$")),
                         ("fair-ticket", LinkedFrom(r"/fairs/\d+/ticket$")), ("presentations", "/presentations"),
                         ("presentation", LinkedFrom(r"/presentations/\d+$")), ("interviews", "/interviews"),
                         ("interview", LinkedFrom(r"/interviews/\d+$")), ("notices", "/notices"),
                         ("notice", LinkedFrom(r"/notices/\d+$")), ("guidance", "/guidance"),
                         ("my-guidance", "/me/guidance"), ("guidance-appointment", LinkedFrom(r"/me/guidance/\d+$")),
                         ("my-enrolment", "/me/enrolment"), ("competitions", "/competitions"),
                         ("competition", LinkedFrom(r"/competitions/\d+$")), ("my-competitions", "/me/competitions"),
                         ("competition-entry", LinkedFrom(r"/competitions/entries/\d+$")),
                         ("privacy-notice", "/privacy"), ("my-privacy", "/me/privacy")],
        EMPLOYER_EMAIL: [("employer-presentations", "/employer/presentations"), ("employer-fairs", "/fairs"),
                         ("employer-fair", LinkedFrom(r"/fairs/\d+$")),
                         ("employer-fair-chats", LinkedFrom(r"/employer/fairs/\d+/chats$")),
                         ("employer-interviews", "/interviews"),
                         ("employer-interview", LinkedFrom(r"/interviews/\d+$"))],
        OFFICER_EMAIL: [("officer-fairs", "/officer/fairs"), ("officer-fair", LinkedFrom(r"/officer/fairs/\d+$")),
                        ("fair-check-in", LinkedFrom(r"/officer/fairs/\d+/check-in$")),
                        ("officer-presentations", "/officer/presentations"), ("notice-new", "/officer/notices/new"),
                        ("officer-enrolment", "/officer/enrolment"), ("officer-competitions", "/officer/competitions"),
                        ("officer-competition", LinkedFrom(r"/officer/competitions/\d+$")),
                        ("counsellors", "/officer/guidance/counsellors"), ("agencies", "/officer/agencies"),
                        ("ledger-categories", "/officer/ledger/categories"), ("ledger-enrol", "/officer/ledger/enrol"),
                        ("ledger-import", "/officer/ledger/import"), ("subsidy-claims", "/officer/subsidies"),
                        ("subsidy-claim", LinkedFrom(r"/officer/subsidies/\d+$"))],
        COUNSELLOR_EMAIL: [("adviser", "/guidance/adviser"),
                           ("adviser-appointment", LinkedFrom(r"/guidance/adviser/appointments/\d+$"))],
        ARCHIVIST_EMAIL: [("agency", "/agency"), ("agency-file", LinkedFrom(r"/agency/files/\d+$"))],
        KEPT_EMAIL: [("my-archive", "/me/archive")],
        JUDGE_EMAILS[0]: [("judging", "/judging"), ("judging-entry", LinkedFrom(r"/judging/entries/\d+$"))],
    }


def _main_pages(demo_portal) -> dict[str, list[tuple[str, str | LinkedFrom]]]:
    """email -> [(name, url)]: what each role opens most, then the pages of the newer domains."""
    with demo_portal.session() as session:
        employer = get_user_by_email(session, EMPLOYER_EMAIL)
        organization_id = session.get(Recruiter, employer.id).organization_id
        position_id = session.exec(
            select(Position.id).join(Application, Application.position_id == Position.id)
            .where(Position.organization_id == organization_id).order_by(Position.id)
        ).first()
        supported = get_user_by_email(session, SUPPORTED_GRADUATE_EMAIL)
        case_id = session.exec(select(LedgerCase.id).where(LedgerCase.graduate_id == supported.id)).one()
        agreement_id = session.exec(select(Agreement.id).where(Agreement.status == AgreementStatus.signed)).first()
    pages = {
        "": [("landing", "/"), ("login", "/login"), ("signup-graduate", "/signup/graduate"), ("jobs", "/jobs"),
             ("verify", "/verify"), ("training", "/training"), ("traineeship-bases", "/traineeships")],
        GRADUATE_EMAIL: [("graduate-home", "/me"), ("resume", "/me/resume"), ("recommendations", "/recommendations"),
                         ("my-applications", "/me/applications"), ("my-destination", "/me/destination"),
                         ("my-transfers", "/me/transfers"), ("notifications", "/notifications"),
                         ("my-invitations", "/me/invitations"), ("my-training", "/me/training")],
        PROVIDER_EMAIL: [("provider-home", "/provider"), ("programme-new", "/training/manage/new")],
        SUPPORTED_GRADUATE_EMAIL: [("my-support", "/me/support"), ("my-subsidies", "/me/subsidies")],
        EMPLOYER_EMAIL: [("employer-home", "/employer"), ("employer-positions", "/employer/positions"),
                         ("applicants", f"/employer/positions/{position_id}/applicants"),
                         ("candidates", f"/employer/positions/{position_id}/candidates"),
                         ("agreements", "/agreements")],
        OFFICER_EMAIL: [("officer-home", "/officer"), ("officer-organizations", "/officer/organizations"),
                        ("position-review", "/officer/positions"), ("officer-destinations", "/officer/destinations"),
                        ("destination-stats", "/officer/destinations/stats"), ("officer-transfers", "/officer/transfers"),
                        ("follow-up", "/officer/follow-up"), ("ledger", "/officer/ledger"),
                        ("ledger-case", f"/officer/ledger/cases/{case_id}"), ("ledger-dashboard", "/officer/ledger/dashboard"),
                        ("agreement", f"/agreements/{agreement_id}"), ("trends", "/officer/trends"),
                        ("officer-training", "/officer/training"), ("training-providers", "/officer/training/providers"),
                        ("traineeship-batches", "/officer/traineeships"),
                        ("traineeship-placements", "/officer/traineeships/placements")],
        ADMIN_EMAIL: [("admin-home", "/officer"), ("staff", "/admin/staff"), ("staff-new", "/admin/staff/new")],
    }
    for email, more in _new_domain_pages().items():
        pages.setdefault(email, []).extend(more)
    return pages


def _linked_url(page, address: LinkedFrom) -> str:
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    url = next((href for href in hrefs if re.match(address.pattern, href)), None)
    assert url, f"no link matching {address.pattern} on {page.url}"
    return url


def _phone_layout_problems(page) -> list[str]:
    problems = [f"a box scrolls sideways: {box}" for box in page.evaluate(_SIDEWAYS_BOXES)]
    problems += [f"a control too small to tap: {control}" for control in page.evaluate(_SMALL_CONTROLS)]
    problems += [f"looks clickable but is not: {element}" for element in page.evaluate(_FAKE_CONTROLS)]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["viewport"]["width"]:
        problems.append(f"scrolls sideways, {width}px wide")
    header = page.locator("header.topbar").bounding_box()["height"]
    if header > PHONE_HEADER_MAX_PX:
        problems.append(f"the header takes {header:.0f}px")
    return problems


def _serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("device_name", ["desktop", "phone"])
def test_main_pages_pass_axe(open_page, demo_portal, device_name):
    device = PHONE if device_name == "phone" else DESKTOP
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    problems = []
    for email, pages in _main_pages(demo_portal).items():
        page = open_page(device, email)
        for name, address in pages:
            url = _linked_url(page, address) if isinstance(address, LinkedFrom) else address
            response = page.goto(url)
            assert response.status == 200, f"{url}: {response.status}"
            page.wait_for_function(_HTMX_BUSY)
            problems += [f"{name} ({device_name}) {url}: {v}" for v in _serious_violations(page)]
            if device_name == "phone":
                page.screenshot(path=str(SCREENSHOTS_DIR / f"phone-{name}.png"), full_page=True)
                problems += [f"{name} (phone) {url}: {p}" for p in _phone_layout_problems(page)]
        page.context.close()
    print(f"phone screenshots in {SCREENSHOTS_DIR}")
    assert not problems, "\n".join(problems)


def test_phone_menu_button_opens_and_closes_the_navigation(open_page):
    page = open_page(PHONE, OFFICER_EMAIL)
    page.goto("/officer")
    nav_link = page.locator("#site-nav a[href='/officer/destinations']")
    expect(nav_link).to_be_hidden()
    menu = page.get_by_role("button", name="菜单")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(nav_link).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=str(SCREENSHOTS_DIR / "phone-menu-open.png"))
    page.keyboard.press("Escape")
    expect(nav_link).to_be_hidden()
    expect(menu).to_be_focused()
    page.context.close()


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(open_page):
    page = open_page(DESKTOP, GRADUATE_EMAIL)
    page.goto("/me")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("element => getComputedStyle(element).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2, f"focus ring {outline}"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.context.close()


def test_row_actions_stay_on_a_phone_screen(open_page, demo_portal):
    """The destinations check (the note, 确认 / 退回) and the support plan's status change were off-screen inside tables
    scrolling sideways; as cards, every control is within the 390 px."""
    with demo_portal.session() as session:
        supported = get_user_by_email(session, SUPPORTED_GRADUATE_EMAIL)
        case_id = session.exec(select(LedgerCase.id).where(LedgerCase.graduate_id == supported.id)).one()
    page = open_page(PHONE, OFFICER_EMAIL)
    page.goto("/officer/destinations")
    row = page.locator("tr[id^=destination-]", has=page.locator("form[action$='/review']")).first
    for control in (row.get_by_label(re.compile("备注")), row.get_by_role("button", name="确认"),
                    row.get_by_role("button", name="退回")):
        _assert_on_screen(control)
    page.goto(f"/officer/ledger/cases/{case_id}")
    _assert_on_screen(page.locator("#plan select[name=status]").first)
    page.context.close()


def _assert_on_screen(control) -> None:
    control.scroll_into_view_if_needed()
    box = control.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["viewport"]["width"], box
