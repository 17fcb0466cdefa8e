"""Offers and the guarantee: every active case holds three suitable open positions (GUARANTEE). A top-up lapses the
offers that stopped being suitable and asks the matcher (ledger/suitability.py) for the rest; with auto offers off
they are only proposed and an officer confirms each with one click. The graduate sees the offers and applies with
one click, through the applications service."""
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from portal.accounts.models import DEGREE_RANK, GraduateProfile, User
from portal.applications import service as applications
from portal.applications.models import Application, ApplicationStatus
from portal.audit.service import record
from portal.clock import today, utcnow
from portal.employers.models import Organization
from portal.errors import Conflict, NotFound
from portal.ledger.models import (
    LIVE_OFFER_STATUSES,
    CaseStatus,
    LapseReason,
    LedgerCase,
    LedgerEnrolmentRequest,
    LedgerOffer,
    OfferStatus,
)
from portal.ledger.service.cases import GUARANTEE, audit, case_in_scope, case_of_graduate, notify
from portal.ledger.service.enrolment import pending_request
from portal.ledger.suitability import DEFAULT_MIN_FIT, Constraints, OpenPositions, Suitability, funnel
from portal.positions.models import CloseReason as PositionCloseReason
from portal.positions.models import Position, PositionStatus
from portal.resumes.models import Resume
from search.documents import resume_doc

log = logging.getLogger(__name__)

NEW_OFFERS = "New positions have been recommended to you."
OFFERS_PER_HEADCOUNT = 3  # without settings: live offers per position, per place it has
# Offers that still count until a top-up says otherwise: what the graduate holds, and what awaits an officer.
_UNDER_REVIEW = (*LIVE_OFFER_STATUSES, OfferStatus.proposed)


def constraints_for(case: LedgerCase, profile: GraduateProfile, resume: Resume | None) -> Constraints:
    """The case's preferred districts, else the resume's expected ones (else anywhere); the job kinds the resume
    asks for (else any); an accessible workplace when the officer recorded the need or the graduate stated it."""
    districts = case.preferred_districts or (resume.expected_districts if resume else []) or []
    return Constraints(degree_rank=DEGREE_RANK.get(profile.degree, 0), major=profile.major,
                       districts=frozenset(districts), kinds=frozenset(resume.expected_kinds if resume else ()),
                       needs_accessible=case.needs_accessible or profile.needs_accessible)


def constraints_of(session: Session, case: LedgerCase) -> Constraints:
    profile = session.get(GraduateProfile, case.graduate_id)
    resume = session.exec(select(Resume).where(Resume.graduate_id == case.graduate_id)).first()
    return constraints_for(case, profile, resume)


def set_offer_status(offer: LedgerOffer, status: str, reason: str | None = None) -> None:
    offer.status = status
    offer.lapse_reason = reason
    offer.status_changed_at = utcnow()


def lapse_reason(position: Position | None, on: date) -> str:
    """Why an offered position is no longer open."""
    if position is None:
        return LapseReason.position_closed
    if position.status == PositionStatus.closed and position.close_reason == PositionCloseReason.filled:
        return LapseReason.position_filled
    if position.status == PositionStatus.expired or position.deadline < on or (
            position.close_reason in (PositionCloseReason.deadline, PositionCloseReason.not_reconfirmed)):
        return LapseReason.position_expired
    return LapseReason.position_closed


# ---- the top-up --------------------------------------------------------------------------------------------------
@dataclass
class TopUpReport:
    cases: int = 0
    topped_up: int = 0  # cases that received at least one new offer or proposal
    offers_created: int = 0
    lapsed: int = 0
    holding: int = 0  # cases holding GUARANTEE live offers afterwards
    shortfall: int = 0
    reasons: dict = field(default_factory=dict)
    seconds: float = 0.0
    matcher: bool = True

    def as_dict(self) -> dict:
        share = round(self.holding / self.cases, 4) if self.cases else 1.0
        return {**self.__dict__, "share_holding": share}


