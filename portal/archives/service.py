"""Personnel files in public custody (流动人员人事档案).

A graduate without an employer (from a university or a secondary vocational or technical school), a graduate
studying abroad at their own expense or someone abroad for private reasons applies online to have a public talent
service agency keep their file. The agency accepts, receives the file (from the school by the portal's transfer flow,
or by post from whoever keeps it), records its contents and where it is kept, and then answers what people ask of a
kept file: custody certificates (PDF), political-review materials for a new employer, a transfer out to an employer
that takes the file, the follow-up of a missing item.

Who sees what: the person sees every step of their file and what they asked, never its contents; an agency's officers
(their agency scope, AgencyOfficer) see the files of their agency, and every read of a file's contents is audited;
nobody else sees anything (NotFound).
"""
import base64
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha256

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal import xlsx
from portal.accounts import service as accounts
from portal.accounts.models import GraduateProfile, Role, User
from portal.archives import certificate
from portal.archives.models import (
    LIVE_FILE_STATUSES,
    AgencyOfficer,
    ApplicantKind,
    FileService,
    FileServiceKind,
    FileServiceStatus,
    FileSource,
    FileStatus,
    FileStep,
    PersonnelFile,
    TalentAgency,
)
from portal.archives.schemas import (
    AgencyCreate,
    Contents,
    CustodyApplication,
    ServiceAnswer,
    ServiceRequest,
)
from portal.audit import service as audit
from portal.clock import utcnow
from portal.db import locked
from portal.destinations import service as destinations
from portal.destinations.models import (
    TransferKind,
    TransferRequest,
    TransferStatus,
    TransferTarget,
)
from portal.destinations.schemas import TransferCreate
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.i18n import gettext
from portal.labels import label
from portal.notifications import service as notifications
from portal.scope import officer_scope, scope_of
from portal.settings import Settings
from portal.web import absolute_url

NOT_FOUND = "We could not find that file."
CERTIFICATE_CODE_BYTES = 12  # 96 bits: a check code nobody guesses


# ---------------------------------------------------------------- agencies and their officers


def manages_agencies(session: Session, officer: User) -> bool:
    """Only city-wide officers set up agencies and give officers their agency."""
    return scope_of(session, officer).city


def _require_city(session: Session, officer: User) -> None:
    if not manages_agencies(session, officer):
        raise Forbidden("Only city-wide officers manage talent service agencies.")


def create_agency(session: Session, *, officer: User, agency: AgencyCreate) -> TalentAgency:
    _require_city(session, officer)
    if session.exec(select(TalentAgency).where(TalentAgency.name == agency.name)).first():
        raise Conflict("An agency with this name exists.", field="name")
    row = TalentAgency(**agency.model_dump())
    session.add(row)
    session.flush()
    audit.record(session, actor_id=officer.id, action="archives.agency.create", object_type="talent_agency",
                 object_id=row.id)
    session.commit()
    return row


def add_agency_officer(session: Session, *, officer: User, agency_id: int, email: str) -> AgencyOfficer:
    """Gives an officer's account the agency's scope (an officer works for one agency)."""
    _require_city(session, officer)
    agency = get_agency(session, agency_id)
    staff = accounts.get_user_by_email(session, email)
    if staff is None or staff.role != Role.officer:
        raise Invalid("No officer account has this email.", field="email")
    row = session.get(AgencyOfficer, staff.id) or AgencyOfficer(user_id=staff.id, agency_id=agency.id)
    row.agency_id = agency.id
    session.add(row)
    audit.record(session, actor_id=officer.id, action="archives.agency.officer", object_type="talent_agency",
                 object_id=agency.id, detail={"officer_id": staff.id})
    session.commit()
    return row


def get_agency(session: Session, agency_id: int) -> TalentAgency:
    agency = session.get(TalentAgency, agency_id)
    if agency is None:
        raise NotFound("We could not find that agency.")
    return agency


