"""The whole first journey in Debian's chromium, against the portal under uvicorn.

Employer signs up → officer verifies it → employer posts a position → officer approves it → graduate
signs up on a phone, fills the resume, finds the position on /jobs and applies → employer shortlists →
the graduate's home page shows "shortlisted". Screenshots of key pages go to /tmp/jinying-journey-*.png.
"""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.clock import today
from tests.browser.pages import DESKTOP, PHONE, SCREENSHOTS, new_page, sign_in
from tests.factories import make_officer, organization_signup_data

# A browser journey, on the database production runs: the rules it crosses are tested on both in their services.
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["postgres"], indirect=True)]


def test_employer_officer_graduate_journey(chromium, live_server, session, database):
    officer = make_officer(session, city_wide=True)
    org = organization_signup_data()
    title = f"Python 后端开发（应届）{org['uscc'][-4:]}"

    # 1. The employer signs up its organisation.
    employer = new_page(chromium, live_server, DESKTOP)
    employer.goto("/signup/employer")
    form = employer.locator("form[action='/signup/employer']")
    for name in ("name", "uscc", "address", "contact_name", "contact_phone", "email", "password"):
        form.locator(f"[name={name}]").fill(org[name])
    form.locator("select[name=industry]").select_option(org["industry"])
    form.locator("select[name=size]").select_option(org["size"])
    form.locator("select[name=district]").select_option(org["district"])
    form.locator("button[type=submit]").click()
    employer.wait_for_url("**/employer?welcome=1")

    # 2. An officer verifies it.
    desk = new_page(chromium, live_server, DESKTOP)
    sign_in(desk, officer.email)
    desk.goto("/officer/organizations?status=pending")
    card = desk.locator(".card", has=desk.get_by_role("link", name=org["name"])).first
    card.locator("form[action$='/verify'] button").click()
    expect(desk.locator(".card", has=desk.get_by_role("link", name=org["name"])).first
           .locator(".badge.status-verified")).to_be_visible()

    # 3. The employer posts a position and submits it for review.
    employer.goto("/employer/positions/new")
    form = employer.locator("form[action='/employer/positions']")
    form.locator("[name=title]").fill(title)
    form.locator("select[name=kind]").select_option("full_time")
    form.locator("[name=description]").fill("负责后端服务开发，导师带教，双休，五险一金。")
    form.locator("select[name=district]").select_option("滨海新区")
    form.locator("[name=address]").fill("天津市滨海新区新港二号路 1 号")
    form.locator("select[name=degree_required]").select_option("bachelor")
    form.locator("[name=headcount]").fill("3")
    form.locator("[name=majors]").fill("软件工程、计算机科学与技术")
    form.locator("[name=skills]").fill("Python, SQL")
    form.locator("[name=salary_min]").fill("8000")
    form.locator("[name=salary_max]").fill("12000")
    form.locator("[name=deadline]").fill((today() + timedelta(days=30)).isoformat())
    form.locator("button[name=action][value=submit]").click()
    employer.wait_for_load_state()
    expect(employer.locator(".badge.status-pending_review").first).to_be_visible()

    # 4. The officer approves it.
    desk.goto("/officer/positions")
    row = desk.locator("[id^=review-]", has_text=title).first
    row.locator("form[action$='/approve'] button").click()
    expect(desk.locator("[id^=review-]", has_text=title).first.locator("form[action$='/approve']")).to_have_count(0)

    # 5. A graduate signs up on a phone and fills in the resume.
    phone = new_page(chromium, live_server, PHONE)
    phone.goto("/signup/graduate")
    form = phone.locator("form[action='/signup/graduate']")
    form.locator("[name=display_name]").fill("张小明")
    form.locator("[name=email]").fill("zhang.xiaoming@example.edu.cn")
    form.locator("[name=password]").fill("a-long-password-1")
    form.locator("[name=school]").fill("天津大学")
    form.locator("[name=student_number]").fill("2022012345")
    form.locator("[name=major]").fill("软件工程")
    form.locator("select[name=degree]").select_option("bachelor")
    form.locator("[name=graduation_year]").fill(str(today().year))
    form.locator("button[type=submit]").click()
    phone.wait_for_url("**/me/resume")
    resume = phone.locator("form[action='/me/resume']")
    resume.locator("[name=headline]").fill("后端开发，2026 届")
    resume.locator("[name=skills]").fill("Python, SQL, Linux")
    resume.locator("input[name='expected_kinds[]'][value=full_time]").check()
    resume.locator("input[name='expected_districts[]'][value='滨海新区']").check()
    resume.locator("[name=self_intro]").fill("热爱编程，做过两个 Web 项目。")
    resume.locator("button[type=submit]").click()
    expect(phone.locator("#resume-card .alert.success")).to_be_visible()

    # 6. ... finds the position on /jobs and applies.
    phone.goto("/jobs")
    phone.fill("#q", "Python 后端")
    phone.locator("#job-search").evaluate("form => form.requestSubmit()")
    result = phone.get_by_role("link", name=title)
    expect(result).to_be_visible()
    phone.screenshot(path=SCREENSHOTS.format(name="jobs-phone"), full_page=True)
    result.click()
    phone.wait_for_url("**/jobs/*")
    phone.locator("form[action='/applications'] textarea[name=cover_note]").fill("可随时到岗。")
    phone.locator("form[action='/applications'] button[type=submit]").click()
    phone.wait_for_load_state()
    phone.goto(phone.url if "/jobs/" in phone.url else "/me/applications")
    expect(phone.get_by_text(title).first).to_be_visible()

    # 7. The employer opens the applicant and shortlists them.
    employer.goto("/employer/positions")
    employer.get_by_role("link", name=title).first.click()
    employer.locator("a[href$='/applicants']").first.click()
    employer.get_by_role("link", name="张小明").click()
    employer.locator("form[action$='/stage'] button[name=status][value=shortlisted]").click()
    expect(employer.locator("#stage-card .badge.status-shortlisted").first).to_be_visible()
    employer.screenshot(path=SCREENSHOTS.format(name="application-employer"), full_page=True)

    # 8. The graduate sees "shortlisted" on their home page.
    phone.goto("/me")
    expect(phone.locator(".badge.status-shortlisted").first).to_be_visible()
    expect(phone.get_by_text(title).first).to_be_visible()
    phone.screenshot(path=SCREENSHOTS.format(name="home-phone"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the graduate home page scrolls sideways on a phone ({width}px wide)"

    for page in (employer, desk, phone):
        assert page.js_errors == [], page.js_errors
