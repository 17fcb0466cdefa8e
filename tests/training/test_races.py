"""Two officers deciding one training provider at once (PostgreSQL row locks): the same decision is applied once,
the second officer is told it was already made, and the provider's staff are told once."""
import pytest
from sqlmodel import func, select

from portal.accounts.models import User
from portal.errors import Conflict
from portal.notifications.models import Notification
from portal.training import service
from tests.concurrency import require_row_locks, run_together
from tests.factories import make_officer, make_provider


def told(session, user_id: int) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(Notification.user_id == user_id)).one()


def test_two_officers_approving_one_provider_at_once_approve_it_once(engine, session, settings):
    require_row_locks(engine)
    provider, account = make_provider(session, status="pending")
    first, second = make_officer(session, city_wide=True), make_officer(session, city_wide=True)
    approve = lambda officer_id: lambda s: service.decide_provider(
        s, settings=settings, officer=s.get(User, officer_id), provider_id=provider.id, approve=True)

    outcomes = run_together(engine, [approve(first.id), approve(second.id)])

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "TrainingProvider"]
    assert told(session, account.id) == 1


def test_a_decision_the_provider_already_has_is_refused(session, settings):
    provider, account = make_provider(session)  # approved
    officer = make_officer(session, city_wide=True)
    with pytest.raises(Conflict, match="already approved"):
        service.decide_provider(session, settings=settings, officer=officer, provider_id=provider.id, approve=True)
    session.rollback()
    service.decide_provider(session, settings=settings, officer=officer, provider_id=provider.id, approve=False,
                            note="资质过期")
    with pytest.raises(Conflict, match="already suspended"):
        service.decide_provider(session, settings=settings, officer=officer, provider_id=provider.id, approve=False,
                                note="资质过期")
    session.rollback()
    assert told(session, account.id) == 1


def test_an_approval_and_a_suspension_at_once_apply_one_and_refuse_the_other(engine, session, settings):
    """Both officers saw the provider pending: whichever decides second is told it changed, not applied over it."""
    require_row_locks(engine)
    provider, account = make_provider(session, status="pending")
    first, second = make_officer(session, city_wide=True), make_officer(session, city_wide=True)

    def decide(officer_id: int, approve: bool):
        return lambda s: service.decide_provider(s, settings=settings, officer=s.get(User, officer_id),
                                                 provider_id=provider.id, approve=approve, note="资质已核验",
                                                 seen_status="pending")

    outcomes = run_together(engine, [decide(first.id, True), decide(second.id, False)])

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "TrainingProvider"]
    applied = next(o for o in outcomes if not isinstance(o, Exception))
    session.expire_all()
    assert session.get(type(provider), provider.id).status == applied.status
    assert told(session, account.id) == 1


def test_a_decision_on_a_status_changed_since_the_page_was_read_is_refused_on_the_page(session, settings, client_for):
    provider, _ = make_provider(session, status="pending")
    officer = make_officer(session, city_wide=True)
    browser = client_for(officer)
    assert 'name="seen_status" value="pending"' in browser.get("/officer/training/providers?status=pending").text
    service.decide_provider(session, settings=settings, officer=make_officer(session, city_wide=True),
                            provider_id=provider.id, approve=True)

    late = browser.post(f"/officer/training/providers/{provider.id}/decision",
                        data={"approve": "false", "note": "资质过期", "seen_status": "pending"})
    assert late.status_code == 422 and "另一位工作人员刚刚处理了该培训机构" in late.text
    session.expire_all()
    assert session.get(type(provider), provider.id).status == "approved"