def agencies(session: Session) -> list[TalentAgency]:
    return list(session.exec(select(TalentAgency).order_by(TalentAgency.district, TalentAgency.name)).all())


def agency_staff(session: Session, agency_id: int) -> list[User]:
    return list(session.exec(select(User).join(AgencyOfficer, AgencyOfficer.user_id == User.id)
                             .where(AgencyOfficer.agency_id == agency_id).order_by(User.display_name)).all())


@dataclass(frozen=True)
class AgencyListing:
    """An agency in the officers' directory; its staff (names and emails) only for the officers who cover it."""

    agency: TalentAgency
    staff: list[User] | None  # None: not the reader's to see


def agency_directory(session: Session, *, officer: User) -> list[AgencyListing]:
    """Every agency by name, district, address and phone (what graduates see too, enough to send a case to the
    right one); the staff's names and emails only of the officer's own agency and of the agencies in the districts
    their scope covers (a city-wide officer: all of them)."""
    scope = officer_scope(session, officer)
    own = agency_of(session, officer)
    staff: dict[int, list[User]] = defaultdict(list)
    for agency_id, user in session.exec(select(AgencyOfficer.agency_id, User)
                                        .join(User, User.id == AgencyOfficer.user_id).order_by(User.display_name)):
        staff[agency_id].append(user)
    return [AgencyListing(agency, staff[agency.id] if scope.covers_district(agency.district)
                          or (own is not None and own.id == agency.id) else None)
            for agency in agencies(session)]


def agency_of(session: Session, user: User | None) -> TalentAgency | None:
    """The agency an officer works for, or None."""
    row = session.get(AgencyOfficer, user.id) if user is not None and user.role == Role.officer else None
    return session.get(TalentAgency, row.agency_id) if row else None


def _require_agency(session: Session, officer: User) -> TalentAgency:
    agency = agency_of(session, officer)
    if agency is None:
        raise NotFound("This page is for the officers of a talent service agency.")
    return agency


# ---------------------------------------------------------------- the person's side


@dataclass
class FileView:
    file: PersonnelFile
    agency: TalentAgency
    person: User
    profile: GraduateProfile | None
    steps: list[FileStep] = field(default_factory=list)
    services: list[FileService] = field(default_factory=list)

    @property
    def open_services(self) -> list[FileService]:
        return [s for s in self.services if s.status == FileServiceStatus.requested]


def _view(session: Session, row: PersonnelFile) -> FileView:
    steps = session.exec(select(FileStep).where(FileStep.file_id == row.id).order_by(FileStep.id)).all()
    services = session.exec(select(FileService).where(FileService.file_id == row.id)
                            .order_by(FileService.id.desc())).all()
    return FileView(row, session.get(TalentAgency, row.agency_id), session.get(User, row.person_id),
                    session.get(GraduateProfile, row.person_id), list(steps), list(services))


def _step(session: Session, row: PersonnelFile, kind: str, actor: User, note: str | None = None,
          tracking_number: str | None = None) -> None:
    row.updated_at = utcnow()
    session.add(row)
    session.add(FileStep(file_id=row.id, kind=kind, note=note or None, tracking_number=tracking_number or None,
                         actor_id=actor.id))


def _tell_person(session: Session, settings: Settings, row: PersonnelFile, title: str, **params) -> None:
    notifications.notify(session, settings=settings, user=session.get(User, row.person_id), kind="archives",
                         title=title, link="/me/archive", params=params)


def _tell_agency(session: Session, settings: Settings, agency_id: int, title: str, link: str, **params) -> None:
    for staff in agency_staff(session, agency_id):
        notifications.notify(session, settings=settings, user=staff, kind="archives", title=title, link=link,
                             params=params)


