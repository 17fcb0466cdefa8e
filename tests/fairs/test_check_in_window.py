"""Check-in at the door is open from PORTAL_FAIR_CHECK_IN_OPENS_MINUTES_BEFORE the start (two hours) until the event
ends: a ticket scanned earlier or later is refused with a message saying when, and nobody is checked in."""
from datetime import timedelta

import pytest

from portal.accounts.models import User
from portal.clock import utcnow
from portal.errors import Conflict
from portal.fairs import service as fairs
from portal.fairs import tickets
from portal.fairs.models import Fair
from tests.factories import make_fair, make_graduate


def ticketed(session, settings, **fair_fields):
    fair = make_fair(session, **fair_fields)
    ticket = fairs.register(session, settings=settings, user=make_graduate(session), fair_id=fair.id)
    return fair, ticket, session.get(User, fair.organizer_id)


def test_a_ticket_scanned_before_check_in_opens_is_refused_until_it_does(session, settings):
    fair, ticket, organizer = ticketed(session, settings, starts_in=timedelta(hours=3))
    with pytest.raises(Conflict, match="opens at"):
        fairs.admit(session, settings=settings, user=organizer, fair_id=fair.id, scanned=ticket.code)
    session.refresh(ticket)
    assert ticket.checked_in_at is None
    # An organiser who opens the doors earlier says so in the settings.
    settings.fair_check_in_opens_minutes_before = 4 * 60
    admitted = fairs.admit(session, settings=settings, user=organizer, fair_id=fair.id, scanned=ticket.code)
    assert admitted.ticket.checked_in_at is not None


def test_a_ticket_scanned_within_two_hours_of_the_start_is_admitted(session, settings):
    fair, ticket, organizer = ticketed(session, settings, starts_in=timedelta(minutes=110))
    assert fairs.admit(session, settings=settings, user=organizer, fair_id=fair.id,
                       scanned=ticket.code).ticket.checked_in_at is not None


def test_a_ticket_scanned_after_the_event_ended_is_refused(session, settings):
    fair, ticket, organizer = ticketed(session, settings, starts_in=timedelta(hours=1))
    row = session.get(Fair, fair.id)
    row.starts_at, row.ends_at = utcnow() - timedelta(hours=5), utcnow() - timedelta(minutes=1)
    session.add(row)
    session.commit()
    with pytest.raises(Conflict, match="check-in is closed"):
        fairs.admit(session, settings=settings, user=organizer, fair_id=fair.id, scanned=ticket.code)
    session.refresh(ticket)
    assert ticket.checked_in_at is None


def test_the_door_page_says_when_check_in_opens(session, settings, client_for):
    fair, ticket, organizer = ticketed(session, settings, starts_in=timedelta(days=1))
    door = client_for(organizer)
    refused = door.post(f"/officer/fairs/{fair.id}/check-in", data={"code": tickets.qr_payload(fair.id, ticket.code)},
                        headers={"HX-Request": "true"})
    assert refused.status_code == 409 and 'data-result="refused"' in refused.text
    assert "签到将于" in refused.text
    session.refresh(ticket)
    assert ticket.checked_in_at is None
