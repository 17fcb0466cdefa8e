"""Interview pages and the room's WebSocket: propose, choose, calendar; only the two people get in."""
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.websockets import WebSocketDisconnect

from portal.clock import utcnow
from portal.interviews import service as interviews
from portal.notifications.models import Notification
from tests.factories import make_graduate, make_interview

ORIGIN = {"origin": "http://testserver"}


def kinds_for(session, user) -> list[str]:
    return [n.kind for n in session.exec(select(Notification).where(Notification.user_id == user.id))]



def test_pages_propose_choose_and_calendar(session, settings, client_for):
    interview, graduate, recruiter = make_interview(session, settings=settings, choose=False)
    interviews.cancel(session, settings=settings, user=recruiter, interview_id=interview.id, reason="换人面试")
    employer = client_for(recruiter)
    assert employer.get(f"/employer/applications/{interview.application_id}/interviews/new").status_code == 200
    refused = employer.post(f"/employer/applications/{interview.application_id}/interviews",
                            data={"slots[]": ["2020-01-01T09:00", ""], "duration_minutes": "30"})
    assert refused.status_code == 422
    tomorrow = (utcnow() + timedelta(days=1, hours=8)).strftime("%Y-%m-%dT10:00")
    sent = employer.post(f"/employer/applications/{interview.application_id}/interviews",
                         data={"slots[]": [tomorrow, ""], "duration_minutes": "45"}, follow_redirects=False)
    assert sent.status_code == 303
    new_id = int(sent.headers["location"].rsplit("/", 1)[1])
    me = client_for(graduate)
    page = me.get(f"/interviews/{new_id}")
    assert page.status_code == 200 and "10:00" in page.text
    slot = interviews.get(session, user=graduate, interview_id=new_id).slots[0]
    assert slot.starts_at.hour == 2  # 10:00 in Tianjin is 02:00 UTC
    assert me.post(f"/interviews/{new_id}/choose", data={"slot_id": "999999"}).status_code == 422
    assert me.post(f"/interviews/{new_id}/choose", data={"slot_id": str(slot.id)}, follow_redirects=False).status_code == 303
    ics = me.get(f"/interviews/{new_id}/calendar.ics")
    assert ics.headers["content-type"].startswith("text/calendar") and "DTSTART:" in ics.text
    stranger = client_for(make_graduate(session))
    assert stranger.get(f"/interviews/{new_id}").status_code == 404
    assert stranger.get(f"/interviews/{new_id}/calendar.ics").status_code == 404
    api = me.get(f"/api/v1/interviews/{new_id}")
    assert api.status_code == 200 and api.json()["status"] == "scheduled"
    assert stranger.get(f"/api/v1/interviews/{new_id}").headers["content-type"] == "application/problem+json"


def test_the_room_relays_between_the_two_and_refuses_everyone_else(session, settings, client_for):
    interview, graduate, recruiter = make_interview(session, settings=settings)
    employer, me = client_for(recruiter), client_for(graduate)
    assert me.get(f"/interviews/{interview.id}/room").status_code == 200
    path = f"/interviews/{interview.id}/ws"
    with employer.websocket_connect(path, headers=ORIGIN) as caller, me.websocket_connect(path, headers=ORIGIN) as callee:
        callee.send_json({"type": "join"})
        heard = caller.receive_json()
        assert heard == {"type": "join", "from": graduate.id}
        caller.send_json({"type": "offer", "sdp": {"type": "offer", "sdp": "v=0"}, "from": 999})
        received = [callee.receive_json(), callee.receive_json()]  # its own join comes back too
        offer = next(message for message in received if message["type"] == "offer")
        assert offer["from"] == recruiter.id  # the portal says who sent it
    stranger = client_for(make_graduate(session))
    assert stranger.get(f"/interviews/{interview.id}/room").status_code == 404
    with pytest.raises(WebSocketDisconnect) as refused:
        with stranger.websocket_connect(path, headers=ORIGIN) as socket:
            socket.receive_json()
    assert refused.value.code == 4404
    with pytest.raises(WebSocketDisconnect) as foreign:  # another site's page riding on the cookie
        with me.websocket_connect(path, headers={"origin": "https://evil.example"}) as socket:
            socket.receive_json()
    assert foreign.value.code == 4401