def top_up(session: Session, *, search, auto_offers: bool, case_ids: list[int] | None = None, actor: User | None = None,
           min_fit: int = DEFAULT_MIN_FIT, on: date | None = None, batch: int = 200, settings=None) -> TopUpReport:
    """Refills every active case (or those given) to three suitable open offers; the rest go on the shortfall list.

    Auto offers on: the matcher's best suitable positions are offered straight away. Off: they are proposed and an
    officer confirms each with one click; until then the case sits on the shortfall list, awaiting confirmation.
    """
    started = time.perf_counter()
    run = TopUp(session, search=search, auto_offers=auto_offers, actor=actor, min_fit=min_fit, on=on or today(),
                settings=settings)
    statement = select(LedgerCase.id).where(LedgerCase.status == CaseStatus.active).order_by(LedgerCase.id)
    if case_ids is not None:
        statement = statement.where(LedgerCase.id.in_(case_ids))
    ids = list(session.exec(statement).all())
    for start in range(0, len(ids), batch):
        run.top_up_batch(ids[start:start + batch])
        session.commit()
    report = run.report
    report.cases, report.reasons, report.seconds = len(ids), dict(run.reasons), round(time.perf_counter() - started, 3)
    if actor is not None:
        record(session, actor_id=actor.id, action="ledger.topup", object_type="ledger", object_id="topup",
               detail={k: v for k, v in report.as_dict().items() if k != "reasons"})
        session.commit()
    return report


def top_up_with_settings(session: Session, *, settings, search, case_ids: list[int] | None = None,
                         actor: User | None = None) -> TopUpReport:
    """A top-up as the portal is configured: auto offers or proposals, the minimum fit, notifications."""
    return top_up(session, search=search, auto_offers=settings.ledger_auto_offers, case_ids=case_ids, actor=actor,
                  min_fit=settings.ledger_min_fit, settings=settings)


def top_up_job(session: Session, *, settings, search) -> TopUpReport:
    """The scheduled top-up (portal/scheduler.py)."""
    report = top_up_with_settings(session, settings=settings, search=search)
    log.info("ledger top-up: %s", report.as_dict())
    return report


def refresh_case(session: Session, *, case: LedgerCase, search, settings, actor: User | None = None) -> TopUpReport:
    """Re-checks one case at once (after a confirmation, a withdrawal or an application)."""
    return top_up_with_settings(session, settings=settings, search=search, case_ids=[case.id], actor=actor)


@dataclass
class Batch:
    """What a batch of cases needs, loaded in a few queries."""

    cases: list[LedgerCase]
    profiles: dict[int, GraduateProfile]
    resumes: dict[int, Resume]
    offers: dict[int, list[LedgerOffer]]  # by case id
    applications: dict[tuple[int, int], Application]  # by (graduate id, position id)
    gone: dict[int, Position]  # positions behind offers under review that are no longer open


@dataclass
class CaseState:
    """A case during a top-up, between the review of its offers and the new ones."""

    case: LedgerCase
    doc: dict  # the graduate as the matcher reads them
    constraints: Constraints
    held: int
    proposed: int
    excluded: set[int]  # offered before, or applied and turned down

    @property
    def need(self) -> int:
        return GUARANTEE - self.held - self.proposed


