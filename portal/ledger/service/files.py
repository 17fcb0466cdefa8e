"""One file per person (一人一档): everything about a graduate's case in one place, the contacts and documents."""
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from portal.accounts.models import GraduateProfile, User
from portal.agreements.models import Agreement
from portal.applications.models import Application, ApplicationEvent
from portal.clock import today
from portal.destinations.models import Destination
from portal.employers.models import Organization
from portal.errors import Invalid, NotFound
from portal.ledger.models import (
    LedgerCase,
    LedgerCaseEvent,
    LedgerCategory,
    LedgerContact,
    LedgerDocument,
    LedgerMeasure,
    LedgerOffer,
)
from portal.ledger.service.cases import audit, case_in_scope, graduate_of, list_categories
from portal.ledger.service.plans import plan_order
from portal.positions.models import Position
from portal.resumes.models import Resume
from portal.settings import Settings
from portal.storage import read_stored, storage_for

DOCUMENT_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


@dataclass
class CaseFile:
    case: LedgerCase
    graduate: User
    profile: GraduateProfile
    resume: Resume | None
    categories: list[LedgerCategory]
    officer: User | None
    contacts: list[LedgerContact]
    documents: list[LedgerDocument]
    measures: list[LedgerMeasure]
    offers: list[tuple[LedgerOffer, Position, Organization]]
    applications: list[tuple[Application, Position, Organization, list[ApplicationEvent]]]
    agreements: list[Agreement]
    destination: Destination | None
    events: list[LedgerCaseEvent]


def case_file(session: Session, *, officer: User, case_id: int) -> CaseFile:
    """Everything about one graduate in one place; the read is audited."""
    case = case_in_scope(session, officer, case_id)
    graduate, profile = graduate_of(session, case.graduate_id)
    audit(session, officer, "ledger.case.view", case)
    session.commit()
    return CaseFile(
        case=case, graduate=graduate, profile=profile,
        resume=session.exec(select(Resume).where(Resume.graduate_id == graduate.id)).first(),
        categories=[c for c in list_categories(session, active_only=False) if c.code in case.categories],
        officer=session.get(User, case.officer_id) if case.officer_id else None,
        contacts=_newest_first(session, LedgerContact, case.id, LedgerContact.contacted_on.desc(), LedgerContact.id.desc()),
        documents=_newest_first(session, LedgerDocument, case.id, LedgerDocument.uploaded_at.desc()),
        measures=sorted(session.exec(select(LedgerMeasure).where(LedgerMeasure.case_id == case.id)), key=plan_order),
        offers=_offers(session, case.id),
        applications=_applications(session, graduate.id),
        agreements=list(session.exec(select(Agreement).where(Agreement.graduate_id == graduate.id)
                                     .order_by(Agreement.created_at.desc()))),
        destination=session.get(Destination, graduate.id),
        events=_newest_first(session, LedgerCaseEvent, case.id, LedgerCaseEvent.created_at.desc(), LedgerCaseEvent.id.desc()),
    )


def _newest_first(session: Session, model, case_id: int, *order) -> list:
    return list(session.exec(select(model).where(model.case_id == case_id).order_by(*order)))


def _offers(session: Session, case_id: int) -> list[tuple[LedgerOffer, Position, Organization]]:
    return list(session.exec(
        select(LedgerOffer, Position, Organization)
        .join(Position, Position.id == LedgerOffer.position_id)
        .join(Organization, Organization.id == Position.organization_id)
        .where(LedgerOffer.case_id == case_id)
        .order_by(LedgerOffer.status_changed_at.desc(), LedgerOffer.id.desc())
    ))


def _applications(session: Session, graduate_id: int) -> list[tuple[Application, Position, Organization, list]]:
    """The graduate's applications, newest first, each with its history."""
    rows = session.exec(
        select(Application, Position, Organization)
        .join(Position, Position.id == Application.position_id)
        .join(Organization, Organization.id == Position.organization_id)
        .where(Application.graduate_id == graduate_id)
        .order_by(Application.created_at.desc())
    ).all()
    history: dict[int, list[ApplicationEvent]] = defaultdict(list)
    if rows:
        for event in session.exec(select(ApplicationEvent).where(
                ApplicationEvent.application_id.in_([a.id for a, _, _ in rows])).order_by(ApplicationEvent.created_at)):
            history[event.application_id].append(event)
    return [(a, p, o, history.get(a.id, [])) for a, p, o in rows]


def add_contact(session: Session, *, officer: User, case_id: int, contacted_on: date, channel: str, who: str,
                summary: str, agreed: str = "") -> LedgerContact:
    case = case_in_scope(session, officer, case_id)
    if contacted_on > today():
        raise Invalid("The date cannot be in the future.", field="contacted_on")
    contact = LedgerContact(case_id=case.id, contacted_on=contacted_on, channel=channel, who=who.strip(),
                            summary=summary.strip(), agreed=(agreed or "").strip(), officer_id=officer.id)
    session.add(contact)
    session.flush()
    audit(session, officer, "ledger.contact.add", case, "ledger_contact", contact.id)
    session.commit()
    return contact


def add_document(session: Session, *, officer: User, case_id: int, title: str, filename: str, content: bytes,
                  settings: Settings) -> LedgerDocument:
    case = case_in_scope(session, officer, case_id)
    content_type = _checked_document(content)
    stored = secrets.token_hex(16) + DOCUMENT_TYPES[content_type]
    storage_for(settings).write(f"ledger/{stored}", content)
    document = LedgerDocument(case_id=case.id, title=(title or filename).strip()[:200], stored_name=stored,
                              original_name=Path(filename or "document").name[:200], content_type=content_type,
                              size=len(content), uploaded_by_id=officer.id)
    session.add(document)
    session.flush()
    audit(session, officer, "ledger.document.add", case, "ledger_document", document.id)
    session.commit()
    return document


def _checked_document(content: bytes) -> str:
    """The document's type, judged by its first bytes; refused when empty, too large or of another kind."""
    if not content:
        raise Invalid("Choose a file.", field="file")
    if len(content) > DOCUMENT_MAX_BYTES:
        raise Invalid("The file is larger than %(mb)s MB.", field="file", mb=DOCUMENT_MAX_BYTES // (1024 * 1024))
    for content_type, magic in (("application/pdf", b"%PDF-"), ("image/jpeg", b"\xff\xd8\xff"),
                                ("image/png", b"\x89PNG\r\n\x1a\n")):
        if content.startswith(magic):
            return content_type
    raise Invalid("Upload a PDF, JPEG or PNG file.", field="file")


def read_document(session: Session, *, officer: User, document_id: int, settings: Settings) -> tuple[LedgerDocument, bytes]:
    document = session.get(LedgerDocument, document_id)
    if document is None:
        raise NotFound("We could not find that document.")
    case = case_in_scope(session, officer, document.case_id)
    audit(session, officer, "ledger.document.view", case, "ledger_document", document.id)
    session.commit()
    return document, read_stored(storage_for(settings), f"ledger/{document.stored_name}")
