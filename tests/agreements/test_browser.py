"""An agreement drafted and signed by all three parties in a real browser, then verified on the public page."""
import pytest

from portal.agreements import service
from tests.browser.pages import DESKTOP, new_page, signed_in_page
from tests.factories import PASSWORD, make_offer, make_officer

pytestmark = pytest.mark.browser


def sign(page, base_url: str, agreement_id: int) -> None:
    page.goto(f"{base_url}/agreements/{agreement_id}")
    form = page.locator("#sign-form")
    if form.locator("input[name=acknowledge_flags]").count():
        form.locator("input[name=acknowledge_flags]").check()
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/agreements/{agreement_id}?signed=1")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_three_parties_sign_in_the_browser_and_the_qr_link_verifies(session, ca_settings, live_server, chromium, tmp_path):
    application, organization, recruiter, graduate = make_offer(session)
    officer = make_officer(session, schools=("南开大学",))

    employer_page = signed_in_page(chromium, live_server, recruiter.email)
    employer_page.goto(f"{live_server}/agreements")
    employer_page.click(f"a[href='/agreements/new?application_id={application.id}']")
    employer_page.fill("input[name=start_date]", "2026-07-01")
    employer_page.fill("textarea[name=extra_clauses]", "甲方提供一年人才公寓。")
    employer_page.click("form[action='/agreements'] button[type=submit]")
    employer_page.wait_for_url("**/agreements/*")
    agreement_id = int(employer_page.url.rstrip("/").rsplit("/", 1)[1])
    assert "甲方提供一年人才公寓" in employer_page.content()
    sign(employer_page, live_server, agreement_id)

    graduate_page = signed_in_page(chromium, live_server, graduate.email)
    sign(graduate_page, live_server, agreement_id)
    officer_page = signed_in_page(chromium, live_server, officer.email)
    sign(officer_page, live_server, agreement_id)
    assert "已签署" in officer_page.locator("#agreement-status").inner_text()

    session.expire_all()
    agreement = service.get_agreement(session, user=graduate, agreement_id=agreement_id)
    public = new_page(chromium, live_server, DESKTOP)
    public.goto(f"{live_server}/verify/{agreement.verify_code}")
    assert public.locator("tr.signature-check.valid").count() == 3

    pdf = service.read_pdf(ca_settings, agreement)
    at = pdf.index(b"stream", 1000) + 40
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(pdf[:at] + bytes([pdf[at] ^ 1]) + pdf[at + 1:])
    public.goto(f"{live_server}/verify")
    public.set_input_files("input[name=file]", str(tampered))
    public.click("form[action='/verify'] button[type=submit]")
    public.wait_for_selector("#verdict")
    assert public.locator("#verdict.alert.error").count() == 1
    assert public.locator("tr.signature-check.invalid").count() == 3
