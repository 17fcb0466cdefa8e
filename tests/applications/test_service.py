"""Applying, withdrawing and stage moves, through the service functions."""
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.applications import service
from portal.applications.models import Application, ApplicationEvent
from portal.clock import today
from portal.employers.models import OrganizationStatus
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.models import Notification
from portal.positions.models import PositionStatus
from portal.resumes import service as resumes
from portal.resumes.schemas import ResumeUpdate
from search.models import SearchOutbox
from tests.factories import make_application, make_employer, make_graduate, make_position, make_resume
from tests.resumes.test_resumes import real_pdf


@pytest.fixture
def world(session):
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, headcount=1)
    graduate = make_graduate(session)
    make_resume(session, graduate)
    return organization, recruiter, position, graduate


def notifications_of(session, user):
    return list(session.exec(select(Notification).where(Notification.user_id == user.id)))


def test_apply_keeps_a_snapshot_that_later_edits_do_not_change(session, settings, world):
    organization, recruiter, position, graduate = world
    application = service.apply(session, settings=settings, user=graduate, position_id=position.id, cover_note=" 你好 ")
    assert application.status == "received" and application.cover_note == "你好"
    assert application.resume_snapshot["resume"]["headline"] == "后端开发方向应届生"
    assert application.resume_snapshot["profile"]["school"] == "南开大学"
    resumes.update_resume(session, user=graduate, update=ResumeUpdate(headline="完全不同的标题"))
    session.expire_all()
    stored = session.get(Application, application.id)
    assert stored.resume_snapshot["resume"]["headline"] == "后端开发方向应届生"
    assert [n.kind for n in notifications_of(session, recruiter)] == ["application.received"]
    assert [n.kind for n in notifications_of(session, graduate)] == ["application.sent"]


def test_second_application_is_refused_and_changes_nothing(session, settings, world):
    _, _, position, graduate = world
    service.apply(session, settings=settings, user=graduate, position_id=position.id)
    with pytest.raises(Conflict, match="already applied"):
        service.apply(session, settings=settings, user=graduate, position_id=position.id)
    assert len(session.exec(select(Application)).all()) == 1
    assert len(session.exec(select(ApplicationEvent)).all()) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(status=PositionStatus.closed), "no longer taking"),
        (dict(status=PositionStatus.expired), "no longer taking"),
        (dict(deadline=today() - timedelta(days=1)), "deadline"),
    ],
)
def test_closed_or_expired_positions_refuse_applications(session, settings, world, change, message):
    organization, _, _, graduate = world
    position = make_position(session, organization, **change)
    with pytest.raises(Conflict, match=message):
        service.apply(session, settings=settings, user=graduate, position_id=position.id)
    assert session.exec(select(Application)).all() == []


def test_drafts_unknown_and_unverified_employers(session, settings, world):
    organization, _, _, graduate = world
    draft = make_position(session, organization, status=PositionStatus.draft)
    with pytest.raises(NotFound):
        service.apply(session, settings=settings, user=graduate, position_id=draft.id)
    with pytest.raises(NotFound):
        service.apply(session, settings=settings, user=graduate, position_id=999999)
    pending_org, _ = make_employer(session, status=OrganizationStatus.pending)
    pending_position = make_position(session, pending_org)
    with pytest.raises(Conflict, match="not verified"):
        service.apply(session, settings=settings, user=graduate, position_id=pending_position.id)


def test_a_resume_is_needed_to_apply(session, settings, world):
    _, _, position, _ = world
    newcomer = make_graduate(session)
    with pytest.raises(Invalid, match="resume"):
        service.apply(session, settings=settings, user=newcomer, position_id=position.id)


def test_stage_moves_follow_the_pipeline_and_fill_the_position(session, settings, world):
    _, recruiter, position, graduate = world
    application = service.apply(session, settings=settings, user=graduate, position_id=position.id)
    view = service.mark_viewed(session, settings=settings, user=recruiter, application_id=application.id)
    assert view.application.status == "viewed" and view.application.first_response_at is not None
    first = view.application.first_response_at
    with pytest.raises(Conflict):
        service.move(session, settings=settings, user=recruiter, application_id=application.id, status="hired")
    with pytest.raises(Invalid):
        service.move(session, settings=settings, user=recruiter, application_id=application.id, status="nonsense")
    for stage in ("shortlisted", "interview", "offer"):
        service.move(session, settings=settings, user=recruiter, application_id=application.id, status=stage,
                     message="周三上午十点面试" if stage == "interview" else None)
    with pytest.raises(Conflict):
        service.move(session, settings=settings, user=recruiter, application_id=application.id, status="shortlisted")
    service.move(session, settings=settings, user=recruiter, application_id=application.id, status="hired")
    session.expire_all()
    stored = session.get(Application, application.id)
    assert stored.status == "hired" and stored.first_response_at == first
    statuses = [e.status for e in service.events_of(session, application.id)]
    assert statuses == ["received", "viewed", "shortlisted", "interview", "offer", "hired"]
    assert any(e.message == "周三上午十点面试" for e in service.events_of(session, application.id))
    filled = session.get(type(position), position.id)
    assert filled.status == "closed" and filled.close_reason == "filled"
    assert session.exec(select(SearchOutbox).where(SearchOutbox.entity == "position",
                                                   SearchOutbox.entity_id == position.id)).first()
    kinds = [n.kind for n in notifications_of(session, graduate)]
    assert kinds[0] == "application.sent" and "application.hired" in kinds and "application.interview" in kinds


