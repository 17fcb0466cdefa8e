"""Career guidance services on both databases: slots, booking (never twice, even at once on PostgreSQL), moving and
cancelling, private notes, follow-up actions into the support plan, and the video room's hours."""
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.clock import today, utcnow
from portal.errors import Conflict, Invalid, NotFound
from portal.guidance import service
from portal.guidance.models import GuidanceAppointment, GuidanceSlot
from portal.guidance.schemas import SlotsCreate
from portal.ledger.models import LedgerMeasure
from portal.notifications.models import Notification
from tests.concurrency import require_row_locks, run_together
from tests.factories import (
    make_counsellor,
    make_graduate,
    make_guidance_slot,
    make_ledger_case,
    make_officer,
)


def book(session, settings, graduate, slot, topic="想修改简历"):
    return service.book(session, settings=settings, graduate=graduate, slot_id=slot.id, topic=topic)


def test_an_adviser_publishes_slots_back_to_back_and_never_two_at_once(session):
    officer = make_officer(session)
    start = (utcnow() + timedelta(days=3)).replace(tzinfo=None) + timedelta(hours=8)  # typed in Tianjin time
    rows = service.publish_slots(session, adviser=officer, slots=SlotsCreate(
        starts_at=start, duration_minutes=30, count=3, mode="video"))
    assert [r.starts_at - rows[0].starts_at for r in rows] == [timedelta(0), timedelta(minutes=30), timedelta(minutes=60)]
    assert all(r.place is None for r in rows)
    with pytest.raises(Conflict):
        service.publish_slots(session, adviser=officer, slots=SlotsCreate(
            starts_at=start + timedelta(minutes=75), duration_minutes=30, mode="in_person", place="201 室"))
    with pytest.raises(Invalid):
        service.publish_slots(session, adviser=officer, slots=SlotsCreate(
            starts_at=utcnow() - timedelta(hours=1), mode="video"))
    graduate = make_graduate(session)
    with pytest.raises(NotFound):
        service.publish_slots(session, adviser=graduate, slots=SlotsCreate(starts_at=start, mode="video"))


def test_a_graduate_books_a_slot_the_adviser_is_told_and_nobody_else_can_take_it(session, settings):
    officer = make_officer(session)
    slot = make_guidance_slot(session, officer)
    first, second = make_graduate(session), make_graduate(session)
    appointment = book(session, settings, first, slot)
    assert session.get(GuidanceSlot, slot.id).graduate_id == first.id
    assert session.exec(select(Notification).where(Notification.user_id == officer.id)).one().kind == "guidance"
    with pytest.raises(Conflict):
        book(session, settings, second, slot)
    session.rollback()
    assert [v.appointment.id for v in service.my_appointments(session, graduate=first)] == [appointment.id]
    assert service.open_slots(session).total == 0
    with pytest.raises(NotFound):
        service.own_appointment(session, graduate=second, appointment_id=appointment.id)


def test_two_graduates_racing_for_one_slot_get_it_once(engine, session, settings):
    require_row_locks(engine)
    slot = make_guidance_slot(session, make_officer(session))
    graduates = [make_graduate(session) for _ in range(4)]
    outcomes = run_together(engine, [
        (lambda s, g=g: book(s, settings, g, slot)) for g in graduates])
    assert sum(isinstance(o, GuidanceAppointment) for o in outcomes) == 1
    assert all(isinstance(o, Conflict) for o in outcomes if not isinstance(o, GuidanceAppointment))
    assert len(session.exec(select(GuidanceAppointment)).all()) == 1


def test_moving_to_another_time_frees_the_old_one_and_a_graduate_cannot_be_in_two_places(session, settings):
    officer = make_officer(session)
    first = make_guidance_slot(session, officer)
    later = make_guidance_slot(session, officer, starts_in=timedelta(days=4))
    graduate = make_graduate(session)
    appointment = book(session, settings, graduate, first)
    moved = service.reschedule(session, settings=settings, graduate=graduate, appointment_id=appointment.id,
                               slot_id=later.id)
    assert moved.slot_id == later.id
    session.refresh(first)
    assert first.graduate_id is None and service.open_slots(session).items[0].slot.id == first.id

    other_adviser_slot = make_guidance_slot(session, make_officer(session), starts_in=timedelta(days=5))
    with pytest.raises(Invalid):
        service.reschedule(session, settings=settings, graduate=graduate, appointment_id=appointment.id,
                           slot_id=other_adviser_slot.id)
    session.rollback()
    clash = make_guidance_slot(session, make_officer(session), starts_in=timedelta(days=4, minutes=10))
    with pytest.raises(Conflict):
        book(session, settings, graduate, clash)


