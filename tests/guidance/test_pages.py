"""Career guidance through real HTTP: each role's pages, forms with errors, who may see what (never an employer, never
the graduate the adviser's notes), the invited counsellor's first sign-in, and the API."""
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.websockets import WebSocketDisconnect

from portal.clock import today, utcnow
from portal.guidance.models import GuidanceAppointment, GuidanceSlot
from portal.localtime import to_local
from tests.conftest import api_token, csrf_from
from tests.factories import (
    PASSWORD,
    make_counsellor,
    make_employer,
    make_graduate,
    make_guidance_slot,
    make_officer,
)

pytestmark = pytest.mark.parametrize("database", ["postgres"], indirect=True)

NOTES = "父母下岗，求职压力大"


@pytest.fixture
def booked(session, settings, client_for):
    """An officer's slot booked by a graduate through the pages -> (officer, graduate, appointment id, clients)."""
    officer = make_officer(session)
    slot = make_guidance_slot(session, officer, mode="video", note="模拟面试")
    graduate = make_graduate(session)
    as_graduate = client_for(graduate)
    page = as_graduate.get(f"/guidance/slots/{slot.id}")
    assert page.status_code == 200 and "模拟面试" in page.text
    response = as_graduate.post(f"/guidance/slots/{slot.id}/book", data={"topic": "想练习群面"}, follow_redirects=False)
    assert response.status_code == 303
    appointment_id = int(response.headers["location"].rsplit("/", 1)[1])
    return officer, graduate, appointment_id, as_graduate, client_for(officer)


def test_a_graduate_finds_books_and_sees_the_appointment(booked, client):
    officer, _, appointment_id, as_graduate, _ = booked
    assert "暂无可预约时段" in client.get("/guidance").text  # the only slot is taken
    mine = as_graduate.get("/me/guidance")
    assert officer.display_name in mine.text and "已预约" in mine.text
    page = as_graduate.get(f"/me/guidance/{appointment_id}")
    assert "想练习群面" in page.text and "进入视频房间" in page.text


def test_the_adviser_keeps_notes_and_actions_and_the_graduate_sees_only_the_actions(booked, session):
    _, graduate, appointment_id, as_graduate, as_officer = booked
    page = as_officer.get(f"/guidance/adviser/appointments/{appointment_id}")
    assert graduate.display_name in page.text and "想练习群面" in page.text
    assert "指导开始后才能记录结果" in page.text and "/outcome" not in page.text  # not before it begins
    as_officer.post(f"/guidance/adviser/appointments/{appointment_id}/notes", data={"private_notes": NOTES})
    refused = as_officer.post(f"/guidance/adviser/appointments/{appointment_id}/actions",
                              data={"description": "", "due_on": "昨天"})
    assert refused.status_code == 422 and "请至少输入 2 个字符" in refused.text and "请输入日期" in refused.text
    done = as_officer.post(f"/guidance/adviser/appointments/{appointment_id}/actions",
                           data={"description": "完善项目经历", "due_on": (today() + timedelta(days=5)).isoformat()},
                           follow_redirects=False)
    assert done.status_code == 303
    assert NOTES in as_officer.get(f"/guidance/adviser/appointments/{appointment_id}").text

    graduate_page = as_graduate.get(f"/me/guidance/{appointment_id}")
    assert "完善项目经历" in graduate_page.text and NOTES not in graduate_page.text and "我已完成" in graduate_page.text
    api = as_graduate.get("/api/v1/me/guidance").text
    assert "完善项目经历" in api and NOTES not in api
    assert as_graduate.get(f"/guidance/adviser/appointments/{appointment_id}").status_code == 403


def test_nobody_else_reaches_the_appointment(booked, session, client_for):
    _, _, appointment_id, _, _ = booked
    _, recruiter = make_employer(session)
    employer = client_for(recruiter)
    assert employer.get(f"/guidance/adviser/appointments/{appointment_id}").status_code == 403
    assert employer.get(f"/me/guidance/{appointment_id}").status_code == 403
    assert employer.get(f"/guidance/appointments/{appointment_id}/room").status_code == 404
    other_officer = client_for(make_officer(session, city_wide=True))
    assert other_officer.get(f"/guidance/adviser/appointments/{appointment_id}").status_code == 404
    other_graduate = client_for(make_graduate(session))
    assert other_graduate.get(f"/me/guidance/{appointment_id}").status_code == 404
    assert other_graduate.post(f"/me/guidance/{appointment_id}/cancel", data={"reason": "捣乱"}).status_code == 404


def test_a_graduate_moves_and_cancels_with_reasons_checked(booked, session):
    officer, _, appointment_id, as_graduate, _ = booked
    later = make_guidance_slot(session, officer, starts_in=timedelta(days=9))
    assert to_local(later.starts_at).strftime("%Y-%m-%d %H:%M") in as_graduate.get(f"/me/guidance/{appointment_id}").text
    as_graduate.post(f"/me/guidance/{appointment_id}/reschedule", data={"slot_id": str(later.id)})
    assert session.get(GuidanceAppointment, appointment_id).slot_id == later.id
    refused = as_graduate.post(f"/me/guidance/{appointment_id}/cancel", data={"reason": ""})
    assert refused.status_code == 422
    as_graduate.post(f"/me/guidance/{appointment_id}/cancel", data={"reason": "已找到工作"})
    session.expire_all()
    assert session.get(GuidanceAppointment, appointment_id).status == "cancelled"