class TopUp:
    """One top-up run: the open positions and the matcher loaded once, the report filled as cases go by."""

    def __init__(self, session: Session, *, search, auto_offers: bool, actor: User | None, min_fit: int, on: date,
                 settings) -> None:
        self.session, self.auto_offers, self.actor, self.on, self.settings = session, auto_offers, actor, on, settings
        self.open_positions = OpenPositions(session, on=on)
        self.suitability = Suitability(search, self.open_positions, min_fit=min_fit)
        self.min_fit = min_fit
        # One popular post is not promised to everyone: live offers per position stay within a multiple of its
        # headcount.
        self.per_headcount = settings.ledger_offers_per_headcount if settings else OFFERS_PER_HEADCOUNT
        self.promised = Counter(session.exec(select(LedgerOffer.position_id).where(
            LedgerOffer.status.in_(_UNDER_REVIEW))).all())
        self.capped = {pid for pid, n in self.promised.items() if self.at_cap(pid, n)}
        self.report = TopUpReport(matcher=self.suitability.uses_matcher)
        self.reasons: Counter = Counter()
        self.now = utcnow()

    def top_up_batch(self, case_ids: list[int]) -> None:
        """Reviews the batch's cases, asks the matcher for all of them at once, then offers case by case."""
        batch = self.load(case_ids)
        states = []
        for case in batch.cases:
            profile = batch.profiles.get(case.graduate_id)
            if profile is None:
                self.mark_short(case, "no_profile", {})
            else:
                states.append(self.review(batch, case, profile))
        capped_then = set(self.capped)
        found = self.suitability.candidates_many(
            [(state.doc, state.constraints, state.excluded | capped_then, state.need) for state in states])
        for state, candidates in zip(states, found):
            if any(c.position_id in self.capped and c.position_id not in capped_then for c in candidates):
                # An earlier case of this batch took a position up to its cap: ask again, as this case alone would.
                candidates = self.suitability.candidates(state.doc, state.constraints,
                                                         excluded=state.excluded | self.capped, want=state.need)
            self.settle(batch, state, candidates)
            self.session.add(state.case)

    def load(self, case_ids: list[int]) -> Batch:
        session = self.session
        cases = list(session.exec(select(LedgerCase).where(LedgerCase.id.in_(case_ids))))
        graduate_ids = [c.graduate_id for c in cases]
        offers: dict[int, list[LedgerOffer]] = defaultdict(list)
        for offer in session.exec(select(LedgerOffer).where(LedgerOffer.graduate_id.in_(graduate_ids))):
            offers[offer.case_id].append(offer)
        gone_ids = {o.position_id for found in offers.values() for o in found
                    if o.status in _UNDER_REVIEW and o.position_id not in self.open_positions}
        return Batch(
            cases=cases,
            profiles={p.user_id: p for p in session.exec(
                select(GraduateProfile).where(GraduateProfile.user_id.in_(graduate_ids)))},
            resumes={r.graduate_id: r for r in session.exec(select(Resume).where(Resume.graduate_id.in_(graduate_ids)))},
            offers=offers,
            applications={(a.graduate_id, a.position_id): a for a in session.exec(
                select(Application).where(Application.graduate_id.in_(graduate_ids)))},
            gone={p.id: p for p in session.exec(select(Position).where(Position.id.in_(gone_ids)))} if gone_ids else {},
        )

    def review(self, batch: Batch, case: LedgerCase, profile: GraduateProfile) -> CaseState:
        """Where a case stands before any new offer: its offers reviewed, what the matcher must leave out, and how
        many offers it still needs."""
        constraints = constraints_for(case, profile, batch.resumes.get(case.graduate_id))
        offers = batch.offers.get(case.id, [])
        held, proposed = self.review_offers(batch, case, offers, constraints)
        excluded = {o.position_id for o in offers} | {
            pid for (gid, pid), a in batch.applications.items()
            if gid == case.graduate_id and a.status in (ApplicationStatus.rejected, ApplicationStatus.withdrawn)}
        return CaseState(case=case, doc=resume_doc(profile, batch.resumes.get(case.graduate_id)),
                         constraints=constraints, held=held, proposed=proposed, excluded=excluded)

    def settle(self, batch: Batch, state: CaseState, candidates: list) -> None:
        """Offers (or proposes) the candidates, then records whether the case holds the guarantee, and why not."""
        case, held, proposed = state.case, state.held, state.proposed
        if state.need > 0:
            added = self.add_offers(batch, case, candidates)
            state.excluded.update(c.position_id for c in candidates)
            held, proposed = (held + added, proposed) if self.auto_offers else (held, proposed + added)
        case.offers_held, case.last_topup_at = held, self.now
        if held >= GUARANTEE:
            case.shortfall_reason, case.shortfall_detail = None, {}
            self.report.holding += 1
        elif held + proposed >= GUARANTEE:
            self.mark_short(case, "awaiting_confirmation", {"held": held, "proposed": proposed})
        else:
            code, detail = funnel(self.open_positions, self.suitability.relevant(state.doc), state.constraints,
                                  min_fit=self.min_fit, excluded=state.excluded, capped=self.capped)
            self.mark_short(case, code, {**detail, "held": held, "proposed": proposed, "min_fit": self.min_fit})

    def review_offers(self, batch: Batch, case: LedgerCase, offers: list[LedgerOffer],
                      constraints: Constraints) -> tuple[int, int]:
        """Lapses what no longer suits, follows what the graduate did; returns (held, proposed) still standing."""
        held = proposed = 0
        for offer in (o for o in offers if o.status in _UNDER_REVIEW):
            application = batch.applications.get((case.graduate_id, offer.position_id))
            reason = self.lapse_reason(batch, offer, application, constraints)
            if reason:
                set_offer_status(offer, OfferStatus.lapsed, reason)
                self.report.lapsed += 1
                continue
            withdrawn = application is not None and application.status == ApplicationStatus.withdrawn
            if withdrawn and offer.status != OfferStatus.proposed:
                set_offer_status(offer, OfferStatus.withdrawn, LapseReason.application_withdrawn)
                self.report.lapsed += 1
                continue
            if application is not None and offer.status == OfferStatus.offered:
                set_offer_status(offer, OfferStatus.applied)
                offer.application_id = application.id
            held, proposed = (held, proposed + 1) if offer.status == OfferStatus.proposed else (held + 1, proposed)
        return held, proposed

    def lapse_reason(self, batch: Batch, offer: LedgerOffer, application: Application | None,
                     constraints: Constraints) -> str | None:
        if offer.position_id not in self.open_positions:
            return lapse_reason(batch.gone.get(offer.position_id), self.on)
        if application is not None and application.status == ApplicationStatus.rejected:
            return LapseReason.application_rejected
        if not self.open_positions.meets(offer.position_id, constraints):
            return LapseReason.no_longer_suitable
        return None

    def add_offers(self, batch: Batch, case: LedgerCase, found: list) -> int:
        """Offers (auto) or proposes the matcher's candidates; returns how many."""
        for candidate in found:
            self.promise(candidate.position_id)
            offer = LedgerOffer(
                case_id=case.id, graduate_id=case.graduate_id, position_id=candidate.position_id,
                status=OfferStatus.offered if self.auto_offers else OfferStatus.proposed, auto=self.auto_offers,
                is_support=candidate.is_support, fit=candidate.fit, score=candidate.score,
                reasons=candidate.reasons, offered_at=self.now if self.auto_offers else None,
            )
            application = batch.applications.get((case.graduate_id, candidate.position_id))
            if self.auto_offers and application is not None:
                offer.status, offer.application_id = OfferStatus.applied, application.id
            self.session.add(offer)
        self.report.offers_created += len(found)
        if found:
            self.report.topped_up += 1
            record(self.session, actor_id=self.actor.id if self.actor else None, action="ledger.offer.create",
                   object_type="ledger_case", object_id=case.id, subject_user_id=case.graduate_id,
                   detail={"positions": [c.position_id for c in found], "auto": self.auto_offers})
            if self.auto_offers:
                notify(self.session, self.settings, case.graduate_id, NEW_OFFERS)
        return len(found)

    def at_cap(self, position_id: int, promised: int) -> bool:
        p = self.open_positions.by_id.get(position_id)
        return p is not None and promised >= self.per_headcount * p.headcount

    def promise(self, position_id: int) -> None:
        self.promised[position_id] += 1
        if self.at_cap(position_id, self.promised[position_id]):
            self.capped.add(position_id)

    def mark_short(self, case: LedgerCase, code: str, detail: dict) -> None:
        """Puts the case on the shortfall list with the reason."""
        case.shortfall_reason, case.shortfall_detail = code, detail
        self.report.shortfall += 1
        self.reasons[code] += 1


