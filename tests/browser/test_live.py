"""Issue 12 in Debian's chromium with fake media devices: two browsers meet in an interview room and each receives
the other's video while a third person is refused; a presenter's camera reaches a viewer while a question travels
back and is answered; a graduate registers for a job fair and the organiser checks them in by scanning the ticket's
QR code with the phone's camera (a fake camera that films the QR code)."""
from datetime import timedelta

import pytest
import qrcode
from PIL import Image
from playwright.sync_api import expect, sync_playwright

from portal import realtime
from portal.accounts.models import User
from portal.fairs import service as fairs
from portal.fairs import tickets
from portal.presentations import service as presentations
from tests.browser.pages import DESKTOP, PHONE, new_page, sign_in
from tests.factories import make_exhibitor, make_fair, make_graduate, make_interview, make_presentation
from tests.services import CHROMIUM_ARGS, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database", ["postgres"], indirect=True)]
FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
REMOTE_VIDEO_PLAYS = "selector => { const v = document.querySelector(selector); return v && v.videoWidth > 0; }"


@pytest.fixture(scope="module")
def playwright():
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def media_chromium(playwright):
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS + FAKE_MEDIA)
    yield browser
    browser.close()


@pytest.fixture
def portal(live_server, app):
    yield live_server
    realtime.close(app)  # the test server runs without a lifespan, so its broker is closed here


def signed_in(browser, base_url: str, email: str, device: dict = DESKTOP):
    page = new_page(browser, base_url, device)
    sign_in(page, email)
    return page


def test_two_browsers_meet_in_the_interview_room_and_a_third_is_refused(media_chromium, portal, session, settings):
    interview, graduate, recruiter = make_interview(session, settings=settings)
    employer = signed_in(media_chromium, portal, recruiter.email)
    candidate = signed_in(media_chromium, portal, graduate.email, PHONE)
    employer.goto(f"/interviews/{interview.id}/room")
    candidate.goto(f"/interviews/{interview.id}/room")
    for page in (employer, candidate):
        page.wait_for_function(REMOTE_VIDEO_PLAYS, arg="#remote-video", timeout=30_000)
        expect(page.locator("[data-room-state]")).to_have_attribute("data-state", "connected")
    stranger = signed_in(media_chromium, portal, make_graduate(session).email)
    assert stranger.goto(f"/interviews/{interview.id}/room").status == 404
    refused = stranger.evaluate("""path => new Promise(done => {
        const socket = new WebSocket(`ws://${location.host}${path}`);
        socket.onopen = () => done("open");
        socket.onclose = () => done("closed");
    })""", f"/interviews/{interview.id}/ws")
    assert refused == "closed"
    assert employer.js_errors == [] and candidate.js_errors == []


def test_a_presenters_camera_reaches_a_viewer_and_a_question_travels_back(media_chromium, portal, session, settings):
    presentation, presenter = make_presentation(session, settings=settings, topic="线上宣讲：数据工程岗位")
    graduate = make_graduate(session)
    presentations.register(session, settings=settings, user=graduate, presentation_id=presentation.id)
    host = signed_in(media_chromium, portal, presenter.email)
    viewer = signed_in(media_chromium, portal, graduate.email, PHONE)
    host.goto(f"/presentations/{presentation.id}/live")
    viewer.goto(f"/presentations/{presentation.id}/live")
    host.click("[data-start=camera]")
    viewer.wait_for_function(REMOTE_VIDEO_PLAYS, arg="#stage-video", timeout=30_000)
    expect(viewer.locator("[data-live-state]")).to_have_attribute("data-state", "live")
    viewer.fill("[data-ask] textarea", "请问数据工程岗位需要哪些技能？")
    viewer.click("[data-ask] button[type=submit]")
    question = host.locator("[data-question]", has_text="请问数据工程岗位需要哪些技能？")
    expect(question).to_be_visible()
    question.locator("input").fill("SQL 与 Python，会 Spark 更好。")
    question.locator("button.primary").click()
    question.locator("[data-pin]").click()
    answer = viewer.locator("[data-question].pinned [data-answer]")
    expect(answer).to_have_text("SQL 与 Python，会 Spark 更好。")
    assert presentations.attendance(session, user=presenter, presentation_id=presentation.id)[0].registration.attended_at
    assert host.js_errors == [] and viewer.js_errors == []


def qr_video(payload: str, path) -> None:
    """A Y4M clip (the format chromium's fake camera plays) filming the QR code on white."""
    code = qrcode.make(payload, box_size=10, border=4).get_image().convert("RGB").resize((400, 400))
    frame = Image.new("RGB", (640, 480), "white")
    frame.paste(code, (120, 40))
    y, cb, cr = frame.convert("YCbCr").split()
    planes = y.tobytes() + cb.resize((320, 240)).tobytes() + cr.resize((320, 240)).tobytes()
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n" + (b"FRAME\n" + planes) * 10)


def test_a_graduate_registers_and_is_checked_in_by_scanning_the_qr_code(media_chromium, playwright, portal, session,
                                                                        settings, tmp_path):
    fair = make_fair(session, title="津英就业·秋季双选会", starts_in=timedelta(hours=2))
    _, organization, _, _ = make_exhibitor(session, fair, settings=settings)
    graduate = make_graduate(session, display_name="孙同学")
    me = signed_in(media_chromium, portal, graduate.email, PHONE)
    me.goto(f"/fairs/{fair.id}")
    expect(me.locator(f"[data-exhibitor='{organization.id}']")).to_be_visible()
    me.click(f"form[action='/fairs/{fair.id}/register'] button")
    expect(me.locator("[data-ticket-code]")).to_be_visible()
    me.wait_for_function("() => document.querySelector('.ticket-qr img').naturalWidth > 0")  # the QR code loads
    ticket = fairs.ticket_of(session, user=graduate, fair_id=fair.id)
    assert me.locator("[data-ticket-code]").inner_text() == ticket.code

    qr_video(tickets.qr_payload(fair.id, ticket.code), tmp_path / "ticket.y4m")
    door_browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS + FAKE_MEDIA + [
        f"--use-file-for-fake-video-capture={tmp_path / 'ticket.y4m'}"])
    try:
        door = signed_in(door_browser, portal, session.get(User, fair.organizer_id).email, PHONE)
        door.goto(f"/officer/fairs/{fair.id}/check-in")
        door.click("[data-scan]")
        expect(door.locator("[data-result=admitted]")).to_contain_text("孙同学", timeout=20_000)
        assert door.js_errors == []
    finally:
        door_browser.close()
    session.expire_all()
    assert fairs.ticket_of(session, user=graduate, fair_id=fair.id).checked_in_at is not None
