"""Recruitment events: creating fairs, employers taking part, e-tickets, capacity under concurrency, check-in,
and the chat of online fairs."""
import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portal.accounts.models import User
from portal.clock import utcnow
from portal.errors import Conflict, Invalid, NotFound
from portal.fairs import service as fairs
from portal.fairs import tickets
from portal.fairs.models import FairTicket
from portal.fairs.schemas import ExhibitRequest, FairCreate
from tests.factories import (
    make_employer,
    make_exhibitor,
    make_fair,
    make_graduate,
    make_officer,
    make_position,
)


def test_fair_rules(session):
    officer = make_officer(session, city_wide=True)
    start = utcnow() + timedelta(days=2)
    base = dict(kind="on_site", title="专场", starts_at=start, ends_at=start + timedelta(hours=3),
                registration_deadline=start, capacity=10, venue="会展中心", booths=5)
    with pytest.raises(Invalid):
        fairs.create_fair(session, user=officer, create=FairCreate(**{**base, "ends_at": start - timedelta(hours=1)}))
    with pytest.raises(Invalid):
        fairs.create_fair(session, user=officer, create=FairCreate(**{**base, "booths": 0}))
    with pytest.raises(NotFound):
        fairs.create_fair(session, user=make_graduate(session), create=FairCreate(**base))
    fair = fairs.create_fair(session, user=officer, create=FairCreate(**base))
    assert [f.id for f in fairs.upcoming(session, q="会展")] == [fair.id]
    with pytest.raises(NotFound):
        fairs.organizer_fair(session, user=make_officer(session), fair_id=fair.id)


def test_employers_take_part_with_their_positions_and_a_free_booth(session, settings):
    fair = make_fair(session, sectors=["information_technology"])
    exhibitor, organization, recruiter, position = make_exhibitor(session, fair, settings=settings, approved=False, booth=3)
    assert fairs.exhibitors(session, fair_id=fair.id) == []  # not approved yet
    rival_organization, rival = make_employer(session)
    rival_position = make_position(session, rival_organization)
    with pytest.raises(Invalid):  # booth 3 is taken
        fairs.request_to_exhibit(session, settings=settings, user=rival, fair_id=fair.id,
                                 request=ExhibitRequest(position_ids=[rival_position.id], booth=3))
    with pytest.raises(Invalid):  # someone else's position
        fairs.request_to_exhibit(session, settings=settings, user=rival, fair_id=fair.id,
                                 request=ExhibitRequest(position_ids=[position.id], booth=4))
    with pytest.raises(Conflict):  # twice
        fairs.request_to_exhibit(session, settings=settings, user=recruiter, fair_id=fair.id,
                                 request=ExhibitRequest(position_ids=[position.id], booth=5))
    _, banker = make_employer(session, industry="finance")
    with pytest.raises(Conflict):
        fairs.request_to_exhibit(session, settings=settings, user=banker, fair_id=fair.id,
                                 request=ExhibitRequest(position_ids=[1], booth=6))
    fairs.decide_exhibitor(session, settings=settings, user=session.get(User, fair.organizer_id),
                           fair_id=fair.id, exhibitor_id=exhibitor.id, approve=True)
    found = fairs.exhibitors(session, fair_id=fair.id, q=position.title[:6])
    assert [v.organization.id for v in found] == [organization.id] and found[0].positions[0].id == position.id
    assert fairs.exhibitors(session, fair_id=fair.id, q="没有这家") == []


def test_tickets_are_unique_signed_and_admit_once(session, settings):
    fair = make_fair(session, starts_in=timedelta(hours=1))  # check-in opens two hours before the start
    organizer = session.get(User, fair.organizer_id)
    graduate = make_graduate(session)
    ticket = fairs.register(session, settings=settings, user=graduate, fair_id=fair.id)
    with pytest.raises(Conflict):
        fairs.register(session, settings=settings, user=graduate, fair_id=fair.id)
    assert tickets.read(settings.secret_key, fair.id, ticket.code) == ticket.code
    forged = ticket.code[:-1] + ("A" if ticket.code[-1] != "A" else "B")
    with pytest.raises(Invalid):
        fairs.admit(session, settings=settings, user=organizer, fair_id=fair.id, scanned=forged)
    other_fair = make_fair(session, organizer=organizer, starts_in=timedelta(hours=1))
    with pytest.raises(Invalid):  # a genuine ticket of another event
        fairs.admit(session, settings=settings, user=organizer, fair_id=other_fair.id,
                    scanned=tickets.qr_payload(fair.id, ticket.code))
    with pytest.raises(NotFound):  # not the organiser
        fairs.admit(session, settings=settings, user=make_officer(session), fair_id=fair.id, scanned=ticket.code)
    admitted = fairs.admit(session, settings=settings, user=organizer, fair_id=fair.id,
                           scanned=tickets.qr_payload(fair.id, ticket.code))
    assert admitted.graduate.id == graduate.id and admitted.ticket.checked_in_at is not None
    with pytest.raises(Conflict):
        fairs.admit(session, settings=settings, user=organizer, fair_id=fair.id, scanned=ticket.code.lower())


def test_deadline_and_capacity_hold_when_graduates_race(session, engine, settings):
    closed = make_fair(session, registration_deadline=utcnow() + timedelta(seconds=1))
    row = fairs.get(session, fair_id=closed.id)
    row.registration_deadline = utcnow() - timedelta(minutes=1)
    session.add(row)
    session.commit()
    with pytest.raises(Conflict):
        fairs.register(session, settings=settings, user=make_graduate(session), fair_id=closed.id)
    fair = make_fair(session, capacity=3)
    graduates = [make_graduate(session) for _ in range(8)]
    outcomes: list[str] = []
    start = threading.Barrier(len(graduates))

    def register(graduate):
        with Session(engine, expire_on_commit=False) as own:
            start.wait()
            try:
                fairs.register(own, settings=settings, user=graduate, fair_id=fair.id)
                outcomes.append("ticket")
            except Conflict:
                outcomes.append("full")

    threads = [threading.Thread(target=register, args=(g,)) for g in graduates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["full"] * 5 + ["ticket"] * 3
    assert len(session.exec(select(FairTicket).where(FairTicket.fair_id == fair.id)).all()) == 3


def test_online_fair_chat_is_between_the_graduate_and_the_exhibitor(session, settings):
    fair = make_fair(session, kind="online")
    _, organization, recruiter, _ = make_exhibitor(session, fair, settings=settings, booth=None)
    fair.starts_at = utcnow() - timedelta(minutes=10)  # the fair is on
    session.add(fair)
    session.commit()
    graduate, other = make_graduate(session), make_graduate(session)
    room = dict(fair_id=fair.id, organization_id=organization.id, graduate_id=graduate.id)
    fairs.post_message(session, user=graduate, body="请问还招实习生吗？", **room)
    fairs.post_message(session, user=recruiter, body="招的，欢迎投递。", **room)
    assert [m.body for m in fairs.chat_messages(session, user=recruiter, **room)] == ["请问还招实习生吗？", "招的，欢迎投递。"]
    with pytest.raises(NotFound):
        fairs.chat_messages(session, user=other, **room)
    _, stranger = make_employer(session)
    with pytest.raises(NotFound):
        fairs.post_message(session, user=stranger, body="hi", **room)
    assert [c.graduate.id for c in fairs.conversations(session, user=recruiter, fair_id=fair.id)] == [graduate.id]
