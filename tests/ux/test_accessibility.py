"""The main pages of every role, in Debian's chromium on a desktop and on a 390x844 phone:
axe-core (vendored under tests/vendor/axe-core) finds no serious or critical WCAG 2.1 A/AA violation, phones never
scroll sideways and keep a one-row header, and each page's phone screenshot is written to SCREENSHOTS_DIR."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portal.accounts.service import get_user_by_email
from portal.agreements.models import Agreement, AgreementStatus
from portal.applications.models import Application
from portal.demo import ADMIN_EMAIL, EMPLOYER_EMAIL, GRADUATE_EMAIL, OFFICER_EMAIL
from portal.employers.models import Recruiter
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


def _main_pages(demo_portal) -> dict[str, list[tuple[str, str]]]:
    """email -> [(name, url)]: what each role opens most."""
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
    return {
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
                        ("subsidy-claims", "/officer/subsidies"), ("traineeship-batches", "/officer/traineeships"),
                        ("traineeship-placements", "/officer/traineeships/placements")],
        ADMIN_EMAIL: [("admin-home", "/officer"), ("staff", "/admin/staff"), ("staff-new", "/admin/staff/new")],
    }


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
        for name, url in pages:
            response = page.goto(url)
            assert response.status == 200, f"{url}: {response.status}"
            page.wait_for_load_state("networkidle")
            problems += [f"{name} ({device_name}) {url}: {v}" for v in _serious_violations(page)]
            if device_name == "phone":
                page.screenshot(path=str(SCREENSHOTS_DIR / f"phone-{name}.png"), full_page=True)
                width = page.evaluate("document.documentElement.scrollWidth")
                header = page.locator("header.topbar").bounding_box()["height"]
                if width > PHONE["viewport"]["width"]:
                    problems.append(f"{name} (phone) {url}: scrolls sideways, {width}px wide")
                if header > PHONE_HEADER_MAX_PX:
                    problems.append(f"{name} (phone) {url}: the header takes {header:.0f}px")
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