def apply(session: Session, *, settings: Settings, person: User, application: CustodyApplication) -> PersonnelFile:
    """Asks an agency to keep the person's file. A file still at the school is asked for at once through the transfer
    flow (the school's officer sends it to the agency, which confirms it arrived)."""
    if person.role != Role.graduate:
        raise NotFound("Only graduates apply to have their personnel file kept.")
    agency = get_agency(session, application.agency_id)
    if _live_file(session, person.id) is not None:
        raise Conflict("Your file is already kept, or an application is open.")
    row = PersonnelFile(person_id=person.id, agency_id=agency.id, applicant_kind=application.applicant_kind,
                        id_number=application.id_number, phone=application.phone,
                        abroad_country=application.abroad_country or None, file_source=application.file_source,
                        file_holder=application.file_holder or None)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same person applying twice at once
        raise Conflict("Your file is already kept, or an application is open.") from None
    _step(session, row, FileStatus.applied, person)
    audit.record(session, actor_id=person.id, action="archives.apply", object_type="personnel_file",
                 object_id=row.id, subject_user_id=person.id)
    _tell_agency(session, settings, agency.id, "%(name)s asks you to keep their personnel file",
                 f"/agency/files/{row.id}", name=person.display_name)
    if row.file_source == FileSource.school:
        target = TransferTarget.talent_service if row.applicant_kind == ApplicantKind.no_employer else TransferTarget.abroad
        transfer = destinations.request_transfer(session, graduate=person, data=TransferCreate(
            kind=TransferKind.personnel_file, target=target, receiving_unit=agency.name,
            receiving_address=agency.address))  # commits the application with it
        row.transfer_request_id = transfer.id
        session.add(row)
    session.commit()
    return row


def _live_file(session: Session, person_id: int) -> PersonnelFile | None:
    return session.exec(select(PersonnelFile).where(PersonnelFile.person_id == person_id,
                                                    PersonnelFile.status.in_(LIVE_FILE_STATUSES))).first()


def my_files(session: Session, *, person: User) -> list[FileView]:
    rows = session.exec(select(PersonnelFile).where(PersonnelFile.person_id == person.id)
                        .order_by(PersonnelFile.id.desc())).all()
    return [_view(session, row) for row in rows]


def _own_file(session: Session, person: User, file_id: int) -> PersonnelFile:
    row = session.get(PersonnelFile, file_id)
    if row is None or row.person_id != person.id:
        raise NotFound(NOT_FOUND)
    return row


def _lock(session: Session, row: PersonnelFile) -> PersonnelFile:
    """Reads the file again under a row lock, so a decision, a withdrawal, a receipt or an answer that race are
    applied one after the other, each seeing the status the one before left (a file is always locked before its
    requests)."""
    return locked(session, PersonnelFile, row.id)


def withdraw(session: Session, *, person: User, file_id: int) -> PersonnelFile:
    """Takes back an application the agency has not accepted yet."""
    row = _lock(session, _own_file(session, person, file_id))
    if row.status != FileStatus.applied:
        raise Conflict("The agency has already decided on your application.")
    row.status = FileStatus.withdrawn
    _step(session, row, FileStatus.withdrawn, person)
    audit.record(session, actor_id=person.id, action="archives.withdraw", object_type="personnel_file",
                 object_id=row.id, subject_user_id=person.id)
    session.commit()
    return row


def request_service(session: Session, *, settings: Settings, person: User, file_id: int,
                    request: ServiceRequest) -> FileService:
    """Asks something of a kept file; one open request of each kind at a time."""
    row = _lock(session, _own_file(session, person, file_id))
    if row.status != FileStatus.in_custody:
        raise Conflict("This can be asked once the agency keeps your file.")
    open_one = session.exec(select(FileService).where(FileService.file_id == row.id, FileService.kind == request.kind,
                                                      FileService.status == FileServiceStatus.requested)).first()
    if open_one is not None:
        raise Conflict("You have already asked for this; the agency is on it.")
    service = FileService(file_id=row.id, kind=request.kind, details=request.details,
                          receiving_unit=request.receiving_unit or None, receiving_address=request.receiving_address or None)
    session.add(service)
    session.flush()
    _step(session, row, f"{request.kind}.requested", person)
    audit.record(session, actor_id=person.id, action="archives.service.request", object_type="file_service",
                 object_id=service.id, subject_user_id=person.id, detail={"kind": request.kind})
    _tell_agency(session, settings, row.agency_id, "%(name)s sent a request about their personnel file",
                 f"/agency/files/{row.id}", name=person.display_name)
    session.commit()
    return service


