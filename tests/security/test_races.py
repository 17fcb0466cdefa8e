"""Money and seats under concurrency on PostgreSQL: the same decision made twice at the same moment counts once."""
import pytest
from sqlmodel import select

from portal.accounts.models import User
from portal.subsidies import service as subsidies
from portal.subsidies.models import SubsidyEvent
from tests.concurrency import require_row_locks, run_together
from tests.factories import make_officer, make_subsidy_claim

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