# ---- an officer confirms or withdraws ----------------------------------------------------------------------------
def confirm_offer(session: Session, *, officer: User, offer_id: int, settings=None) -> LedgerOffer:
    """One click: a proposed position becomes an offer the graduate sees."""
    offer, case = _offer_in_scope(session, officer, offer_id)
    if offer.status != OfferStatus.proposed:
        raise Conflict("This position is no longer waiting for confirmation.")
    if case.status != CaseStatus.active:
        raise Conflict("This case is closed.")
    if not OpenPositions(session).meets(offer.position_id, constraints_of(session, case)):
        set_offer_status(offer, OfferStatus.lapsed, LapseReason.no_longer_suitable)
        session.commit()
        raise Conflict("This position is no longer open or no longer suits the graduate.")
    set_offer_status(offer, OfferStatus.offered)
    offer.offered_by_id, offer.offered_at = officer.id, utcnow()
    application = _application_for(session, offer)
    if application is not None and application.status not in (ApplicationStatus.rejected, ApplicationStatus.withdrawn):
        set_offer_status(offer, OfferStatus.applied)
        offer.application_id = application.id
    recount(session, case)
    audit(session, officer, "ledger.offer.confirm", case, "ledger_offer", offer.id, position_id=offer.position_id)
    notify(session, settings, case.graduate_id, NEW_OFFERS)
    session.commit()
    return offer