# ---------------------------------------------------------------- the agency's side


@dataclass
class FileRow:
    file: PersonnelFile
    person: User
    open_services: int


def agency_files(session: Session, *, officer: User, status: str | None = None) -> list[FileRow]:
    """The agency's files (never their contents), those with something to do first."""
    agency = _require_agency(session, officer)
    open_services = (select(FileService.file_id, func.count().label("n"))
                     .where(FileService.status == FileServiceStatus.requested).group_by(FileService.file_id).subquery())
    statement = (select(PersonnelFile, User, func.coalesce(open_services.c.n, 0))
                 .join(User, User.id == PersonnelFile.person_id)
                 .join(open_services, open_services.c.file_id == PersonnelFile.id, isouter=True)
                 .where(PersonnelFile.agency_id == agency.id))
    if status:
        statement = statement.where(PersonnelFile.status == status)
    rows = session.exec(statement.order_by(func.coalesce(open_services.c.n, 0).desc(),
                                           PersonnelFile.updated_at.desc()).limit(500)).all()
    return [FileRow(f, u, n) for f, u, n in rows]


REGISTER_HEADER = ("Name", "Applicant category", "File number", "Status", "Where it is kept", "Received on",
                   "Open requests")


def register_xlsx(session: Session, *, officer: User, status: str | None = None) -> bytes:
    """The agency's register of its files, where each is kept included (never the contents or identity numbers);
    each file's read is audited, as on its page."""
    rows = agency_files(session, officer=officer, status=status)
    for row in rows:
        audit.record(session, actor_id=officer.id, action="archives.file.export", object_type="personnel_file",
                     object_id=row.file.id, subject_user_id=row.person.id)
    session.commit()
    return xlsx.workbook([xlsx.Sheet(gettext("Personnel files in custody"), [gettext(h) for h in REGISTER_HEADER], [
        [r.person.display_name, label(r.file.applicant_kind, "archives"), r.file.archive_number or "",
         label(r.file.status, "archives"), r.file.location or "", r.file.received_at, r.open_services]
        for r in rows], widths=(12, 16, 22, 14, 24, 18, 10))])


def waiting_counts(session: Session, *, officer: User) -> dict[str, int]:
    """For the officer's home: applications to decide, files to receive, requests to answer."""
    rows = agency_files(session, officer=officer)
    return {"applied": sum(r.file.status == FileStatus.applied for r in rows),
            "accepted": sum(r.file.status == FileStatus.accepted for r in rows),
            "requests": sum(r.open_services for r in rows)}


def _agency_file(session: Session, officer: User, file_id: int) -> PersonnelFile:
    agency = _require_agency(session, officer)
    row = session.get(PersonnelFile, file_id)
    if row is None or row.agency_id != agency.id:
        raise NotFound(NOT_FOUND)
    return row


def file_for_agency(session: Session, *, officer: User, file_id: int) -> FileView:
    """The file with its contents, identity number and location, for the agency's officers; the read is audited."""
    row = _agency_file(session, officer, file_id)
    audit.record(session, actor_id=officer.id, action="archives.file.read", object_type="personnel_file",
                 object_id=row.id, subject_user_id=row.person_id)
    session.commit()
    return _view(session, row)


def transfer_of(session: Session, row: PersonnelFile) -> tuple[TransferRequest, list] | None:
    """(the transfer request bringing the file from the school, its steps), or None."""
    if row.transfer_request_id is None:
        return None
    steps = destinations.transfer_steps(session, [row.transfer_request_id])[row.transfer_request_id]
    return session.get(TransferRequest, row.transfer_request_id), steps