def test_rejection_with_message_and_withdrawn_applications_stay_put(session, settings, world):
    organization, recruiter, position, graduate = world
    application = service.apply(session, settings=settings, user=graduate, position_id=position.id)
    service.move(session, settings=settings, user=recruiter, application_id=application.id, status="rejected",
                 message="感谢关注，岗位已满")
    assert service.events_of(session, application.id)[-1].message == "感谢关注，岗位已满"
    with pytest.raises(Conflict):
        service.withdraw(session, settings=settings, user=graduate, application_id=application.id)

    other = make_position(session, organization)
    second = service.apply(session, settings=settings, user=graduate, position_id=other.id)
    service.withdraw(session, settings=settings, user=graduate, application_id=second.id)
    with pytest.raises(Conflict, match="withdrawn"):
        service.move(session, settings=settings, user=recruiter, application_id=second.id, status="shortlisted")
    with pytest.raises(Conflict, match="already applied"):
        service.apply(session, settings=settings, user=graduate, position_id=other.id)


def test_other_people_reach_nothing(session, settings, world):
    _, recruiter, position, graduate = world
    application = make_application(session, graduate, position, settings=settings)
    stranger = make_graduate(session)
    _, other_recruiter = make_employer(session)
    with pytest.raises(NotFound):
        service.get_for_graduate(session, user=stranger, application_id=application.id)
    with pytest.raises(NotFound):
        service.withdraw(session, settings=settings, user=stranger, application_id=application.id)
    with pytest.raises(NotFound):
        service.get_for_recruiter(session, user=other_recruiter, application_id=application.id)
    with pytest.raises(NotFound):
        service.move(session, settings=settings, user=other_recruiter, application_id=application.id, status="shortlisted")
    with pytest.raises(NotFound):
        service.list_applicants(session, user=other_recruiter, position_id=position.id)
    with pytest.raises(NotFound):
        service.move(session, settings=settings, user=graduate, application_id=application.id, status="shortlisted")
    _, rows, counts = service.list_applicants(session, user=recruiter, position_id=position.id)
    assert [r.application.id for r in rows] == [application.id] and counts == {"received": 1}


def test_a_racing_double_submission_is_stopped_by_the_database(session, settings, engine, world):
    """Two submissions pass the 'already applied?' check together; the unique constraint keeps one."""
    from sqlalchemy import event
    from sqlmodel import Session

    _, _, position, graduate = world
    resumes.upload_pdf(session, settings=settings, user=graduate, filename="r.pdf", chunks=[real_pdf()])
    raced = []

    def the_other_tab_wins(flushing_session, _context, _instances):
        if raced:
            return
        raced.append(True)
        with Session(engine, expire_on_commit=False) as other:
            service.apply(other, settings=settings, user=other.get(type(graduate), graduate.id), position_id=position.id)

    event.listen(session, "before_flush", the_other_tab_wins)
    try:
        with pytest.raises(Conflict, match="already applied"):
            service.apply(session, settings=settings, user=graduate, position_id=position.id)
    finally:
        event.remove(session, "before_flush", the_other_tab_wins)
    assert raced
    rows = session.exec(select(Application)).all()
    assert len(rows) == 1
    copies = list((settings.uploads_dir / "applications").glob("*.pdf"))
    assert [p.name for p in copies] == [rows[0].resume_pdf_file.split("/")[1]]  # the loser's copy is gone


def test_filling_the_position_tells_the_graduates_still_waiting(session, settings, world):
    _, recruiter, position, graduate = world
    hired = service.apply(session, settings=settings, user=graduate, position_id=position.id)
    waiting_graduate = make_graduate(session)
    make_resume(session, waiting_graduate)
    waiting = service.apply(session, settings=settings, user=waiting_graduate, position_id=position.id)
    for stage in ("interview", "offer", "hired"):
        service.move(session, settings=settings, user=recruiter, application_id=hired.id, status=stage)
    told = [n for n in notifications_of(session, waiting_graduate) if n.kind == "position.filled"]
    assert len(told) == 1 and told[0].link == f"/me/applications/{waiting.id}"
    assert not [n for n in notifications_of(session, graduate) if n.kind == "position.filled"]
    assert session.get(Application, waiting.id).status == "received"  # still theirs to see; the employer decides
