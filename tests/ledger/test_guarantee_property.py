"""Property: whatever happens to positions, applications and graduates, after every top-up each active case holds
three suitable open positions or sits on the shortfall list with a reason, and no position is offered twice to one
graduate.

A Hypothesis state machine drives random sequences on a real SQLite database and the embedded search backend.
"""
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import event
from sqlmodel import Session, SQLModel, select

from portal import models  # noqa: F401
from portal.applications.models import Application, ApplicationStatus
from portal.clock import today
from portal.db import make_engine
from portal.ledger import service as ledger
from portal.ledger.models import LIVE_OFFER_STATUSES, LedgerCase, LedgerOffer
from portal.ledger.suitability import OpenPositions
from portal.positions.models import CloseReason, Position, PositionStatus
from search.embedded import EmbeddedBackend
from tests.factories import make_employer, make_graduate, make_ledger_case, make_officer, make_position, make_resume

DISTRICTS = ("滨海新区", "南开区", "和平区")
MAJORS = ("计算机科学与技术", "护理学")


def _no_fsync(connection, _record):
    connection.execute("PRAGMA synchronous=OFF")  # a throw-away database: durability is not under test


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.folder = tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None)
        self.engine = make_engine(f"sqlite:///{Path(self.folder.name) / 'prop.db'}")
        event.listen(self.engine, "connect", _no_fsync)
        SQLModel.metadata.create_all(self.engine)
        self.session = Session(self.engine, expire_on_commit=False)
        self.search = EmbeddedBackend(self.engine)
        self.org, _ = make_employer(self.session)
        self.officer = make_officer(self.session, city_wide=True)
        self.positions: list[int] = []
        self.graduates: list[int] = []
        for i in range(4):
            major = MAJORS[i % 2]
            graduate = make_graduate(self.session, major=major)
            make_resume(self.session, graduate, skills=["Python", "SQL"] if i % 2 == 0 else ["护理", "急救"],
                        expected_districts=[DISTRICTS[i % 3]] if i < 3 else [])
            self.graduates.append(graduate.id)
        self.topped_up = False

    def teardown(self):
        if hasattr(self, "session"):
            self.session.close()
            self.engine.dispose()
            self.folder.cleanup()

    # ---- the world changes ---------------------------------------------------------------------------------------
    @rule(district=st.sampled_from(DISTRICTS), major=st.sampled_from(MAJORS + ("",)), support=st.booleans(),
          accessible=st.booleans())
    def open_position(self, district, major, support, accessible):
        skills = ["Python", "SQL"] if major == MAJORS[0] else (["护理"] if major else ["沟通"])
        position = make_position(self.session, self.org, district=district, majors=[major] if major else [],
                                 skills=skills, is_support=support, accessible=accessible)
        self.positions.append(position.id)

    @precondition(lambda self: self.positions)
    @rule(data=st.data(), how=st.sampled_from(["closed", "filled", "expired", "deadline"]))
    def close_position(self, data, how):
        position = self.session.get(Position, data.draw(st.sampled_from(self.positions)))
        if how == "closed":
            position.status, position.close_reason = PositionStatus.closed, CloseReason.by_employer
        elif how == "filled":
            position.status, position.close_reason = PositionStatus.closed, CloseReason.filled
        elif how == "expired":
            position.status, position.close_reason = PositionStatus.expired, CloseReason.not_reconfirmed
        else:
            position.deadline = today() - timedelta(days=1)
        self.session.commit()

    @precondition(lambda self: self.positions)
    @rule(data=st.data(), graduate=st.integers(0, 3))
    def reject_application(self, data, graduate):
        graduate_id = self.graduates[graduate]
        position_id = data.draw(st.sampled_from(self.positions))
        application = self.session.exec(select(Application).where(  # noqa
            Application.graduate_id == graduate_id, Application.position_id == position_id)).first()
        if application is None:
            application = Application(graduate_id=graduate_id, position_id=position_id)
        application.status = ApplicationStatus.rejected
        self.session.add(application)
        self.session.commit()

    def live_offers(self):
        return self.session.exec(select(LedgerOffer).where(LedgerOffer.status.in_(LIVE_OFFER_STATUSES))
                                 .order_by(LedgerOffer.id)).all()

    @precondition(lambda self: self.topped_up)
    @rule(data=st.data(), outcome=st.sampled_from(["rejected", "filled"]))
    def something_happens_to_an_offer(self, data, outcome):
        offers = self.live_offers()
        if not offers:
            return
        offer = data.draw(st.sampled_from(offers))
        if outcome == "filled":
            position = self.session.get(Position, offer.position_id)
            position.status, position.close_reason = PositionStatus.closed, CloseReason.filled
        else:
            application = self.session.exec(select(Application).where(
                Application.graduate_id == offer.graduate_id, Application.position_id == offer.position_id)).first()
            application = application or Application(graduate_id=offer.graduate_id, position_id=offer.position_id)
            application.status = ApplicationStatus.rejected
            self.session.add(application)
        self.session.commit()

    @rule(graduate=st.integers(0, 3), disability=st.booleans())
    def enrol(self, graduate, disability):
        graduate_id = self.graduates[graduate]
        case = ledger.case_of_graduate(self.session, graduate_id)
        if case is not None and case.status == "active":
            return
        categories = ["disability"] if disability else ["zero_employment"]
        ledger.enrol(self.session, officer=self.officer, graduate_id=graduate_id, categories=categories,
                     evidence="证明", consent_given=True)

    @rule(graduate=st.integers(0, 3))
    def sign_agreement(self, graduate):
        ledger.close_case_for_graduate(self.session, graduate_id=self.graduates[graduate], reason="agreement_signed")
        self.session.commit()

    @rule(graduate=st.integers(0, 3))
    def cancel_agreement(self, graduate):
        ledger.reopen_case_for_graduate(self.session, graduate_id=self.graduates[graduate], note="cancelled")
        self.session.commit()

    @rule()
    def top_up(self):
        self.search.refresh()
        ledger.top_up(self.session, search=self.search, auto_offers=True)
        self.topped_up = True
        self.check_guarantee()

    @rule()
    def top_up_proposing(self):
        """Automatic offers off: proposals wait for an officer, the case waits on the shortfall list."""
        self.search.refresh()
        ledger.top_up(self.session, search=self.search, auto_offers=False)
        self.topped_up = True
        self.check_guarantee()

    @rule()
    def officer_confirms_everything(self):
        for case in self.session.exec(select(LedgerCase).where(LedgerCase.status == "active")).all():
            ledger.confirm_all(self.session, officer=self.officer, case_id=case.id)

    # ---- what must hold ----------------------------------------------------------------------------------------
    def check_guarantee(self):
        self.session.expire_all()
        open_positions = OpenPositions(self.session)
        rejected = {(a.graduate_id, a.position_id) for a in self.session.exec(
            select(Application).where(Application.status == ApplicationStatus.rejected))}
        for case in self.session.exec(select(LedgerCase).where(LedgerCase.status == "active")):
            constraints = ledger.constraints_of(self.session, case)
            offers = self.session.exec(select(LedgerOffer).where(LedgerOffer.case_id == case.id)).all()
            good = {o.position_id for o in offers if o.status in LIVE_OFFER_STATUSES
                    and open_positions.meets(o.position_id, constraints)
                    and (case.graduate_id, o.position_id) not in rejected
                    and o.fit >= ledger.DEFAULT_MIN_FIT}
            live = [o for o in offers if o.status in LIVE_OFFER_STATUSES]
            assert len(live) == len(good), "an offer that no longer counts is still shown as live"
            assert case.offers_held == len(good)
            if len(good) < ledger.GUARANTEE:
                assert case.shortfall_reason, f"case {case.id} holds {len(good)} offers and no shortfall reason"
                assert ledger.shortfall_message(case)
            else:
                assert case.shortfall_reason is None
            if case.needs_accessible:
                assert all(open_positions.by_id[p].accessible for p in good)

    @invariant()
    def never_offered_twice(self):
        if not hasattr(self, "session"):
            return
        pairs = Counter(self.session.exec(select(LedgerOffer.graduate_id, LedgerOffer.position_id)).all())
        assert all(n == 1 for n in pairs.values())


TestLedgerGuarantee = LedgerMachine.TestCase
TestLedgerGuarantee.settings = settings(
    max_examples=15, stateful_step_count=20, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