def decide(session: Session, *, settings: Settings, officer: User, file_id: int, accept: bool,
           note: str = "") -> PersonnelFile:
    row = _lock(session, _agency_file(session, officer, file_id))
    if row.status != FileStatus.applied:
        raise Conflict("This application has already been decided.")
    row.status = FileStatus.accepted if accept else FileStatus.refused
    _step(session, row, row.status, officer, note.strip())
    audit.record(session, actor_id=officer.id, action=f"archives.{row.status}", object_type="personnel_file",
                 object_id=row.id, subject_user_id=row.person_id)
    _tell_person(session, settings, row, "The talent service agency accepted your file" if accept
                 else "The talent service agency did not accept your file: %(note)s", note=note.strip() or "—")
    session.commit()
    return row


def receive(session: Session, *, settings: Settings, officer: User, file_id: int, contents: Contents) -> PersonnelFile:
    """The file is here: its contents checked, a number given and a place on the shelves. A file the school sends
    must have been posted (its transfer is then marked arrived, which the graduate sees too)."""
    row = _lock(session, _agency_file(session, officer, file_id))
    if row.status != FileStatus.accepted:
        raise Conflict("Only an accepted file can be received.")
    if row.transfer_request_id is not None and transfer_of(session, row)[0].status != TransferStatus.sent:
        raise Conflict("The school has not sent the file yet.")
    row.status, row.contents, row.location = FileStatus.in_custody, contents.contents, contents.location
    row.received_at = utcnow()
    row.archive_number = f"TJ{row.agency_id:03d}-{row.received_at.year}-{row.id:06d}"
    _step(session, row, FileStatus.in_custody, officer, row.archive_number)
    audit.record(session, actor_id=officer.id, action="archives.receive", object_type="personnel_file",
                 object_id=row.id, subject_user_id=row.person_id, detail={"items": len(row.contents)})
    _tell_person(session, settings, row, "Your personnel file is now kept by %(agency)s",
                 agency=session.get(TalentAgency, row.agency_id).name)
    if row.transfer_request_id is not None:
        destinations.record_arrival(session, settings=settings, receiver=officer, request_id=row.transfer_request_id)
    session.commit()
    return row


def update_contents(session: Session, *, officer: User, file_id: int, contents: Contents) -> PersonnelFile:
    """A kept file's checklist or place changes (an item found, the shelves reordered)."""
    row = _lock(session, _agency_file(session, officer, file_id))
    if row.status != FileStatus.in_custody:
        raise Conflict("Only a kept file's contents can change.")
    before = list(row.contents)
    row.contents, row.location, row.updated_at = contents.contents, contents.location, utcnow()
    session.add(row)
    audit.record(session, actor_id=officer.id, action="archives.contents", object_type="personnel_file",
                 object_id=row.id, subject_user_id=row.person_id,
                 detail={"added": sorted(set(row.contents) - set(before)), "removed": sorted(set(before) - set(row.contents))})
    session.commit()
    return row


def answer_service(session: Session, *, settings: Settings, officer: User, service_id: int,
                   answer: ServiceAnswer) -> FileService:
    """The agency's answer to a request: a note while it works on it, done, or refused. What is posted (political
    review materials, the file itself) goes with a tracking number; a certificate gets its number; a file transferred
    out leaves the agency's keeping."""
    service = session.get(FileService, service_id)
    row = _agency_file(session, officer, service.file_id) if service is not None else None
    if row is None:
        raise NotFound("We could not find that request.")
    row = _lock(session, row)
    service = locked(session, FileService, service.id)
    if service.status != FileServiceStatus.requested:
        raise Conflict("This request has already been answered.")
    posted = service.kind in (FileServiceKind.political_review, FileServiceKind.transfer_out)
    if answer.outcome != "done" and not answer.answer:
        raise Invalid("Write what the person should know.", field="answer")
    if answer.outcome == "done" and posted and not answer.tracking_number:
        raise Invalid("Enter the tracking number of the confidential post.", field="tracking_number")
    if answer.outcome != "follow_up":
        service.status = FileServiceStatus(answer.outcome)
        service.decided_by_id, service.decided_at = officer.id, utcnow()
        service.answer, service.tracking_number = answer.answer or None, answer.tracking_number or None
    if answer.outcome == "done" and service.kind == FileServiceKind.custody_certificate:
        service.certificate_number = f"{row.archive_number}-C{service.id:04d}"
    if answer.outcome == "done" and service.kind == FileServiceKind.transfer_out:
        row.status = FileStatus.transferred_out
    session.add(service)
    _step(session, row, f"{service.kind}.{answer.outcome}", officer, answer.answer, answer.tracking_number)
    audit.record(session, actor_id=officer.id, action=f"archives.service.{answer.outcome}", object_type="file_service",
                 object_id=service.id, subject_user_id=row.person_id, detail={"kind": service.kind})
    _tell_person(session, settings, row, "The agency answered your request about your personnel file")
    session.commit()
    return service


