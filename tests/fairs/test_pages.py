"""Event pages over HTTP: the searchable fair page, registering for an e-ticket with its QR code, taking part as
an employer, the organiser's check-in, lists and export, and the online fair's chat socket."""
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from starlette.websockets import WebSocketDisconnect

from portal.accounts.models import User
from portal.clock import utcnow
from portal.fairs import service as fairs
from portal.fairs import tickets
from tests.factories import (
    make_employer,
    make_exhibitor,
    make_fair,
    make_graduate,
    make_officer,
    make_position,
)

ORIGIN = {"origin": "http://testserver"}


def test_register_ticket_check_in_and_export(session, settings, client_for):
    fair = make_fair(session, title="津英就业·滨海新区专场", starts_in=timedelta(hours=1))
    _, organization, _, position = make_exhibitor(session, fair, settings=settings, booth=7)
    graduate = make_graduate(session, display_name="赵同学")
    me = client_for(graduate)
    page = me.get(f"/fairs/{fair.id}")
    assert page.status_code == 200 and organization.name in page.text and position.title in page.text
    narrowed = me.get(f"/fairs/{fair.id}?q=没有这家", headers={"HX-Request": "true"})
    assert organization.name not in narrowed.text and "<html" not in narrowed.text
    assert me.post(f"/fairs/{fair.id}/register", follow_redirects=False).headers["location"] == f"/fairs/{fair.id}/ticket"
    assert me.post(f"/fairs/{fair.id}/register").status_code == 409
    ticket = fairs.ticket_of(session, user=graduate, fair_id=fair.id)
    assert ticket.code in me.get(f"/fairs/{fair.id}/ticket").text
    qr = me.get(f"/fairs/{fair.id}/ticket.svg")
    assert qr.headers["content-type"] == "image/svg+xml" and b"<svg" in qr.content
    assert client_for(make_graduate(session)).get(f"/fairs/{fair.id}/ticket.svg").status_code == 404

    organizer = client_for(session.get(User, fair.organizer_id))
    assert organizer.get(f"/officer/fairs/{fair.id}/check-in").status_code == 200
    scan = {"HX-Request": "true"}
    wrong = organizer.post(f"/officer/fairs/{fair.id}/check-in", data={"code": "AAAA-BBBB-CCCC"}, headers=scan)
    assert wrong.status_code == 422 and 'data-result="refused"' in wrong.text
    admitted = organizer.post(f"/officer/fairs/{fair.id}/check-in",
                              data={"code": tickets.qr_payload(fair.id, ticket.code)}, headers=scan)
    assert admitted.status_code == 200 and "赵同学" in admitted.text and 'data-result="admitted"' in admitted.text
    again = organizer.post(f"/officer/fairs/{fair.id}/check-in", data={"code": ticket.code}, headers=scan)
    assert again.status_code == 409 and "赵同学" in again.text
    other_officer = client_for(make_officer(session))
    assert other_officer.post(f"/officer/fairs/{fair.id}/check-in", data={"code": ticket.code}).status_code == 404
    assert other_officer.get(f"/officer/fairs/{fair.id}/export.xlsx").status_code == 404
    export = organizer.get(f"/officer/fairs/{fair.id}/export.xlsx")
    rows = list(load_workbook(BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == "赵同学" and rows[1][4]  # registered and checked in
    overview = organizer.get(f"/officer/fairs/{fair.id}")
    assert 'data-checked-in>1<' in overview.text


def test_officer_creates_and_employer_takes_part_through_pages(session, settings, client_for):
    officer = make_officer(session, city_wide=True)
    desk = client_for(officer)
    start = (utcnow() + timedelta(days=3, hours=8)).strftime("%Y-%m-%dT09:00")
    end = (utcnow() + timedelta(days=3, hours=8)).strftime("%Y-%m-%dT12:00")
    refused = desk.post("/officer/fairs", data={"kind": "on_site", "title": "秋季招聘会", "starts_at": start, "ends_at": end,
                                                "registration_deadline": start, "capacity": "200", "booths": "0"})
    assert refused.status_code == 422  # an on-site fair needs its venue and booths
    made = desk.post("/officer/fairs", data={
        "kind": "on_site", "title": "秋季招聘会", "starts_at": start, "ends_at": end, "registration_deadline": start,
        "capacity": "200", "booths": "10", "venue": "天津大学体育馆", "district": "南开区",
        "sectors[]": ["information_technology"]}, follow_redirects=False)
    assert made.status_code == 303
    fair_id = int(made.headers["location"].rsplit("/", 1)[1])
    organization, recruiter = make_employer(session)
    position = make_position(session, organization)
    employer = client_for(recruiter)
    assert "秋季招聘会" in employer.get(f"/fairs/{fair_id}").text
    assert employer.post(f"/fairs/{fair_id}/exhibit", data={"position_ids[]": [str(position.id)], "booth": "11"}).status_code == 422
    assert employer.post(f"/fairs/{fair_id}/exhibit", data={"position_ids[]": [str(position.id)], "booth": "4"},
                         follow_redirects=False).status_code == 303
    exhibitor = fairs.exhibitor_of(session, user=recruiter, fair_id=fair_id)
    assert desk.post(f"/officer/fairs/{fair_id}/exhibitors/{exhibitor.id}", data={"approve": "true"},
                     follow_redirects=False).status_code == 303
    assert position.title in client_for(make_graduate(session)).get(f"/fairs/{fair_id}").text
    assert "秋季招聘会" in desk.get("/fairs?q=秋季").text


def test_online_fair_chat_socket(session, settings, client_for):
    fair = make_fair(session, kind="online")
    _, organization, recruiter, _ = make_exhibitor(session, fair, settings=settings, booth=None)
    fair.starts_at = utcnow() - timedelta(minutes=5)
    session.add(fair)
    session.commit()
    graduate = make_graduate(session)
    me, employer = client_for(graduate), client_for(recruiter)
    assert me.get(f"/fairs/{fair.id}/chat/{organization.id}").status_code == 200
    path = f"/fairs/{fair.id}/chat/{organization.id}/{graduate.id}/ws"
    with me.websocket_connect(path, headers=ORIGIN) as mine, employer.websocket_connect(path, headers=ORIGIN) as theirs:
        mine.send_json({"type": "chat", "body": "你好，请问岗位还招吗？"})
        assert theirs.receive_json()["body"] == "你好，请问岗位还招吗？"
        theirs.send_json({"type": "chat", "body": "招的"})
        assert mine.receive_json()["body"] == "你好，请问岗位还招吗？"
        assert mine.receive_json()["body"] == "招的"
    assert graduate.display_name in employer.get(f"/employer/fairs/{fair.id}/chats").text
    with pytest.raises(WebSocketDisconnect) as refused:
        with client_for(make_graduate(session)).websocket_connect(path, headers=ORIGIN) as socket:
            socket.receive_json()
    assert refused.value.code == 4404
