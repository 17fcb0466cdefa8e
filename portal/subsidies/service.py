"""Training subsidies: a graduate who completed a subsidised programme claims once, with documents checked by content;
an officer whose scope covers the graduate asks for more, approves or rejects; payments are tracked and exported.

Every decision is one conditional UPDATE on the application's status, so two officers deciding at once cannot both
succeed; the (graduate, programme) unique constraint keeps a second claim out of the database altogether.
"""
import logging
import secrets
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal import xlsx
from portal.accounts.models import GraduateProfile, Role, User
from portal.audit import service as audit
from portal.clock import today, utcnow
from portal.destinations import service as destinations
from portal.errors import Conflict, Invalid, NotFound
from portal.i18n import gettext
from portal.labels import label
from portal.ledger import service as ledger
from portal.localtime import format_date
from portal.notifications import service as notifications
from portal.pagination import Page, paginate
from portal.scope import graduate_in_scope, scope_of
from portal.settings import Settings
from portal.storage import read_capped, read_stored, storage_for
from portal.subsidies.models import (
    DECIDABLE,
    EDITABLE,
    REQUIRED_DOCUMENTS,
    DocumentKind,
    PaymentStatus,
    SubsidyApplication,
    SubsidyDocument,
    SubsidyEvent,
    SubsidyStatus,
)
from portal.training import service as training
from portal.training.models import SubsidyGroup, TrainingProgramme

log = logging.getLogger(__name__)
DOCUMENT_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
# Unemployed graduates are subsidised for two years after they leave school.
UNEMPLOYED_YEARS = 2
NOT_FOUND = "We could not find that subsidy application."


# ---------------------------------------------------------------- who may claim


def graduating_class(on=None) -> int:
    """The year of the class in its final year: until August, this year's; from September, next year's."""
    on = on or today()
    return on.year if on.month <= 8 else on.year + 1


def groups_of(session: Session, graduate_id: int) -> set[str]:
    """The subsidy groups a graduate belongs to today, from the records of truth (profile, destination, ledger)."""
    profile = session.get(GraduateProfile, graduate_id)
    if profile is None:
        return set()
    groups = set()
    final_class = graduating_class()
    if profile.graduation_year == final_class:
        groups.add(SubsidyGroup.final_year)
    destination = destinations.get_destination(session, graduate_id)
    left_recently = final_class - UNEMPLOYED_YEARS <= profile.graduation_year < final_class
    if left_recently and not (destination and destinations.is_placed(destination.category)):
        groups.add(SubsidyGroup.unemployed_graduate)
    case = ledger.case_of_graduate(session, graduate_id)
    if case is not None and case.status == "active":
        groups.add(SubsidyGroup.priority_group)
    return groups


def claimable_group(session: Session, *, graduate_id: int, programme: TrainingProgramme) -> str | None:
    """The group a claim rests on: the first of the programme's groups the graduate is in (the less sensitive first)."""
    mine = groups_of(session, graduate_id)
    return next((group for group in SubsidyGroup if group in mine and group in programme.subsidy_groups), None)


# ---------------------------------------------------------------- the graduate's side


def _event(session: Session, application: SubsidyApplication, action: str, actor: User, note: str = "") -> None:
    session.add(SubsidyEvent(application_id=application.id, action=action, note=note, actor_id=actor.id))


def _require_graduate(user: User) -> None:
    if user.role != Role.graduate:
        raise NotFound(NOT_FOUND)


def application_for(session: Session, *, graduate: User, programme_id: int) -> SubsidyApplication | None:
    return session.exec(select(SubsidyApplication).where(SubsidyApplication.graduate_id == graduate.id,
                                                         SubsidyApplication.programme_id == programme_id)).first()


def start(session: Session, *, graduate: User, programme_id: int) -> SubsidyApplication:
    """Opens the graduate's one claim for a programme they completed; documents follow, then it is submitted."""
    _require_graduate(graduate)
    programme = training.get_programme(session, programme_id)
    enrolment = training.completed_enrolment(session, graduate_id=graduate.id, programme_id=programme.id)
    if enrolment is None:
        raise Conflict("You can apply once the provider has recorded that you completed the programme.")
    if not programme.subsidised:
        raise Conflict("This programme is not subsidised.")
    if application_for(session, graduate=graduate, programme_id=programme.id) is not None:
        raise Conflict("You have already claimed the subsidy for this programme.")
    group = claimable_group(session, graduate_id=graduate.id, programme=programme)
    if group is None:
        raise Conflict("This subsidy is for particular groups of graduates, and your records do not show that you "
                       "are in one of them. Ask your school's employment office if you think they should.")
    application = SubsidyApplication(graduate_id=graduate.id, programme_id=programme.id, enrolment_id=enrolment.id,
                                     eligible_group=group, amount_claimed=programme.subsidy_amount)
    try:
        with session.begin_nested():
            session.add(application)
    except IntegrityError:  # the same claim started twice at once: the unique constraint keeps the second out
        raise Conflict("You have already claimed the subsidy for this programme.") from None
    _event(session, application, "created", graduate)
    audit.record(session, actor_id=graduate.id, action="subsidy.create", object_type="subsidy_application",
                 object_id=application.id, subject_user_id=graduate.id)
    session.commit()
    return application