def certificate_pdf(session: Session, *, settings: Settings, user: User, service_id: int) -> tuple[bytes, str]:
    """(the PDF, its file name) of an issued custody certificate, for its person or the agency's officers (who read
    the identity number on it: audited). It carries the address where anyone holding it can check it."""
    service = session.get(FileService, service_id)
    row = session.get(PersonnelFile, service.file_id) if service is not None else None
    agency = agency_of(session, user)
    ours = row is not None and (row.person_id == user.id or (agency is not None and agency.id == row.agency_id))
    if not ours or service.kind != FileServiceKind.custody_certificate or service.status != FileServiceStatus.done:
        raise NotFound("We could not find that certificate.")
    audit.record(session, actor_id=user.id, action="archives.certificate.read", object_type="file_service",
                 object_id=service.id, subject_user_id=row.person_id)
    session.commit()
    pdf = certificate.render(number=service.certificate_number, agency=session.get(TalentAgency, row.agency_id).name,
                             name=session.get(User, row.person_id).display_name, id_number=row.id_number,
                             archive_number=row.archive_number, since=row.received_at, issued_on=service.decided_at,
                             check_url=absolute_url(settings, certificate_check_path(settings, service)))
    return pdf, f"存档证明-{service.certificate_number}.pdf"


def _certificate_code(settings: Settings, service: FileService) -> str:
    """A MAC of the certificate under the portal's secret: only the portal can print a code that checks."""
    digest = hmac.new(settings.secret_key.encode(), f"custody-certificate:{service.id}:{service.certificate_number}"
                      .encode(), sha256).digest()
    return base64.urlsafe_b64encode(digest[:CERTIFICATE_CODE_BYTES]).decode()


def certificate_check_path(settings: Settings, service: FileService) -> str:
    return f"/archive/certificates/check/{service.id}/{_certificate_code(settings, service)}"


@dataclass(frozen=True)
class CertificateCheck:
    """What the agency's record says of a certificate, for whoever holds it (an employer, another agency)."""
    number: str
    agency: str
    holder: str  # the name with its middle masked: enough to compare with the person in front of you
    issued_on: datetime
    still_kept: bool


def _masked(name: str) -> str:
    return name[0] + "*" * max(len(name) - 2, 1) + (name[-1] if len(name) > 2 else "")


def check_certificate(session: Session, *, settings: Settings, service_id: int, code: str) -> CertificateCheck:
    """The record behind a certificate's check address; NotFound for a code the portal did not print."""
    service = session.get(FileService, service_id)
    if (service is None or service.kind != FileServiceKind.custody_certificate
            or service.status != FileServiceStatus.done
            or not hmac.compare_digest(_certificate_code(settings, service), code)):
        raise NotFound("No custody certificate has this check code.")
    row = session.get(PersonnelFile, service.file_id)
    return CertificateCheck(number=service.certificate_number, agency=session.get(TalentAgency, row.agency_id).name,
                            holder=_masked(session.get(User, row.person_id).display_name),
                            issued_on=service.decided_at, still_kept=row.status == FileStatus.in_custody)
