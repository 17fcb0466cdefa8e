"""In a real browser: an employer signs up, an officer verifies it, the employer posts, the officer approves
from the queue (HTMX), and a graduate applies from the position page."""
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.clock import today
from portal.employers.models import Organization
from portal.positions.models import Position
from tests.browser.pages import PHONE, new_page, signed_in_page
from tests.factories import PASSWORD, make_graduate, make_officer, make_resume

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_employer_to_published_position_to_application(session, live_server, chromium):
    officer = make_officer(session, city_wide=True)
    graduate = make_graduate(session)
    make_resume(session, graduate)

    # The employer signs up from the landing page; a mistyped code is caught first.
    page = new_page(chromium, live_server, PHONE)
    page.goto(live_server)
    page.click("a[href='/signup/employer']")
    page.fill("input[name=name]", "天津海河智造科技有限公司")
    page.fill("input[name=uscc]", "91440300708461136U")
    page.select_option("select[name=industry]", "manufacturing")
    page.select_option("select[name=size]", "50-199")
    page.select_option("select[name=district]", "西青区")
    page.fill("input[name=contact_name]", "马经理")
    page.fill("input[name=contact_phone]", "022-27391234")
    page.fill("input[name=email]", "hr@haihe.example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/signup/employer'] button[type=submit]")
    assert "校验码不符" in page.content()
    page.fill("input[name=uscc]", "91440300708461136T")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/signup/employer'] button[type=submit]")
    page.wait_for_url("**/employer?welcome=1")
    assert "待认证" in page.content()

    # The officer verifies it from the pending list, in place.
    officer_page = signed_in_page(chromium, live_server, officer.email, PHONE)
    officer_page.goto(f"{live_server}/officer/organizations")
    card = officer_page.locator("li.org-card", has_text="天津海河智造科技有限公司")
    card.locator("button", has_text="通过认证").click()
    officer_page.locator("li.org-card .badge.status-verified").wait_for()
    organization = session.exec(select(Organization)).one()
    session.refresh(organization)
    assert organization.status == "verified"

    # The employer posts a position and submits it.
    page.goto(f"{live_server}/employer/positions/new")
    page.fill("input[name=title]", "数控工艺见习生")
    page.select_option("select[name=kind]", "traineeship")
    page.fill("textarea[name=description]", "在师傅带领下学习数控编程与工艺文件编写，见习期六个月，提供补贴与宿舍。")
    page.select_option("select[name=district]", "西青区")
    page.select_option("select[name=degree_required]", "associate")
    page.fill("input[name=headcount]", "3")
    page.fill("input[name=skills]", "CAD、数控编程")
    page.fill("input[name=salary_min]", "3500")
    page.fill("input[name=salary_max]", "4500")
    page.fill("input[name=deadline]", (today() + timedelta(days=30)).isoformat())
    page.click("button[name=action][value=submit]")
    page.wait_for_url("**/jobs/*?notice=submitted")
    position = session.exec(select(Position)).one()

    # The officer approves it from the review queue.
    officer_page.goto(f"{live_server}/officer/positions")
    row = officer_page.locator(f"#review-{position.id}")
    row.locator("button", has_text="通过").first.click()
    officer_page.locator(f"#review-{position.id} .badge.status-published").wait_for()

    # A graduate opens it and applies.
    graduate_page = signed_in_page(chromium, live_server, graduate.email, PHONE)
    graduate_page.goto(f"{live_server}/jobs/{position.id}")
    assert "认证单位" in graduate_page.content() and "数控编程" in graduate_page.content()
    graduate_page.fill("textarea[name=cover_note]", "我有数控实训经历，可随时到岗。")
    graduate_page.click("#apply button[type=submit]")
    graduate_page.wait_for_load_state()
    graduate_page.goto(f"{live_server}/jobs/{position.id}")
    assert "您已于" in graduate_page.content()

    # The employer's home counts the new applicant.
    page.goto(f"{live_server}/employer")
    assert "1 份投递" in page.content()