def test_an_adviser_publishes_slots_from_the_form(session, client_for):
    officer = make_officer(session)
    as_officer = client_for(officer)
    start = to_local(utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused = as_officer.post("/guidance/adviser/slots", data={"starts_at": start, "duration_minutes": "30",
                                                               "count": "2", "mode": "in_person", "place": ""})
    assert refused.status_code == 422 and "请填写面谈地点" in refused.text
    assert as_officer.post("/guidance/adviser/slots", data={
        "starts_at": start, "duration_minutes": "30", "count": "2", "mode": "in_person", "place": "南开大学就业中心"},
        follow_redirects=False).status_code == 303
    assert len(session.exec(select(GuidanceSlot)).all()) == 2
    assert "南开大学就业中心" in as_officer.get("/guidance").text


def test_an_invited_counsellor_sets_a_password_and_offers_guidance(session, client, client_for):
    officer = make_officer(session)
    as_officer = client_for(officer)
    invited = as_officer.post("/officer/guidance/counsellors", data={
        "display_name": "李老师", "email": "li@career.example.cn", "organisation": "河西区人社局职业指导中心"})
    assert invited.status_code == 200
    link = invited.text.split("data-invitation-link>")[1].split("<")[0]
    path = link[link.index("/invitation/"):]
    page = client.get(path)
    assert "李老师" in page.text and "职业指导师" in page.text
    token = csrf_from(page.text)
    weak = client.post(path, data={"csrf_token": token, "password": "12345678"})
    assert weak.status_code == 422
    accepted = client.post(path, data={"csrf_token": token, "password": PASSWORD}, follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"] == "/guidance/adviser"
    assert client.get(path).status_code == 404  # the link works once
    assert "发布指导时段" in client.get("/guidance/adviser").text
    assert as_officer.post("/officer/guidance/counsellors", data={
        "display_name": "李老师", "email": "li@career.example.cn", "organisation": "别处"}).status_code == 422


def test_the_api_books_once_and_says_so_the_second_time(session, settings, client):
    slot = make_guidance_slot(session, make_counsellor(session, settings))
    first, second = make_graduate(session), make_graduate(session)
    listed = client.get("/api/v1/guidance/slots").json()
    assert listed["total"] == 1 and listed["items"][0]["adviser_organisation"] == "天津大学就业指导中心"
    booked = client.post(f"/api/v1/guidance/slots/{slot.id}/book", json={"topic": "考研还是就业"},
                         headers=api_token(client, first.email))
    assert booked.status_code == 201 and booked.json()["slot"]["id"] == slot.id
    taken = client.post(f"/api/v1/guidance/slots/{slot.id}/book", json={"topic": "我也想约"},
                        headers=api_token(client, second.email))
    assert taken.status_code == 409 and taken.headers["content-type"].startswith("application/problem+json")
    bad = client.post(f"/api/v1/guidance/slots/{slot.id}/book", json={"topic": "a\x00b"},
                      headers=api_token(client, second.email))
    assert bad.status_code == 422


def test_the_video_room_joins_the_graduate_and_the_adviser_and_nobody_else(session, settings, client_for):
    counsellor = make_counsellor(session, settings)
    graduate = make_graduate(session)
    slot = make_guidance_slot(session, counsellor, starts_in=timedelta(minutes=5), mode="video")
    me, adviser = client_for(graduate), client_for(counsellor)
    appointment = me.post(f"/guidance/slots/{slot.id}/book", data={"topic": "职业规划"}, follow_redirects=False)
    appointment_id = int(appointment.headers["location"].rsplit("/", 1)[1])
    room = adviser.get(f"/guidance/appointments/{appointment_id}/room")
    assert room.status_code == 200 and 'data-caller="true"' in room.text and "/static/js/interview-room.js" in room.text
    path = f"/guidance/appointments/{appointment_id}/ws"
    origin = {"origin": "http://testserver"}
    with adviser.websocket_connect(path, headers=origin) as caller, me.websocket_connect(path, headers=origin) as callee:
        callee.send_json({"type": "join"})
        assert caller.receive_json() == {"type": "join", "from": graduate.id}
    stranger = client_for(make_graduate(session))
    with pytest.raises(WebSocketDisconnect) as refused, stranger.websocket_connect(path, headers=origin) as socket:
        socket.receive_json()
    assert refused.value.code == 4404


def test_group_guidance_is_an_event_with_registration_and_no_employers(session, settings, client, client_for):
    from portal.errors import Conflict, Invalid
    from portal.fairs import service as fairs
    from portal.fairs.schemas import ExhibitRequest
    from tests.factories import make_fair

    with pytest.raises(Invalid):
        make_fair(session, kind="group_guidance", venue=None)
    session.rollback()
    fair = make_fair(session, kind="group_guidance", title="简历写作团体辅导", venue="南开大学图书馆报告厅")
    assert fair.booths == 0
    listed = client.get("/guidance").text
    assert "简历写作团体辅导" in listed and "团体职业指导" in listed
    page = client.get(f"/fairs/{fair.id}").text
    assert "团体职业指导" in page and "参会单位" not in page
    graduate = make_graduate(session)
    client_for(graduate).post(f"/fairs/{fair.id}/register")
    assert fairs.ticket_of(session, user=graduate, fair_id=fair.id) is not None
    _, recruiter = make_employer(session)
    with pytest.raises(Conflict):
        fairs.request_to_exhibit(session, settings=settings, user=recruiter, fair_id=fair.id,
                                 request=ExhibitRequest(position_ids=[1]))
