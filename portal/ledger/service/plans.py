"""The plan: measures an officer agrees with the graduate (training, referral, interview coaching ...), each with a
target date; the overdue ones come to the officer's home."""
from datetime import date

from sqlmodel import Session, or_, select

from portal.accounts.models import User
from portal.audit.service import record
from portal.clock import today, utcnow
from portal.errors import Invalid, NotFound
from portal.ledger.models import CaseStatus, LedgerCase, LedgerMeasure, MeasureKind, MeasureStatus
from portal.ledger.service.cases import audit, case_in_scope
from portal.scope import scope_of

OPEN_MEASURE_STATUSES = (MeasureStatus.planned, MeasureStatus.in_progress)


def plan_order(measure: LedgerMeasure) -> tuple:
    """Overdue first, then open ones by target date, then the rest."""
    is_open = measure.status in OPEN_MEASURE_STATUSES
    return not (is_open and measure.target_date < today()), not is_open, measure.target_date, measure.id


def add_measure(session: Session, *, officer: User, case_id: int, kind: str, description: str, target_date: date,
                officer_id: int | None = None, link: str | None = None) -> LedgerMeasure:
    case = case_in_scope(session, officer, case_id)
    if kind not in MeasureKind.__members__:
        raise Invalid("Choose a kind of measure.", field="kind")
    if not (description or "").strip():
        raise Invalid("Describe the measure.", field="description")
    measure = LedgerMeasure(case_id=case.id, kind=kind, description=description.strip(),
                            officer_id=officer_id or case.officer_id or officer.id, target_date=target_date, link=link)
    session.add(measure)
    session.flush()
    audit(session, officer, "ledger.measure.add", case, "ledger_measure", measure.id, kind=kind)
    session.commit()
    return measure


def set_measure_status(session: Session, *, officer: User, measure_id: int, status: str, outcome: str = "") -> LedgerMeasure:
    measure = session.get(LedgerMeasure, measure_id)
    if measure is None:
        raise NotFound("We could not find that measure.")
    case = case_in_scope(session, officer, measure.case_id)
    if status not in MeasureStatus.__members__:
        raise Invalid("Choose a status.", field="status")
    measure.status = status
    measure.outcome = (outcome or measure.outcome or "").strip()
    measure.done_at = utcnow() if status == MeasureStatus.done else None
    audit(session, officer, "ledger.measure.update", case, "ledger_measure", measure.id, status=status)
    session.commit()
    return measure


def overdue_measures(session: Session, *, officer: User, on: date | None = None) -> list[tuple[LedgerMeasure, LedgerCase, User]]:
    """The officer's measures past their target date, oldest first (the officer home shows these near the top)."""
    statement = (
        select(LedgerMeasure, LedgerCase, User)
        .join(LedgerCase, LedgerCase.id == LedgerMeasure.case_id)
        .join(User, User.id == LedgerCase.graduate_id)
        .where(LedgerMeasure.status.in_(OPEN_MEASURE_STATUSES), LedgerMeasure.target_date < (on or today()),
               LedgerCase.status == CaseStatus.active,
               or_(LedgerMeasure.officer_id == officer.id, LedgerCase.officer_id == officer.id),
               scope_of(session, officer).graduate_ids(LedgerCase.graduate_id))
        .order_by(LedgerMeasure.target_date, LedgerMeasure.id)
    )
    rows = list(session.exec(statement).all())
    if rows:
        record(session, actor_id=officer.id, action="ledger.measure.list", object_type="ledger_measure",
               object_id="overdue", detail={"cases": sorted({r[1].id for r in rows})})
        session.commit()
    return rows
