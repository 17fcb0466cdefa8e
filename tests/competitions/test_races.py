"""Organisers acting at once on one competition (PostgreSQL row locks): the results are published once and each team
told once, an award and the publication are applied one after the other, an incubation request is answered once."""
from sqlmodel import func, select

from portal.accounts.models import User
from portal.competitions import service
from portal.competitions.models import Competition, CompetitionEntry
from portal.errors import Conflict
from portal.notifications.models import Notification
from tests.concurrency import require_row_locks, run_together
from tests.factories import make_competition, make_entry, make_judge


def told(session, user_id: int, title: str) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.title == title)).one()


def closed_round(session, settings):
    """A competition whose round has closed, with one scored entry -> (competition, entry, organiser)."""
    competition, (ai, _) = make_competition(session)
    entry = make_entry(session, settings, competition, ai)
    judge = make_judge(session, settings, competition, ai)
    organizer = session.get(User, competition.organizer_id)
    service.advance(session, settings=settings, officer=organizer, competition_id=competition.id, step="start_judging")
    service.score(session, judge=judge, entry_id=entry.id, marks=[9, 8, 7])
    service.advance(session, settings=settings, officer=organizer, competition_id=competition.id, step="close_round")
    return competition, entry, organizer


def step(settings, organizer_id: int, competition_id: int, name: str):
    return lambda s: service.advance(s, settings=settings, officer=s.get(User, organizer_id),
                                     competition_id=competition_id, step=name)


def test_results_published_twice_at_once_are_published_once_and_the_team_told_once(engine, session, settings):
    require_row_locks(engine)
    competition, entry, organizer = closed_round(session, settings)

    outcomes = run_together(engine, [step(settings, organizer.id, competition.id, "publish_results")] * 2)

    assert sorted(type(o).__name__ for o in outcomes) == ["Competition", "Conflict"]
    assert told(session, entry.leader_id, "Results of %(competition)s are out") == 1


def test_an_award_racing_the_publication_is_in_the_results_or_refused(engine, session, settings):
    require_row_locks(engine)
    competition, entry, organizer = closed_round(session, settings)

    outcomes = run_together(engine, [
        lambda s: service.set_award(s, officer=s.get(User, organizer.id), entry_id=entry.id, award="一等奖"),
        step(settings, organizer.id, competition.id, "publish_results"),
    ])

    assert isinstance(outcomes[1], Competition)
    session.expire_all()
    award = session.get(CompetitionEntry, entry.id).award
    assert (award, type(outcomes[0]).__name__) in (("一等奖", "CompetitionEntry"), (None, "Conflict"))


def test_an_incubation_request_answered_twice_at_once_is_answered_once(engine, session, settings):
    require_row_locks(engine)
    competition, entry, organizer = closed_round(session, settings)
    service.set_award(session, officer=organizer, entry_id=entry.id, award="一等奖")
    service.advance(session, settings=settings, officer=organizer, competition_id=competition.id, step="publish_results")
    leader = session.get(User, entry.leader_id)
    service.request_incubation(session, settings=settings, leader=leader, entry_id=entry.id, needs="需要场地")
    answer = lambda offer: lambda s: service.answer_incubation(
        s, settings=settings, officer=s.get(User, organizer.id), entry_id=entry.id, offer=offer, answer="已答复")

    outcomes = run_together(engine, [answer(True), answer(False)])

    assert sorted(type(o).__name__ for o in outcomes) == ["CompetitionEntry", "Conflict"]
    assert told(session, leader.id, "An answer about incubation support for %(project)s") == 1


def test_incubation_asked_twice_at_once_is_asked_once(engine, session, settings):
    require_row_locks(engine)
    competition, entry, organizer = closed_round(session, settings)
    service.set_award(session, officer=organizer, entry_id=entry.id, award="一等奖")
    service.advance(session, settings=settings, officer=organizer, competition_id=competition.id, step="publish_results")
    ask = lambda s: service.request_incubation(s, settings=settings, leader=s.get(User, entry.leader_id),
                                               entry_id=entry.id, needs="需要场地")

    outcomes = run_together(engine, [ask, ask])

    assert sorted(type(o).__name__ for o in outcomes) == ["CompetitionEntry", "Conflict"]
    assert told(session, organizer.id, "%(project)s asks for incubation support") == 1