def test_cancelling_frees_the_slot_for_a_graduate_and_withdraws_it_for_the_adviser(session, settings):
    officer = make_officer(session)
    slot = make_guidance_slot(session, officer)
    graduate = make_graduate(session)
    appointment = book(session, settings, graduate, slot)
    service.cancel(session, settings=settings, user=graduate, appointment_id=appointment.id, reason="时间冲突")
    session.refresh(slot)
    assert slot.graduate_id is None and slot.withdrawn_at is None

    again = book(session, settings, make_graduate(session), slot)
    service.cancel(session, settings=settings, user=officer, appointment_id=again.id, reason="临时出差")
    session.refresh(slot)
    assert slot.withdrawn_at is not None and service.open_slots(session).total == 0
    with pytest.raises(Conflict):
        service.cancel(session, settings=settings, user=officer, appointment_id=again.id, reason="再次取消")
    with pytest.raises(NotFound):
        service.cancel(session, settings=settings, user=make_officer(session), appointment_id=appointment.id,
                       reason="不是我的")


def test_notes_stay_the_advisers_and_actions_reach_the_support_plan_of_a_ledger_graduate(session, settings):
    officer = make_officer(session)  # covers 南开大学, the factory graduates' school
    counsellor = make_counsellor(session, settings, officer=officer)
    graduate = make_graduate(session)
    case = make_ledger_case(session, graduate, officer)
    appointment = book(session, settings, graduate, make_guidance_slot(session, counsellor))
    service.save_notes(session, adviser=counsellor, appointment_id=appointment.id, notes="家庭困难，情绪焦虑")
    with pytest.raises(NotFound):
        service.save_notes(session, adviser=officer, appointment_id=appointment.id, notes="别人的")

    action = service.add_action(session, settings=settings, adviser=counsellor, appointment_id=appointment.id,
                                description="一周内投递三份简历", due_on=today() + timedelta(days=7))
    measure = session.get(LedgerMeasure, action.ledger_measure_id)
    assert measure.case_id == case.id and measure.kind == "guidance_session" and "一周内投递三份简历" in measure.description
    assert measure.link is None  # the case's officer may not open the counsellor's appointment and its private notes
    assert service.own_appointment(session, graduate=graduate, appointment_id=appointment.id).actions[0].id == action.id

    outsider = make_graduate(session)  # not in the ledger: the action stays in guidance alone
    other = book(session, settings, outsider, make_guidance_slot(session, counsellor, starts_in=timedelta(days=6)))
    assert service.add_action(session, settings=settings, adviser=counsellor, appointment_id=other.id,
                              description="参加招聘会", due_on=today()).ledger_measure_id is None
    with pytest.raises(Invalid):
        service.add_action(session, settings=settings, adviser=counsellor, appointment_id=other.id,
                           description="过去的日期", due_on=today() - timedelta(days=1))


def test_the_outcome_waits_for_the_time_and_the_video_room_opens_around_it(session, settings):
    officer = make_officer(session)
    graduate = make_graduate(session)
    soon = book(session, settings, graduate, make_guidance_slot(session, officer, starts_in=timedelta(minutes=10),
                                                                  mode="video"))
    assert service.enter_room(session, user=graduate, appointment_id=soon.id).appointment.id == soon.id
    with pytest.raises(NotFound):
        service.enter_room(session, user=make_graduate(session), appointment_id=soon.id)
    with pytest.raises(Conflict):
        service.record_outcome(session, adviser=officer, appointment_id=soon.id, attended=True)

    later = book(session, settings, graduate, make_guidance_slot(session, officer, starts_in=timedelta(days=2),
                                                                   mode="video"))
    with pytest.raises(Conflict):
        service.enter_room(session, user=officer, appointment_id=later.id)
    in_person = book(session, settings, graduate, make_guidance_slot(session, officer, starts_in=timedelta(days=3)))
    with pytest.raises(Conflict):
        service.enter_room(session, user=graduate, appointment_id=in_person.id)

    past_slot = make_guidance_slot(session, officer, starts_in=timedelta(days=5))
    past = book(session, settings, graduate, past_slot)
    past_slot.starts_at = utcnow() - timedelta(minutes=30)
    session.add(past_slot)
    session.commit()
    assert service.record_outcome(session, adviser=officer, appointment_id=past.id, attended=False).status == "missed"
