"""Traineeships under concurrent requests (PostgreSQL row locks) and the base's capacity: two officers ending one
traineeship at once record it once (never a 500 from the primary key), and hires into a base's traineeships stop at
the trainees it takes at once, concurrent ones included."""
import pytest
from sqlmodel import func, select

from portal.accounts.models import User
from portal.applications import service as applications
from portal.applications.models import Application
from portal.clock import today
from portal.errors import Conflict
from portal.notifications.models import Notification
from portal.traineeships import service
from portal.traineeships.models import TraineeshipCompletion
from portal.traineeships.schemas import CompletionRecord
from tests.concurrency import require_row_locks, run_together
from tests.factories import (
    make_employer,
    make_graduate,
    make_officer,
    make_placement,
    make_position,
    make_traineeship_base,
)


def told(session, user_id: int, kind: str) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.kind == kind)).one()


def test_two_officers_ending_one_traineeship_at_once_record_it_once(engine, session, settings):
    require_row_locks(engine)
    organization, _ = make_employer(session, district="滨海新区")
    make_traineeship_base(session, organization)
    application, _, graduate = make_placement(session, organization)
    school_officer = make_officer(session, schools=("南开大学",))
    district_officer = make_officer(session, schools=(), districts=("滨海新区",))
    end = lambda officer_id, outcome: lambda s: service.record_completion(
        s, settings=settings, officer=s.get(User, officer_id), application_id=application.id,
        record=CompletionRecord(outcome=outcome, ended_on=today()))

    outcomes = run_together(engine, [end(school_officer.id, "completed"), end(district_officer.id, "ended_early")])

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "TraineeshipCompletion"]
    assert len(session.exec(select(TraineeshipCompletion)).all()) == 1
    assert told(session, graduate.id, "traineeship") == 1


def offers_at(session, organization, base, count: int) -> tuple[list[Application], User]:
    """`count` offers, each on its own traineeship post at the base -> (applications, a recruiter)."""
    offers = []
    for _ in range(count):
        position = make_position(session, organization, kind="traineeship", host_base_id=base.id, headcount=5)
        offers.append(Application(position_id=position.id, graduate_id=make_graduate(session).id, status="offer"))
    session.add_all(offers)
    session.commit()
    return offers


def test_a_hire_beyond_the_bases_capacity_is_refused(session, settings):
    organization, recruiter = make_employer(session)
    base = make_traineeship_base(session, organization, capacity=1)
    make_placement(session, organization)  # the base's one place is taken
    (offer,) = offers_at(session, organization, base, 1)
    full_time = Application(position_id=make_position(session, organization).id,
                            graduate_id=make_graduate(session).id, status="offer")
    session.add(full_time)
    session.commit()

    with pytest.raises(Conflict, match="is full"):
        applications.move(session, settings=settings, user=recruiter, application_id=offer.id, status="hired")
    session.rollback()
    session.expire_all()
    assert session.get(Application, offer.id).status == "offer"
    # Other kinds of position are not held to a base's capacity.
    applications.move(session, settings=settings, user=recruiter, application_id=full_time.id, status="hired")

    # Once a trainee's traineeship has ended, the place is free again.
    [placement] = service.placements(session, officer=make_officer(session, city_wide=True))
    service.record_completion(session, settings=settings, officer=make_officer(session, city_wide=True),
                              application_id=placement.application.id,
                              record=CompletionRecord(outcome="completed", ended_on=today()))
    applications.move(session, settings=settings, user=recruiter, application_id=offer.id, status="hired")
    assert service.bases_of(session, base.batch_id)[0].placed == 1


def test_the_full_base_is_a_readable_conflict_on_the_employers_page(session, client_for):
    organization, recruiter = make_employer(session)
    base = make_traineeship_base(session, organization, capacity=1)
    make_placement(session, organization)
    (offer,) = offers_at(session, organization, base, 1)
    client = client_for(recruiter)

    response = client.post(f"/employer/applications/{offer.id}/stage", data={"status": "hired"})

    assert response.status_code == 409
    assert "full" in response.text or "已满" in response.text
    session.expire_all()
    assert session.get(Application, offer.id).status == "offer"


def test_concurrent_hires_at_a_base_never_overshoot_its_capacity(engine, session, settings):
    require_row_locks(engine)
    organization, recruiter = make_employer(session)
    base = make_traineeship_base(session, organization, capacity=1)
    first, second = offers_at(session, organization, base, 2)
    hire = lambda application_id: lambda s: applications.move(
        s, settings=settings, user=s.get(User, recruiter.id), application_id=application_id, status="hired")

    outcomes = run_together(engine, [hire(first.id), hire(second.id)])

    assert sorted(type(o).__name__ for o in outcomes) == ["Application", "Conflict"]
    assert service.placed_counts(session, [organization.id]) == {organization.id: 1}
