"""Presentation pages and the live socket: schedule, review, register; Q&A, signalling and who may join."""
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.websockets import WebSocketDisconnect

from portal.clock import utcnow
from portal.presentations import service as presentations
from portal.presentations.models import PresentationRegistration
from tests.factories import (
    make_employer,
    make_graduate,
    make_officer,
    make_position,
    make_presentation,
)

ORIGIN = {"origin": "http://testserver"}



def test_pages_schedule_review_register(session, settings, client_for):
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, title="嵌入式工程师")
    employer = client_for(recruiter)
    assert employer.get("/employer/presentations").status_code == 200
    bad = employer.post("/employer/presentations", data={"topic": "", "starts_at": "2020-01-01T10:00"})
    assert bad.status_code == 422
    when = (utcnow() + timedelta(days=2, hours=8)).strftime("%Y-%m-%dT19:00")
    made = employer.post("/employer/presentations", data={
        "topic": "嵌入式宣讲会", "starts_at": when, "duration_minutes": "60", "position_ids[]": [str(position.id)],
    }, follow_redirects=False)
    assert made.status_code == 303
    presentation_id = int(made.headers["location"].rsplit("/", 1)[1])
    graduate = make_graduate(session)
    me = client_for(graduate)
    assert me.get(f"/presentations/{presentation_id}").status_code == 404
    officer = client_for(make_officer(session, city_wide=True))
    assert "嵌入式宣讲会" in officer.get("/officer/presentations").text
    assert officer.post(f"/officer/presentations/{presentation_id}/decision", data={"approve": "true"},
                        follow_redirects=False).status_code == 303
    assert "嵌入式宣讲会" in me.get("/presentations?q=嵌入式").text
    assert me.post(f"/presentations/{presentation_id}/register", follow_redirects=False).status_code == 303
    assert me.post(f"/presentations/{presentation_id}/register").status_code == 409
    assert me.get(f"/api/v1/presentations/{presentation_id}").json()["registered"] is True
    assert employer.post(f"/presentations/{presentation_id}/register").status_code == 403
    page = employer.get(f"/presentations/{presentation_id}")
    assert graduate.display_name in page.text  # the employer sees who registered


def test_live_socket_questions_signalling_and_attendance(session, settings, client_for):
    presentation, presenter = make_presentation(session, settings=settings)
    graduate, stranger = make_graduate(session), make_graduate(session)
    presentations.register(session, settings=settings, user=graduate, presentation_id=presentation.id)
    host, viewer = client_for(presenter), client_for(graduate)
    assert viewer.get(f"/presentations/{presentation.id}/live").status_code == 200
    path = f"/presentations/{presentation.id}/ws"
    with host.websocket_connect(path, headers=ORIGIN) as stage, viewer.websocket_connect(path, headers=ORIGIN) as seat:
        seat.send_json({"type": "join"})
        assert stage.receive_json() == {"type": "join", "from": graduate.id, "to": presenter.id}
        stage.send_json({"type": "offer", "to": graduate.id, "sdp": {"type": "offer", "sdp": "v=0"}})
        assert seat.receive_json()["type"] == "offer"
        seat.send_json({"type": "ask", "body": "实习期多久？"})
        asked = seat.receive_json()
        assert asked["type"] == "question" and asked["body"] == "实习期多久？" and "author" not in str(asked)
        assert stage.receive_json() == asked
        stage.send_json({"type": "reply", "id": asked["id"], "answer": "三个月"})
        stage.send_json({"type": "pin", "id": asked["id"], "pinned": True})
        assert seat.receive_json()["answer"] == "三个月"
        assert seat.receive_json()["pinned"] is True
        seat.send_json({"type": "reply", "id": asked["id"], "answer": "hijack"})  # viewers cannot answer
        seat.send_json({"type": "ask", "body": ""})
        assert seat.receive_json()["type"] == "error"
    question = presentations.questions(session, presentation_id=presentation.id)[0]
    assert (question.answer, question.pinned) == ("三个月", True)
    session.expire_all()
    registration = session.exec(select(PresentationRegistration)).one()
    assert registration.attended_at is not None
    with pytest.raises(WebSocketDisconnect) as refused:
        with client_for(stranger).websocket_connect(path, headers=ORIGIN) as socket:
            socket.receive_json()
    assert refused.value.code == 4404
