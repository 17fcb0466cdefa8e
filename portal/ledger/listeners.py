"""What the ledger takes part in elsewhere, registered at start-up. It follows events: a signed agreement or a
destination that places the graduate closes their case; a cancelled agreement or a destination that no longer
places them reopens it (each inside the announcer's transaction, portal/events.py, which commits). And it adds its
priority categories to the destination statistics' groupings."""
from sqlmodel import Session, select

from portal import events
from portal.accounts.models import GraduateProfile
from portal.destinations import service as destinations
from portal.destinations.models import Destination
from portal.i18n import current_locale
from portal.ledger.models import CloseReason, LedgerCase, LedgerCategory
from portal.ledger.service import case_of_graduate, close_case_for_graduate, reopen_case_for_graduate


def register() -> None:
    events.on(events.AGREEMENT_SIGNED, close_on_agreement_signed)
    events.on(events.AGREEMENT_CANCELLED, reopen_on_agreement_cancelled)
    events.on(events.DESTINATION_REGISTERED, follow_destination)
    destinations.add_grouping("ledger_category", destinations.Grouping("Priority category", destinations_by_category))


def close_on_agreement_signed(session: Session, agreement) -> None:
    close_case_for_graduate(session, graduate_id=agreement.graduate_id, reason=CloseReason.agreement_signed,
                            note=f"agreement {agreement.number}")


def reopen_on_agreement_cancelled(session: Session, agreement) -> None:
    _reopen_if_closed_by(session, agreement.graduate_id, CloseReason.agreement_signed,
                         note=f"agreement {agreement.number} cancelled")


def follow_destination(session: Session, destination) -> None:
    if destinations.is_placed(destination.category):
        close_case_for_graduate(session, graduate_id=destination.graduate_id,
                                reason=CloseReason.destination_registered, note=destination.category)
    else:
        _reopen_if_closed_by(session, destination.graduate_id, CloseReason.destination_registered,
                             note=f"destination {destination.category}")


def _reopen_if_closed_by(session: Session, graduate_id: int, reason: str, *, note: str) -> None:
    """Only the event that closed a case reopens it: a case an officer closed stays closed."""
    case = case_of_graduate(session, graduate_id)
    if case is not None and case.close_reason == reason:
        reopen_case_for_graduate(session, graduate_id=graduate_id, note=note)


def destinations_by_category(session: Session, conditions: list) -> list[tuple[str, str | None, int]]:
    """Graduates on the support ledger, counted once under each of their priority categories."""
    rows = session.exec(
        select(LedgerCase.categories, Destination.category)
        .select_from(GraduateProfile)
        .join(LedgerCase, LedgerCase.graduate_id == GraduateProfile.user_id)
        .join(Destination, Destination.graduate_id == GraduateProfile.user_id, isouter=True)
        .where(*conditions)
    )
    chinese = current_locale() == "zh_CN"
    names = {c.code: c.label_zh if chinese else c.label_en for c in session.exec(select(LedgerCategory))}
    return [(names.get(code, code), category, 1) for codes, category in rows for code in (codes or [])]