def confirm_all(session: Session, *, officer: User, case_id: int, settings=None) -> int:
    """Confirms every proposal of the case that still can be; returns how many were."""
    case = case_in_scope(session, officer, case_id)
    ids = session.exec(select(LedgerOffer.id).where(LedgerOffer.case_id == case.id,
                                                    LedgerOffer.status == OfferStatus.proposed)).all()
    done = 0
    for offer_id in ids:
        try:
            confirm_offer(session, officer=officer, offer_id=offer_id, settings=settings)
            done += 1
        except Conflict:  # lapsed meanwhile: the others still go
            continue
    return done


def withdraw_offer(session: Session, *, officer: User, offer_id: int, note: str = "") -> LedgerOffer:
    offer, case = _offer_in_scope(session, officer, offer_id)
    if offer.status not in (OfferStatus.proposed, OfferStatus.offered):
        raise Conflict("Only a proposed or offered position can be withdrawn.")
    set_offer_status(offer, OfferStatus.withdrawn, "by_officer")
    recount(session, case)
    audit(session, officer, "ledger.offer.withdraw", case, "ledger_offer", offer.id, note=note[:200])
    session.commit()
    return offer


def _offer_in_scope(session: Session, officer: User, offer_id: int) -> tuple[LedgerOffer, LedgerCase]:
    offer = session.get(LedgerOffer, offer_id)
    if offer is None:
        raise NotFound("We could not find that recommended position.")
    return offer, case_in_scope(session, officer, offer.case_id)


def _application_for(session: Session, offer: LedgerOffer) -> Application | None:
    return session.exec(select(Application).where(Application.graduate_id == offer.graduate_id,
                                                  Application.position_id == offer.position_id)).first()


def recount(session: Session, case: LedgerCase) -> None:
    """Keeps offers_held and the shortfall state right between top-ups (the next top-up refines the reason)."""
    session.flush()
    counts = Counter(session.exec(select(LedgerOffer.status).where(LedgerOffer.case_id == case.id)).all())
    held = counts[OfferStatus.offered] + counts[OfferStatus.applied]
    proposed = counts[OfferStatus.proposed]
    case.offers_held = held
    if case.status != CaseStatus.active or held >= GUARANTEE:
        case.shortfall_reason, case.shortfall_detail = None, {}
    elif held + proposed >= GUARANTEE:
        case.shortfall_reason, case.shortfall_detail = "awaiting_confirmation", {"held": held, "proposed": proposed}
    elif case.shortfall_reason in (None, "awaiting_confirmation"):
        case.shortfall_reason, case.shortfall_detail = "not_topped_up", {"held": held, "proposed": proposed}
    session.add(case)