def own_application(session: Session, *, graduate: User, application_id: int) -> SubsidyApplication:
    application = session.get(SubsidyApplication, application_id)
    if application is None or application.graduate_id != graduate.id:
        raise NotFound(NOT_FOUND)
    return application


def my_applications(session: Session, *, graduate: User) -> list[SubsidyApplication]:
    _require_graduate(graduate)
    return list(session.exec(select(SubsidyApplication).where(SubsidyApplication.graduate_id == graduate.id)
                             .order_by(SubsidyApplication.created_at.desc(), SubsidyApplication.id.desc())).all())


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def _editable(session: Session, graduate: User, application_id: int) -> SubsidyApplication:
    application = own_application(session, graduate=graduate, application_id=application_id)
    if application.status not in EDITABLE:
        raise Conflict("The application is with an officer: documents can be changed if they ask for more.")
    return application


def add_document(session: Session, *, settings: Settings, graduate: User, application_id: int, kind: str,
                 filename: str | None, chunks) -> SubsidyDocument:
    """Stores a PDF, JPEG or PNG (known by its first bytes, not its name) under a key of our own.

    The row commits first and the file is written after, by storage's own temporary-name-then-rename; if writing
    fails the row is taken back, so no document ever points at a file that is not there."""
    application = _editable(session, graduate, application_id)
    if kind not in DocumentKind.__members__:
        raise Invalid("Choose one of the options.", field="kind")
    data = read_capped(chunks, limit=settings.upload_max_bytes, field="file")
    content_type = _sniff(data)
    if not data:
        raise Invalid("Choose a file.", field="file")
    if content_type is None:
        raise Invalid("Upload a PDF, JPEG or PNG file.", field="file")
    key = f"subsidies/{application.id}/{secrets.token_hex(16)}{DOCUMENT_TYPES[content_type]}"
    document = SubsidyDocument(application_id=application.id, kind=kind, storage_key=key, content_type=content_type,
                               size=len(data), original_name=PurePath((filename or "document").replace("\\", "/")).name[:200])
    session.add(document)
    application.updated_at = utcnow()
    session.add(application)
    session.commit()
    try:
        storage_for(settings).write(key, data)
    except Exception:
        log.exception("subsidy document %s could not be stored", key)
        session.delete(document)
        session.commit()
        raise
    return document


def remove_document(session: Session, *, settings: Settings, graduate: User, document_id: int) -> SubsidyApplication:
    document = session.get(SubsidyDocument, document_id)
    if document is None:
        raise NotFound("The file could not be found.")
    application = _editable(session, graduate, document.application_id)
    key = document.storage_key
    session.delete(document)
    session.commit()
    storage_for(settings).delete(key)
    return application


def documents_of(session: Session, application_id: int) -> list[SubsidyDocument]:
    return list(session.exec(select(SubsidyDocument).where(SubsidyDocument.application_id == application_id)
                             .order_by(SubsidyDocument.id)).all())


def missing_documents(session: Session, application_id: int) -> list[str]:
    have = {d.kind for d in documents_of(session, application_id)}
    return [kind for kind in REQUIRED_DOCUMENTS if kind not in have]


def submit(session: Session, *, settings: Settings, graduate: User, application_id: int, note: str = "") -> SubsidyApplication:
    application = _editable(session, graduate, application_id)
    missing = missing_documents(session, application.id)
    if missing:
        raise Invalid("Add the documents still missing before you submit.", field="documents")
    resubmitting = application.status == SubsidyStatus.more_requested
    application.status = SubsidyStatus.resubmitted if resubmitting else SubsidyStatus.submitted
    application.graduate_note = note.strip()
    application.submitted_at = application.submitted_at or utcnow()
    application.updated_at = utcnow()
    session.add(application)
    _event(session, application, application.status, graduate, note.strip())
    audit.record(session, actor_id=graduate.id, action=f"subsidy.{application.status}", object_type="subsidy_application",
                 object_id=application.id, subject_user_id=graduate.id)
    session.commit()
    return application


