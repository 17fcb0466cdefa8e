"""Two officers deciding one presentation at once, or a decision racing the employer's cancellation (PostgreSQL row
locks): the second sees what the first left and gets a Conflict; the recruiters are told once."""
from sqlmodel import func, select

from portal.accounts.models import User
from portal.audit.models import AuditEntry
from portal.errors import Conflict
from portal.notifications.models import Notification
from portal.presentations import service as presentations
from portal.presentations.models import Presentation
from tests.concurrency import require_row_locks, run_together
from tests.factories import make_officer, make_presentation


def told(session, user_id: int) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.kind.like("presentation.%"))).one()


def decisions(session, presentation_id: int) -> int:
    return session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.object_type == "presentation", AuditEntry.object_id == presentation_id,
        AuditEntry.action.in_(["presentation.approved", "presentation.rejected"]))).one()


def test_an_approval_and_a_rejection_at_once_decide_the_presentation_once(engine, session, settings):
    require_row_locks(engine)
    pending, presenter = make_presentation(session, settings=settings, approved=False)
    first, second = make_officer(session, city_wide=True), make_officer(session, city_wide=True)
    decide = lambda officer_id, approve: lambda s: presentations.decide(
        s, settings=settings, officer=s.get(User, officer_id), presentation_id=pending.id, approve=approve,
        note="时间冲突")

    outcomes = run_together(engine, [decide(first.id, True), decide(second.id, False)])

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Presentation"]
    session.expire_all()
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    assert session.get(Presentation, pending.id).status == winner.status
    assert decisions(session, pending.id) == 1
    assert told(session, presenter.id) == 1


def test_a_cancellation_racing_the_approval_leaves_one_outcome(engine, session, settings):
    require_row_locks(engine)
    pending, presenter = make_presentation(session, settings=settings, approved=False)
    officer = make_officer(session, city_wide=True)

    outcomes = run_together(engine, [
        lambda s: presentations.cancel(s, settings=settings, user=s.get(User, presenter.id), presentation_id=pending.id),
        lambda s: presentations.decide(s, settings=settings, officer=s.get(User, officer.id),
                                       presentation_id=pending.id, approve=True),
    ])

    session.expire_all()
    final = session.get(Presentation, pending.id).status
    # The cancellation always stands; an approval either came first or was refused.
    assert not isinstance(outcomes[0], Exception) and final == "cancelled"
    if isinstance(outcomes[1], Conflict):
        assert decisions(session, pending.id) == 0
    else:
        assert decisions(session, pending.id) == 1
