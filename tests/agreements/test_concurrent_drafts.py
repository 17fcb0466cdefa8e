"""One live agreement per offer, however many drafts race for it (PostgreSQL row lock and partial unique index)."""
import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from portal.accounts.models import User
from portal.agreements import service
from portal.agreements.models import Agreement
from portal.errors import Conflict
from tests.agreements.conftest import TERMS
from tests.concurrency import require_row_locks, run_together
from tests.factories import make_offer


def test_twenty_concurrent_drafts_of_one_offer_make_one_agreement(engine, session, ca_settings):
    require_row_locks(engine)
    application, _, recruiter, _ = make_offer(session)

    def draft(session):
        return service.draft_agreement(session, settings=ca_settings, employer=session.get(User, recruiter.id),
                                       application_id=application.id, terms=TERMS)

    outcomes = run_together(engine, [draft] * 20)

    assert sum(isinstance(o, Agreement) for o in outcomes) == 1
    assert all(isinstance(o, (Agreement, Conflict)) for o in outcomes), outcomes
    live = session.exec(select(Agreement).where(Agreement.application_id == application.id)).all()
    assert len(live) == 1
    # Only the winner's document was left behind.
    assert [p.name for p in (ca_settings.data_dir / "agreements").rglob("*.pdf")] == [live[0].pdf_file.split("/")[-1]]


def test_the_database_itself_refuses_a_second_live_agreement(session, ca_settings):
    application, _, recruiter, _ = make_offer(session)
    first = service.draft_agreement(session, settings=ca_settings, employer=recruiter, application_id=application.id,
                                    terms=TERMS)
    session.add(Agreement(**first.model_dump(exclude={"id", "number", "verify_code"}), number="JY-COPY",
                          verify_code="copy"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    # A cancelled one does not count: the offer can be drafted again after it.
    service.discard_draft(session, employer=recruiter, agreement_id=first.id)
    again = service.draft_agreement(session, settings=ca_settings, employer=recruiter, application_id=application.id,
                                    terms=TERMS)
    assert again.id != first.id
