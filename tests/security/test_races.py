"""Money and seats under concurrency on PostgreSQL: the same decision made twice at the same moment counts once."""
import pytest
from sqlmodel import select

from portal.accounts.models import GraduateProfile, User
from portal.competitions import service as competitions
from portal.competitions.models import ConflictOfInterest, Score
from portal.enrolment import service as enrolment
from portal.enrolment.models import EnrolmentChange
from portal.enrolment.schemas import EnrolmentChangeCreate
from portal.subsidies import service as subsidies
from portal.subsidies.models import SubsidyEvent
from tests.concurrency import require_row_locks, run_together
from tests.competitions.test_service import advance
from tests.factories import (
    make_competition, make_entry, make_graduate, make_judge, make_officer, make_subsidy_claim,
)

pytestmark = pytest.mark.parametrize("database", ["postgres"], indirect=True)


def test_a_subsidy_marked_paid_by_two_officers_at_once_is_paid_once(engine, session, settings):
    require_row_locks(engine)
    application, _ = make_subsidy_claim(session, settings)
    officers = [make_officer(session, email=f"finance{n}@jinying.gov.cn") for n in (1, 2, 3, 4)]
    subsidies.approve(session, settings=settings, officer=officers[0], application_id=application.id, amount=1800)

    def pay(officer_id: int, reference: str):
        return lambda s: subsidies.record_payment(s, settings=settings, officer=s.get(User, officer_id),
                                                  application_id=application.id, reference=reference)

    outcomes = run_together(engine, [pay(officer.id, f"TJCZ-{n}") for n, officer in enumerate(officers)])
    assert sum(not isinstance(outcome, Exception) for outcome in outcomes) == 1, outcomes
    payments = session.exec(select(SubsidyEvent).where(SubsidyEvent.application_id == application.id,
                                                       SubsidyEvent.action == "paid")).all()
    assert len(payments) == 1


def test_an_enrolment_change_approved_and_rejected_at_once_is_decided_once(engine, session, settings):
    """Before, both decisions went through: the profile took the new school while the request read 'rejected'."""
    require_row_locks(engine)
    graduate = make_graduate(session)
    change = enrolment.request_change(session, settings=settings, user=graduate, change=EnrolmentChangeCreate(
        school="天津大学", student_number="2022TJ001", degree="master", graduation_year=2026))
    officers = [make_officer(session, schools=("天津大学",)) for _ in range(4)]

    def decide(officer_id: int, approve: bool):
        return lambda s: enrolment.decide(s, settings=settings, officer=s.get(User, officer_id), change_id=change.id,
                                          approve=approve)

    outcomes = run_together(engine, [decide(officer.id, n % 2 == 0) for n, officer in enumerate(officers)])
    won = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    assert len(won) == 1, outcomes
    session.expire_all()
    moved = session.get(GraduateProfile, graduate.id).school == "天津大学"
    assert session.get(EnrolmentChange, change.id).status == ("approved" if moved else "rejected")


def test_a_judge_scoring_and_declaring_a_conflict_at_once_does_only_one(engine, session, settings):
    """Two tabs: one declares a conflict with the team, the other scores it. Both went through before, and the score
    of a judge with a declared conflict counted in the team's result."""
    require_row_locks(engine)
    competition, (track, _) = make_competition(session)
    entries = [make_entry(session, settings, competition, track) for _ in range(4)]
    judge = make_judge(session, settings, competition, track)
    advance(session, settings, competition, "start_judging")
    for entry in entries:
        run_together(engine, [
            lambda s, e=entry.id: competitions.score(s, judge=s.get(User, judge.id), entry_id=e, marks=[8, 8, 8]),
            lambda s, e=entry.id: competitions.declare_conflict(s, judge=s.get(User, judge.id), entry_id=e,
                                                                 reason="导师是团队成员的亲属"),
        ])
    session.expire_all()
    scored = {row.entry_id for row in session.exec(select(Score).where(Score.judge_id == judge.id))}
    declared = {row.entry_id for row in session.exec(select(ConflictOfInterest).where(
        ConflictOfInterest.judge_id == judge.id))}
    assert not scored & declared and len(scored | declared) == len(entries)
