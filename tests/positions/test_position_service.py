"""The position lifecycle through the services: drafting, review, publication, lapsing, closing."""
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.clock import today, utcnow
from portal.employers.models import OrganizationStatus
from portal.errors import Conflict, Invalid, NotFound
from portal.positions import service
from portal.positions.models import CloseReason, Position, PositionStatus
from portal.positions.schemas import PositionCreate, PositionUpdate
from search.models import SearchOutbox
from tests.factories import make_employer, make_graduate, make_officer, make_position, position_data


def queued(session) -> list[int]:
    return [row.entity_id for row in session.exec(select(SearchOutbox).order_by(SearchOutbox.id))]


@pytest.fixture
def employer(session):
    return make_employer(session)


@pytest.fixture
def officer(session):
    return make_officer(session, city_wide=True)


def test_draft_submit_approve_publishes_and_enqueues(session, employer, officer):
    _organization, recruiter = employer
    position = service.create_position(session, user=recruiter, position=PositionCreate(**position_data()))
    assert position.status == "draft" and position.created_by_id == recruiter.id
    assert queued(session) == []
    service.submit_position(session, user=recruiter, position_id=position.id)
    assert position.status == "pending_review"
    with pytest.raises(Conflict, match="already waiting"):
        service.submit_position(session, user=recruiter, position_id=position.id)
    service.approve_position(session, officer=officer, position_id=position.id)
    assert position.status == "published" and position.published_at and position.reconfirmed_at
    assert queued(session) == [position.id]
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "position.approve")).one().actor_id == officer.id
    assert session.exec(select(Position).where(service.open_positions_filter())).all() == [position]


def test_rejected_position_shows_the_reason_and_can_be_fixed_and_resubmitted(session, employer, officer):
    _organization, recruiter = employer
    position = service.create_position(session, user=recruiter, position=PositionCreate(**position_data()))
    service.submit_position(session, user=recruiter, position_id=position.id)
    with pytest.raises(Invalid):
        service.reject_position(session, officer=officer, position_id=position.id, reason="")
    service.reject_position(session, officer=officer, position_id=position.id, reason="薪资描述不清楚，请写明试用期薪资")
    assert position.status == "rejected" and "试用期" in position.review_note
    service.update_position(session, user=recruiter, position_id=position.id,
                            changes=PositionUpdate(description="试用期 6000 元，转正后 8000-9000 元，五险一金。"))
    service.submit_position(session, user=recruiter, position_id=position.id)
    service.approve_position(session, officer=officer, position_id=position.id)
    assert position.status == "published" and position.review_note is None


