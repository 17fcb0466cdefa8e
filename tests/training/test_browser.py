"""The demo's training story in Debian's chromium on a 390x844 phone, against the portal under uvicorn.

In the demo, the graduate sees a recommended position with missing skills, follows a missing skill's link to the
subsidised programme that teaches it and enrols; the provider records the completion on the roster; the graduate
claims the subsidy with three uploaded documents; an officer approves it and the graduate sees it approved, with the
certificate's skills verified on the résumé; and the graduate's competition team reads each judge's score (issue 13's
"done means"). Phone screenshots go to .cache/screenshots/training-*.png.
"""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal import demo
from portal.training.demo import PROVIDER_EMAIL
from tests.browser.pages import PHONE, new_page, sign_in
from tests.factories import PDF_BYTES, PNG_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["postgres"], indirect=True)]

SCREENSHOTS = Path(__file__).parents[2] / ".cache" / "screenshots"
PROGRAMME = "Docker 与 Kubernetes 云原生运维实训"


@pytest.fixture
def demo_loaded(session, settings):
    # Before the browser starts: the demo's agreement signatures run an event loop of their own.
    return demo.seed(session, settings=settings)


def phone(chromium, base_url: str, email: str):
    page = new_page(chromium, base_url, PHONE)
    sign_in(page, email, demo.DEMO_PASSWORD)
    return page


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"training-{name}.png"), full_page=True)


def test_demo_story_from_a_missing_skill_to_an_approved_subsidy_and_a_judged_team(demo_loaded, live_server, chromium, tmp_path):
    graduate = phone(chromium, live_server, demo.GRADUATE_EMAIL)

    # A recommended position whose missing skills link to training, and the programme that teaches them.
    graduate.goto("/recommendations")
    card = graduate.locator("article", has=graduate.get_by_role("link", name="运维工程师")).first
    card.scroll_into_view_if_needed()
    expect(card.locator("a.tag.missing", has_text="Kubernetes")).to_have_attribute("href", "/training?skill=Kubernetes")
    expect(card.locator(".training-links").get_by_role("link", name=PROGRAMME)).to_be_visible()
    expect(card.locator(".training-links")).to_contain_text("有补贴")
    shot(graduate, "recommendation")
    card.locator("a.tag.missing", has_text="Kubernetes").click()
    graduate.wait_for_url("**/training?skill=Kubernetes")
    graduate.get_by_role("link", name=PROGRAMME).click()
    graduate.wait_for_url("**/training/*")
    expect(graduate.locator("h1")).to_have_text(PROGRAMME)
    expect(graduate.locator("body")).to_contain_text("补贴 2000 元")
    graduate.get_by_role("button", name="报名", exact=True).click()
    expect(graduate.locator("#enrolment .alert.success")).to_be_visible()
    shot(graduate, "enrolled")

    # The provider records the completion on the roster (HTMX, in place).
    provider = phone(chromium, live_server, PROVIDER_EMAIL)
    provider.goto("/provider")
    provider.get_by_role("link", name=PROGRAMME).click()
    row = provider.locator("#roster tr", has_text="张晓明")
    row.locator("input[name=certificate_number]").fill("YYW-2026-0088")
    row.get_by_role("button", name="已结业并发证").click()
    expect(provider.locator("#roster tr", has_text="张晓明")).to_contain_text("已结业")
    shot(provider, "roster")

    # The graduate claims the subsidy with three documents, uploaded one by one.
    graduate.goto("/me/training")
    graduate.get_by_role("link", name="申请培训补贴").first.click()
    graduate.get_by_role("button", name="开始申请").click()
    graduate.wait_for_url("**/me/subsidies/*")
    scan, pdf = tmp_path / "scan.png", tmp_path / "certificate.pdf"
    scan.write_bytes(PNG_BYTES)
    pdf.write_bytes(PDF_BYTES)
    for kind, path in (("id_card", scan), ("certificate", pdf), ("bank_card", scan)):
        form = graduate.locator("form[enctype='multipart/form-data']")
        form.locator("select[name=kind]").select_option(kind)
        form.locator("input[type=file]").set_input_files(str(path))
        form.get_by_role("button", name="上传").click()
        expect(graduate.locator("#claim .list li").filter(has_text=path.name)).to_have_count(
            1 + (kind == "bank_card"))
    graduate.get_by_role("button", name="提交申请").click()
    graduate.wait_for_load_state()
    expect(graduate.locator("#claim")).to_contain_text("已提交")
    claim_url = graduate.url
    shot(graduate, "claim")

    # An officer approves it.
    officer = phone(chromium, live_server, demo.OFFICER_EMAIL)
    officer.goto("/officer/subsidies")
    officer.get_by_role("link", name="张晓明").click()
    expect(officer.locator("#decision")).to_contain_text("离校未就业毕业生")
    officer.locator("form[action$='/approve'] button[type=submit]").click()
    expect(officer.locator("#decision")).to_contain_text("已核准")
    shot(officer, "review")

    # The graduate sees it approved, and the certificate's skills verified on the résumé.
    graduate.goto(claim_url)
    expect(graduate.locator("#claim")).to_contain_text("已核准")
    expect(graduate.locator("#claim")).to_contain_text("2000 元")
    shot(graduate, "approved")
    graduate.goto("/me/resume")
    expect(graduate.locator("#verified-card")).to_contain_text("Kubernetes")
    expect(graduate.locator("#verified-card")).to_contain_text("YYW-2026-0088")
    graduate.goto("/me/training")  # the completed programme leads to its claim now, not to a second one
    expect(graduate.get_by_role("link", name="我的补贴申请")).to_have_attribute("href", claim_url.split(live_server)[-1])

    # The demo team entered the 天开杯 competition; with the results out it reads each judge's score.
    graduate.goto("/me/competitions")
    expect(graduate.locator("main .list li").first).to_contain_text("一等奖")
    graduate.get_by_role("link", name="职路 AI：毕业生求职智能助手").click()
    scores = graduate.locator("#scores")
    expect(scores).to_contain_text("评委 1: 85.00")
    expect(scores).to_contain_text("评委 2: 80.00")
    expect(scores).to_contain_text("技术路线清晰")
    shot(graduate, "team-scores")
    for page in (graduate, provider, officer):
        assert page.js_errors == []
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.url} scrolls sideways on a phone"