# ---------------------------------------------------------------- officers


def application_for_officer(session: Session, *, officer: User, application_id: int) -> SubsidyApplication:
    """An application of a graduate in the officer's scope (NotFound otherwise); every look is audited, as the
    application may show the graduate's priority-group membership."""
    application = session.get(SubsidyApplication, application_id)
    if application is None:
        raise NotFound(NOT_FOUND)
    graduate_in_scope(session, officer, application.graduate_id, message=NOT_FOUND)
    audit.record(session, actor_id=officer.id, action="subsidy.view", object_type="subsidy_application",
                 object_id=application.id, subject_user_id=application.graduate_id)
    session.commit()
    return application


def earlier_claims(session: Session, *, application: SubsidyApplication) -> list[tuple[SubsidyApplication, str]]:
    """The graduate's other claims with their programmes' titles, for the officer deciding this one (the caller has
    checked the graduate is in the officer's scope)."""
    return list(session.exec(select(SubsidyApplication, TrainingProgramme.title)
                             .join(TrainingProgramme, TrainingProgramme.id == SubsidyApplication.programme_id)
                             .where(SubsidyApplication.graduate_id == application.graduate_id,
                                    SubsidyApplication.id != application.id)
                             .order_by(SubsidyApplication.created_at.desc())).all())


def support_case_id(session: Session, *, graduate_id: int) -> int | None:
    case = ledger.case_of_graduate(session, graduate_id)
    return case.id if case is not None else None


@dataclass
class Row:
    application: SubsidyApplication
    graduate: User
    profile: GraduateProfile
    programme: TrainingProgramme


def _rows_statement(session: Session, officer: User, status: str | None):
    statement = (
        select(SubsidyApplication, User, GraduateProfile, TrainingProgramme)
        .join(User, User.id == SubsidyApplication.graduate_id)
        .join(GraduateProfile, GraduateProfile.user_id == SubsidyApplication.graduate_id)
        .join(TrainingProgramme, TrainingProgramme.id == SubsidyApplication.programme_id)
        .where(scope_of(session, officer).graduates(), SubsidyApplication.status != SubsidyStatus.draft)
    )
    return statement.where(SubsidyApplication.status == status) if status else statement


def list_for_officer(session: Session, *, officer: User, status: str | None = None, page: int = 1) -> Page:
    result = paginate(session, _rows_statement(session, officer, status), page=page,
                      order=(SubsidyApplication.updated_at.desc(), SubsidyApplication.id.desc()))
    result.items = [Row(*row) for row in result.items]
    return result


def waiting_count(session: Session, *, officer: User) -> int:
    """Claims in scope that wait for the officer's decision."""
    statement = _rows_statement(session, officer, None).where(SubsidyApplication.status.in_(DECIDABLE))
    return session.exec(select(func.count()).select_from(statement.subquery())).one()


def _decide(session: Session, *, settings: Settings, officer: User, application_id: int, allowed, action: str,
            note: str = "", unpaid: bool = False, **values) -> SubsidyApplication:
    """Moves an application out of one of `allowed` statuses (and, with `unpaid`, out of not yet paid) with one
    conditional UPDATE: of two officers acting at once, the second finds it already changed and is refused."""
    application = application_for_officer(session, officer=officer, application_id=application_id)
    still = [SubsidyApplication.payment_status.is_distinct_from(PaymentStatus.paid)] if unpaid else []
    changed = session.execute(
        update(SubsidyApplication)
        .where(SubsidyApplication.id == application.id, SubsidyApplication.status.in_(allowed), *still)
        .values(updated_at=utcnow(), **values)
    ).rowcount
    if not changed:
        raise Conflict("Someone has already dealt with this application; reload to see what was decided.")
    _event(session, application, action, officer, note)
    audit.record(session, actor_id=officer.id, action=f"subsidy.{action}", object_type="subsidy_application",
                 object_id=application.id, subject_user_id=application.graduate_id,
                 detail={key: value for key, value in values.items() if key in ("approved_amount", "payment_reference")})
    programme = session.get(TrainingProgramme, application.programme_id)
    notifications.notify(session, settings=settings, user=session.get(User, application.graduate_id), kind="subsidy",
                         title=NOTICES[action], body=note, params={"title": programme.title},
                         link=f"/me/subsidies/{application.id}")
    session.commit()
    session.refresh(application)
    return application


