"""Headcount holds under concurrent hires (PostgreSQL row locks), and a filled position takes no one else."""
import pytest

from portal.accounts.models import User
from portal.applications import service
from portal.applications.models import Application
from portal.errors import Conflict
from portal.positions.models import Position
from tests.concurrency import require_row_locks, run_together
from tests.factories import make_employer, make_graduate, make_position


def offers_on(session, position, count: int) -> list[Application]:
    applications = [Application(position_id=position.id, graduate_id=make_graduate(session).id, status="offer")
                    for _ in range(count)]
    session.add_all(applications)
    session.commit()
    return applications


def hire(settings, recruiter_id: int, application_id: int):
    return lambda session: service.move(session, settings=settings, user=session.get(User, recruiter_id),
                                        application_id=application_id, status="hired")


def test_two_concurrent_hires_on_a_headcount_of_one_hire_one(engine, session, settings):
    require_row_locks(engine)
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, headcount=1)
    first, second, late = offers_on(session, position, 3)

    outcomes = run_together(engine, [hire(settings, recruiter.id, first.id), hire(settings, recruiter.id, second.id)])

    assert sorted(type(o).__name__ for o in outcomes) == ["Application", "Conflict"]
    assert service.hired_count(session, position.id) == 1
    session.expire_all()
    closed = session.get(Position, position.id)
    assert (closed.status, closed.close_reason) == ("closed", "filled")
    # Once it closed as filled, no later hire gets in either.
    with pytest.raises(Conflict):
        service.move(session, settings=settings, user=recruiter, application_id=late.id, status="hired")
    assert service.hired_count(session, position.id) == 1


def test_the_same_offer_hired_twice_at_once_is_hired_once(engine, session, settings):
    require_row_locks(engine)
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, headcount=3)
    (offer,) = offers_on(session, position, 1)

    outcomes = run_together(engine, [hire(settings, recruiter.id, offer.id)] * 2)

    assert sorted(type(o).__name__ for o in outcomes) == ["Application", "Conflict"]
    session.expire_all()
    assert session.get(Application, offer.id).status == "hired" and service.hired_count(session, position.id) == 1


def test_a_hire_beyond_the_headcount_is_refused(session, settings):
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, headcount=1)
    first, second = offers_on(session, position, 2)
    service.move(session, settings=settings, user=recruiter, application_id=first.id, status="hired")
    with pytest.raises(Conflict):
        service.move(session, settings=settings, user=recruiter, application_id=second.id, status="hired")
    assert session.get(Application, second.id).status == "offer"


def test_a_withdrawal_racing_a_stage_move_leaves_one_consistent_history(engine, session, settings):
    require_row_locks(engine)
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, headcount=1)
    (application,) = offers_on(session, position, 1)
    application.status = "viewed"
    session.add(application)
    session.commit()
    graduate_id = application.graduate_id

    outcomes = run_together(engine, [
        lambda s: service.move(s, settings=settings, user=s.get(User, recruiter.id),
                               application_id=application.id, status="shortlisted"),
        lambda s: service.withdraw(s, settings=settings, user=s.get(User, graduate_id), application_id=application.id),
    ])

    session.expire_all()
    final = session.get(Application, application.id).status
    history = [event.status for event in service.events_of(session, application.id)]
    # Whichever came second saw what the first left: a withdrawal always stands, and a move either came before it
    # or was refused.
    assert not isinstance(outcomes[1], Exception)
    assert final == "withdrawn"
    if isinstance(outcomes[0], Conflict):
        assert "shortlisted" not in history
    else:
        assert history.index("shortlisted") < history.index("withdrawn")