def proposals(session: Session, *, case_ids: list[int]) -> dict[int, list[tuple[LedgerOffer, Position, Organization]]]:
    """The proposals awaiting confirmation, per case, support posts and best fits first."""
    if not case_ids:
        return {}
    rows = session.exec(
        select(LedgerOffer, Position, Organization)
        .join(Position, Position.id == LedgerOffer.position_id)
        .join(Organization, Organization.id == Position.organization_id)
        .where(LedgerOffer.case_id.in_(case_ids), LedgerOffer.status == OfferStatus.proposed)
        .order_by(LedgerOffer.is_support.desc(), LedgerOffer.fit.desc())
    ).all()
    out: dict[int, list] = defaultdict(list)
    for row in rows:
        out[row[0].case_id].append(row)
    return out


# ---- the graduate's side ---------------------------------------------------------------------------------------
@dataclass
class SupportView:
    enrolled: bool
    offers: list[tuple[LedgerOffer, Position, Organization, Application | None]]
    request: LedgerEnrolmentRequest | None


def my_support(session: Session, *, graduate: User) -> SupportView:
    """What the graduate sees: the positions recommended to them and what became of them; never a category."""
    case = case_of_graduate(session, graduate.id)
    request = pending_request(session, graduate.id)
    if case is None or case.status != CaseStatus.active:
        return SupportView(False, [], request)
    rows = session.exec(
        select(LedgerOffer, Position, Organization)
        .join(Position, Position.id == LedgerOffer.position_id)
        .join(Organization, Organization.id == Position.organization_id)
        .where(LedgerOffer.case_id == case.id, LedgerOffer.status.in_(LIVE_OFFER_STATUSES))
        .order_by(LedgerOffer.status.desc(), LedgerOffer.fit.desc())
    ).all()
    applied = {a.position_id: a for a in session.exec(select(Application).where(Application.graduate_id == graduate.id))}
    record(session, actor_id=graduate.id, action="ledger.offer.list", object_type="ledger_case", object_id=case.id,
           subject_user_id=graduate.id, detail={"offers": [o.id for o, _, _ in rows]})
    session.commit()
    return SupportView(True, [(o, p, org, applied.get(p.id)) for o, p, org in rows], request)


def apply_to_offer(session: Session, *, settings, graduate: User, offer_id: int) -> Application:
    """One click: applies to an offered position with the current resume, through the applications service, so the
    employer receives an ordinary application (no ledger mark)."""
    offer = session.get(LedgerOffer, offer_id)
    if offer is None or offer.graduate_id != graduate.id or offer.status not in LIVE_OFFER_STATUSES:
        raise NotFound("We could not find that position.")
    case = session.get(LedgerCase, offer.case_id)
    if case.status != CaseStatus.active:
        raise Conflict("Your support case is closed, so its recommended positions are no longer offered. "
                       "You can still apply to the position from its own page.")
    application = _application_for(session, offer)
    if application is None:
        application = applications.apply(session, settings=settings, user=graduate, position_id=offer.position_id)
    elif application.status in (ApplicationStatus.rejected, ApplicationStatus.withdrawn):
        raise Conflict("You have already applied to this position.")
    session.refresh(offer)
    set_offer_status(offer, OfferStatus.applied)
    offer.application_id = application.id
    record(session, actor_id=graduate.id, action="ledger.offer.apply", object_type="ledger_offer", object_id=offer.id,
           subject_user_id=graduate.id, detail={"position_id": offer.position_id, "application_id": application.id})
    recount(session, case)
    session.commit()
    return application