def test_unverified_employer_can_draft_but_not_submit(session):
    _organization, recruiter = make_employer(session, status=OrganizationStatus.pending)
    position = service.create_position(session, user=recruiter, position=PositionCreate(**position_data()))
    with pytest.raises(Conflict, match="verification"):
        service.submit_position(session, user=recruiter, position_id=position.id)
    assert session.get(Position, position.id).status == "draft"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"salary_min": 9000, "salary_max": 6000}, "salary_max"),
        ({"deadline": (today() - timedelta(days=1)).isoformat()}, "deadline"),
        ({"headcount": 0}, "headcount"),
        ({"district": "朝阳区"}, "district"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_fields_are_refused_by_field(overrides, field):
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        PositionCreate(**position_data(**overrides))
    assert caught.value.errors()[0]["loc"] == (field,)


def test_partial_update_is_checked_against_the_whole_and_changes_nothing_when_bad(session, employer):
    _organization, recruiter = employer
    position = service.create_position(session, user=recruiter, position=PositionCreate(**position_data()))
    with pytest.raises(Invalid) as caught:
        service.update_position(session, user=recruiter, position_id=position.id, changes=PositionUpdate(salary_max=100))
    assert caught.value.field == "salary_max"
    session.expire_all()
    assert session.get(Position, position.id).salary_max == 9000


def test_editing_a_published_position_sends_it_back_to_review(session, employer, officer):
    organization, recruiter = employer
    position = make_position(session, organization)
    service.update_position(session, user=recruiter, position_id=position.id, changes=PositionUpdate(title="高级数据分析师"))
    assert position.status == "pending_review" and position.id in queued(session)
    assert session.exec(select(Position).where(service.open_positions_filter())).all() == []


def test_recruiters_cannot_touch_another_organisations_positions(session, employer):
    other_organization, _ = make_employer(session)
    _organization, recruiter = employer
    theirs = make_position(session, other_organization, status=PositionStatus.draft)
    for action in (service.submit_position, service.close_position, service.reconfirm_position):
        with pytest.raises(NotFound):
            action(session, user=recruiter, position_id=theirs.id)
    with pytest.raises(NotFound):
        service.update_position(session, user=recruiter, position_id=theirs.id, changes=PositionUpdate(title="偷改"))
    with pytest.raises(NotFound):
        service.position_for_viewer(session, user=recruiter, position_id=theirs.id)
    assert service.position_for_viewer(session, user=None, position_id=make_position(session, other_organization).id)


def test_visibility_of_unpublished_positions(session, employer, officer):
    organization, recruiter = employer
    draft = make_position(session, organization, status=PositionStatus.draft)
    graduate = make_graduate(session)
    for viewer in (None, graduate):
        with pytest.raises(NotFound):
            service.position_for_viewer(session, user=viewer, position_id=draft.id)
    assert service.position_for_viewer(session, user=recruiter, position_id=draft.id).is_own
    assert service.position_for_viewer(session, user=officer, position_id=draft.id).is_officer
    elsewhere = make_officer(session, districts=["蓟州区"])
    with pytest.raises(NotFound):
        service.position_for_viewer(session, user=elsewhere, position_id=draft.id)


def test_past_deadline_is_not_open_even_before_the_job_runs(session, employer, settings):
    organization, _ = employer
    stale = make_position(session, organization, deadline=today() - timedelta(days=1))
    fresh = make_position(session, organization)
    assert [p.id for p in session.exec(select(Position).where(service.open_positions_filter()))] == [fresh.id]
    assert not service.is_open(stale, organization)
    with pytest.raises(NotFound):
        service.position_for_viewer(session, user=None, position_id=stale.id)


def test_close_lapsed_positions_expires_by_deadline_and_by_silence(session, employer, settings):
    organization, recruiter = employer
    long_ago = utcnow() - timedelta(days=settings.position_reconfirm_days + 1)
    past_deadline = make_position(session, organization, deadline=today() - timedelta(days=1))
    silent = make_position(session, organization, published_at=long_ago, reconfirmed_at=long_ago)
    reconfirmed = make_position(session, organization, published_at=long_ago, reconfirmed_at=utcnow() - timedelta(days=2))
    draft = make_position(session, organization, status=PositionStatus.draft, deadline=today() - timedelta(days=1))

    assert service.close_lapsed_positions(session, settings=settings, search=None) == 2
    session.expire_all()
    assert (session.get(Position, past_deadline.id).status, session.get(Position, past_deadline.id).close_reason) == (
        "expired", CloseReason.deadline)
    assert (session.get(Position, silent.id).status, session.get(Position, silent.id).close_reason) == (
        "expired", CloseReason.not_reconfirmed)
    assert session.get(Position, reconfirmed.id).status == "published"
    assert session.get(Position, draft.id).status == "draft"
    assert sorted(queued(session)) == sorted([past_deadline.id, silent.id])
    assert service.close_lapsed_positions(session, settings=settings, search=None) == 0  # idempotent

    # "Still hiring" brings back a position that lapsed only for want of reconfirmation.
    service.reconfirm_position(session, user=recruiter, position_id=silent.id)
    assert session.get(Position, silent.id).status == "published"
    with pytest.raises(Conflict):
        service.reconfirm_position(session, user=recruiter, position_id=past_deadline.id)


def test_reconfirm_restarts_the_clock_and_reminders_list_what_is_due(session, employer, settings):
    organization, recruiter = employer
    due_soon = make_position(session, organization, reconfirmed_at=utcnow() - timedelta(days=27),
                             published_at=utcnow() - timedelta(days=27))
    make_position(session, organization)
    reminders = service.reconfirmation_reminders(session, user=recruiter, settings=settings)
    assert [p.id for p, _ in reminders] == [due_soon.id]
    assert reminders[0][1] == (due_soon.reconfirmed_at + timedelta(days=30)).date()
    service.reconfirm_position(session, user=recruiter, position_id=due_soon.id)
    assert service.reconfirmation_reminders(session, user=recruiter, settings=settings) == []


def test_employer_closes_and_cannot_close_twice_or_edit(session, employer):
    organization, recruiter = employer
    position = make_position(session, organization)
    service.close_position(session, user=recruiter, position_id=position.id)
    assert position.status == "closed" and position.close_reason == "by_employer" and position.id in queued(session)
    with pytest.raises(Conflict):
        service.close_position(session, user=recruiter, position_id=position.id)
    with pytest.raises(Conflict):
        service.update_position(session, user=recruiter, position_id=position.id, changes=PositionUpdate(title="再开"))
    copy = service.duplicate_position(session, user=recruiter, position_id=position.id)
    assert copy.status == "draft" and copy.title == position.title and copy.id != position.id


def test_officer_outside_the_district_cannot_review(session, employer):
    organization, recruiter = employer
    position = make_position(session, organization, status=PositionStatus.pending_review, district="滨海新区")
    elsewhere = make_officer(session, districts=["蓟州区"])
    with pytest.raises(NotFound):
        service.approve_position(session, officer=elsewhere, position_id=position.id)
    assert service.review_queue(session, officer=elsewhere).total == 0
    assert service.review_queue(session, officer=make_officer(session, districts=["滨海新区"])).total == 1


def test_approving_needs_a_verified_employer(session, officer):
    organization, _ = make_employer(session, status=OrganizationStatus.suspended)
    position = make_position(session, organization, status=PositionStatus.pending_review)
    with pytest.raises(Conflict):
        service.approve_position(session, officer=officer, position_id=position.id)


def test_the_job_reminds_once_before_a_lapse_and_tells_when_it_lapses(session, employer, settings):
    from portal.notifications.models import Notification

    organization, recruiter = employer
    nearly = utcnow() - timedelta(days=settings.position_reconfirm_days - 2)
    position = make_position(session, organization, published_at=nearly, reconfirmed_at=nearly)
    make_position(session, organization)  # fresh: no reminder
    service.close_lapsed_positions(session, settings=settings)
    service.close_lapsed_positions(session, settings=settings)
    kinds = [n.kind for n in session.exec(select(Notification).where(Notification.user_id == recruiter.id))]
    assert kinds == ["position.reconfirm"]

    gone = utcnow() - timedelta(days=settings.position_reconfirm_days + 1)
    position.reconfirmed_at = gone
    session.add(position)
    session.commit()
    service.close_lapsed_positions(session, settings=settings)
    kinds = [n.kind for n in session.exec(select(Notification).where(Notification.user_id == recruiter.id))]
    assert kinds == ["position.reconfirm", "position.lapsed"]


def test_the_scheduler_runs_the_job(app, session, employer):
    from portal.scheduler import SCHEDULED_JOBS, run_jobs_once

    assert "portal.positions.service:close_lapsed_positions" in SCHEDULED_JOBS
    organization, _ = employer
    stale = make_position(session, organization, deadline=today() - timedelta(days=2))
    run_jobs_once(app.state)
    session.expire_all()
    assert session.get(Position, stale.id).status == "expired"
