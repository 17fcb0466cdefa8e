"""How destinations follow the agreements: all three signatures register the graduate's destination (agreement
employment); a signed agreement's cancellation takes it back. Each runs inside the agreement's transaction
(portal/events.py)."""
from sqlmodel import Session, select

from portal import events
from portal.agreements.models import AgreementCancellation, CancellationStatus
from portal.destinations import service


def register() -> None:
    events.on(events.AGREEMENT_SIGNED, record_signed_agreement)
    events.on(events.AGREEMENT_CANCELLED, clear_cancelled_agreement)


def record_signed_agreement(session: Session, agreement) -> None:
    service.record_from_agreement(session, agreement=agreement)


def clear_cancelled_agreement(session: Session, agreement) -> None:
    decided_by = session.exec(select(AgreementCancellation.decided_by_id).where(
        AgreementCancellation.agreement_id == agreement.id,
        AgreementCancellation.status == CancellationStatus.approved)).first()
    service.clear_agreement(session, agreement=agreement, actor_id=decided_by)