NOTICES = {
    "more_requested": "Your training subsidy claim for %(title)s needs more documents",
    "approved": "Your training subsidy for %(title)s is approved",
    "rejected": "Your training subsidy claim for %(title)s was not approved",
    "paid": "Your training subsidy for %(title)s has been paid",
}


def request_more(session: Session, *, settings: Settings, officer: User, application_id: int, note: str) -> SubsidyApplication:
    return _decide(session, settings=settings, officer=officer, application_id=application_id, allowed=DECIDABLE,
                   action="more_requested", note=note, status=SubsidyStatus.more_requested, request_note=note)


def approve(session: Session, *, settings: Settings, officer: User, application_id: int, amount: int) -> SubsidyApplication:
    application = application_for_officer(session, officer=officer, application_id=application_id)
    if amount > application.amount_claimed:
        raise Invalid("Approve at most the %(amount)s yuan claimed.", field="amount", amount=application.amount_claimed)
    return _decide(session, settings=settings, officer=officer, application_id=application_id, allowed=DECIDABLE,
                   action="approved", status=SubsidyStatus.approved, approved_amount=amount,
                   payment_status=PaymentStatus.unpaid, decided_by_id=officer.id, decided_at=utcnow())


def reject(session: Session, *, settings: Settings, officer: User, application_id: int, reason: str) -> SubsidyApplication:
    return _decide(session, settings=settings, officer=officer, application_id=application_id, allowed=DECIDABLE,
                   action="rejected", note=reason, status=SubsidyStatus.rejected, decision_reason=reason,
                   decided_by_id=officer.id, decided_at=utcnow())


def record_payment(session: Session, *, settings: Settings, officer: User, application_id: int,
                   reference: str) -> SubsidyApplication:
    application = application_for_officer(session, officer=officer, application_id=application_id)
    if application.status != SubsidyStatus.approved or application.payment_status == PaymentStatus.paid:
        raise Conflict("Only an approved, unpaid subsidy can be marked paid.")
    return _decide(session, settings=settings, officer=officer, application_id=application_id,
                   allowed=(SubsidyStatus.approved,), action="paid", note=reference, unpaid=True,
                   payment_status=PaymentStatus.paid, payment_reference=reference, paid_at=utcnow())


def read_document(session: Session, *, settings: Settings, user: User, document_id: int) -> tuple[SubsidyDocument, bytes]:
    """A document for its graduate, or for an officer in scope (audited)."""
    document = session.get(SubsidyDocument, document_id)
    if document is None:
        raise NotFound("The file could not be found.")
    application = session.get(SubsidyApplication, document.application_id)
    if user.role in (Role.officer, Role.admin):
        graduate_in_scope(session, user, application.graduate_id, message="The file could not be found.")
        audit.record(session, actor_id=user.id, action="subsidy.document.view", object_type="subsidy_document",
                     object_id=document.id, subject_user_id=application.graduate_id)
        session.commit()
    elif application.graduate_id != user.id:
        raise NotFound("The file could not be found.")
    return document, read_stored(storage_for(settings), document.storage_key)


def events_of(session: Session, application_id: int) -> list[SubsidyEvent]:
    return list(session.exec(select(SubsidyEvent).where(SubsidyEvent.application_id == application_id)
                             .order_by(SubsidyEvent.created_at, SubsidyEvent.id)).all())


def export_xlsx(session: Session, *, officer: User, status: str = SubsidyStatus.approved) -> bytes:
    """The finance office's list: approved (by default) claims in the officer's scope, with payment status."""
    rows = session.exec(_rows_statement(session, officer, status)
                        .order_by(SubsidyApplication.decided_at, SubsidyApplication.id)).all()
    audit.record(session, actor_id=officer.id, action="subsidy.export", object_type="subsidy_application",
                 object_id=status, detail={"rows": len(rows)})
    session.commit()
    header = [gettext(h) for h in EXPORT_HEADER]
    return xlsx.workbook([xlsx.Sheet(gettext("Training subsidies"), header, [
        [a.id, u.display_name, p.student_number, p.school, t.title, t.certificate, a.amount_claimed, a.approved_amount,
         format_date(a.decided_at), label(a.payment_status or ""), a.payment_reference or ""]
        for a, u, p, t in rows
    ], widths=(10, 12, 14, 20, 30, 30, 14, 14, 12, 10, 20))])


EXPORT_HEADER = ("Application", "Name", "Student number", "School", "Programme", "Certificate", "Claimed (yuan)",
                 "Approved (yuan)", "Approved on", "Payment", "Payment reference")
