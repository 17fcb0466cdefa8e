"""Presentations: scheduling rules, review by scope, registration, reminders, who may enter."""
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.clock import utcnow
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.models import Notification
from portal.presentations import service as presentations
from portal.presentations.schemas import PresentationCreate
from tests.factories import (
    make_employer,
    make_graduate,
    make_officer,
    make_position,
    make_presentation,
)

ORIGIN = {"origin": "http://testserver"}



def test_schedule_is_checked_and_hidden_until_approved(session, settings):
    organization, recruiter = make_employer(session)
    other_org, _ = make_employer(session)
    foreign = make_position(session, other_org)
    with pytest.raises(Invalid):
        presentations.schedule(session, user=recruiter, create=PresentationCreate(
            topic="宣讲", starts_at=utcnow() + timedelta(days=1), position_ids=[foreign.id]))
    with pytest.raises(Invalid):
        presentations.schedule(session, user=recruiter, create=PresentationCreate(
            topic="宣讲", starts_at=utcnow() - timedelta(hours=1)))
    pending, presenter = make_presentation(session, settings=settings, approved=False)
    graduate = make_graduate(session)
    with pytest.raises(NotFound):
        presentations.get(session, user=graduate, presentation_id=pending.id)
    assert presentations.upcoming(session) == []
    district_officer = make_officer(session, schools=(), districts=("和平区",))  # the employer is in 滨海新区
    assert presentations.review_queue(session, officer=district_officer) == []
    with pytest.raises(NotFound):
        presentations.decide(session, settings=settings, officer=district_officer, presentation_id=pending.id, approve=True)
    officer = make_officer(session, schools=(), districts=("滨海新区",))
    assert [v.presentation.id for v in presentations.review_queue(session, officer=officer)] == [pending.id]
    presentations.decide(session, settings=settings, officer=officer, presentation_id=pending.id, approve=True)
    assert [v.presentation.id for v in presentations.upcoming(session, q="后端")] == [pending.id]
    kinds = session.exec(select(Notification.kind).where(Notification.user_id == presenter.id)).all()
    assert "presentation.approved" in kinds


def test_register_once_remind_once(session, settings):
    presentation, _ = make_presentation(session, settings=settings, starts_in=timedelta(minutes=40))
    graduate = make_graduate(session)
    presentations.register(session, settings=settings, user=graduate, presentation_id=presentation.id)
    with pytest.raises(Conflict):
        presentations.register(session, settings=settings, user=graduate, presentation_id=presentation.id)
    assert presentations.remind_upcoming(session, settings=settings) == 1
    assert presentations.remind_upcoming(session, settings=settings) == 0
    kinds = session.exec(select(Notification.kind).where(Notification.user_id == graduate.id)).all()
    assert sorted(kinds) == ["presentation.registered", "presentation.reminder"]


def test_only_the_presenter_and_registered_graduates_enter(session, settings):
    presentation, presenter = make_presentation(session, settings=settings)
    graduate, stranger = make_graduate(session), make_graduate(session)
    presentations.register(session, settings=settings, user=graduate, presentation_id=presentation.id)
    assert presentations.enter(session, user=presenter, presentation_id=presentation.id)[1] is True
    assert presentations.enter(session, user=graduate, presentation_id=presentation.id)[1] is False
    with pytest.raises(NotFound):
        presentations.enter(session, user=stranger, presentation_id=presentation.id)
    later, _ = make_presentation(session, settings=settings, starts_in=timedelta(days=1))
    presentations.register(session, settings=settings, user=graduate, presentation_id=later.id)
    with pytest.raises(Conflict):
        presentations.enter(session, user=graduate, presentation_id=later.id)
