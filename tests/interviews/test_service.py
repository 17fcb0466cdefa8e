"""Video interviews: proposing, choosing, calendar, reschedule, cancel, outcome, reminders; strangers see nothing."""
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.applications.models import Application
from portal.clock import utcnow
from portal.errors import Conflict, Invalid, NotFound
from portal.interviews import service as interviews
from portal.interviews.models import Interview
from portal.notifications.models import Notification
from tests.factories import make_employer, make_graduate, make_interview

ORIGIN = {"origin": "http://testserver"}


def kinds_for(session, user) -> list[str]:
    return [n.kind for n in session.exec(select(Notification).where(Notification.user_id == user.id))]



def test_proposing_moves_the_application_to_interview_and_choosing_tells_both(session, settings):
    interview, graduate, recruiter = make_interview(session, settings=settings)
    session.expire_all()
    assert session.get(Application, interview.application_id).status == "interview"
    assert session.get(Interview, interview.id).status == "scheduled"
    assert "interview.proposed" in kinds_for(session, graduate)
    assert "interview.scheduled" in kinds_for(session, graduate) and "interview.scheduled" in kinds_for(session, recruiter)
    room = f"https://jy.example.cn/interviews/{interview.id}/room"
    ics = interviews.calendar_file(session, user=graduate, interview_id=interview.id, room_url=room)
    assert "BEGIN:VEVENT" in ics and f"UID:interview-{interview.id}@jinying" in ics
    assert interview.starts_at.strftime("DTSTART:%Y%m%dT%H%M%SZ") in ics and "/interviews/%d/room" % interview.id in ics


def test_times_must_be_future_and_distinct_and_one_open_interview_per_application(session, settings):
    interview, graduate, recruiter = make_interview(session, settings=settings, choose=False)
    later = utcnow() + timedelta(days=2)
    with pytest.raises(Conflict):
        interviews.propose(session, settings=settings, user=recruiter, application_id=interview.application_id, slots=[later])
    with pytest.raises(Invalid):
        interviews.reschedule(session, settings=settings, user=recruiter, interview_id=interview.id,
                              slots=[utcnow() - timedelta(hours=1)])
    with pytest.raises(Invalid):
        interviews.reschedule(session, settings=settings, user=recruiter, interview_id=interview.id, slots=[later, later])


def test_strangers_see_nothing(session, settings):
    interview, graduate, recruiter = make_interview(session, settings=settings)
    _, other_recruiter = make_employer(session)
    for stranger in (make_graduate(session), other_recruiter):
        with pytest.raises(NotFound):
            interviews.get(session, user=stranger, interview_id=interview.id)
        with pytest.raises(NotFound):
            interviews.enter_room(session, user=stranger, interview_id=interview.id)
    with pytest.raises(NotFound):  # the graduate cannot reschedule on the employer's behalf
        interviews.reschedule(session, settings=settings, user=graduate, interview_id=interview.id,
                              slots=[utcnow() + timedelta(days=1)])


def test_reschedule_cancel_and_outcome(session, settings):
    interview, graduate, recruiter = make_interview(session, settings=settings, starts_in=timedelta(minutes=3))
    with pytest.raises(Conflict):  # not yet taken place
        interviews.record_outcome(session, settings=settings, user=recruiter, interview_id=interview.id, outcome="offer")
    interviews.reschedule(session, settings=settings, user=recruiter, interview_id=interview.id,
                          slots=[utcnow() + timedelta(days=3)])
    assert "interview.rescheduled" in kinds_for(session, graduate)
    assert interviews.get(session, user=graduate, interview_id=interview.id).interview.status == "proposed"
    interviews.cancel(session, settings=settings, user=graduate, interview_id=interview.id, reason="时间冲突")
    assert "interview.cancelled" in kinds_for(session, recruiter)
    with pytest.raises(Conflict):
        interviews.cancel(session, settings=settings, user=graduate, interview_id=interview.id, reason="again")

    done, graduate2, recruiter2 = make_interview(session, settings=settings)
    row = session.get(Interview, done.id)
    row.starts_at = utcnow() - timedelta(minutes=40)  # the interview has taken place
    session.add(row)
    session.commit()
    interviews.record_outcome(session, settings=settings, user=recruiter2, interview_id=done.id, outcome="offer",
                              note="欢迎加入")
    session.expire_all()
    assert session.get(Application, done.application_id).status == "offer"
    assert session.get(Interview, done.id).outcome == "offer"


def test_reminders_go_once(session, settings):
    interview, graduate, recruiter = make_interview(session, settings=settings, starts_in=timedelta(minutes=30))
    assert interviews.remind_upcoming(session, settings=settings) == 1
    assert interviews.remind_upcoming(session, settings=settings) == 0
    assert "interview.reminder" in kinds_for(session, graduate) and "interview.reminder" in kinds_for(session, recruiter)
