"""A graduate's rights over their personal information (PIPL arts. 44-47): a copy of everything, who looked at the
sensitive parts, and deleting the account with what the law does not require the portal to keep.

What is kept, deleted or anonymised is written down once, in RETENTION, and in docs/data-map.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from portal.accounts import service as accounts
from portal.accounts.models import GraduateProfile, Role, User
from portal.applications.models import Application
from portal.audit import service as audit
from portal.audit.models import AuditEntry
from portal.clock import utcnow
from portal.errors import Invalid, NotFound
from portal.ledger.models import LedgerCase
from portal.resumes.models import Resume
from portal.security import verify_password
from portal.settings import Settings
from portal.storage import storage_for
from search import outbox

# Columns that say whose data a row is.
SUBJECT_COLUMNS = ("graduate_id", "user_id", "subject_user_id")
# Never copied out, even to their owner: credentials and token hashes.
SECRET_MARKERS = ("password", "token", "secret", "hash", "private_key")
# Kept from the graduate: a career adviser's own notes, the audit log's detail of what was processed, which may
# carry what is kept from them, and a personnel file's contents and place on the agency's shelves (the agency's
# alone: the person sees the file's steps, never what is in it); who did what, and when, still goes out.
WITHHELD_COLUMNS = {"guidanceappointment.private_notes", "auditentry.detail", "personnelfile.contents",
                    "personnelfile.location"}
# Rows that belong to the person through a row of theirs, and which they see in full where the portal shows it:
# table -> the column that points at the parent row (a personnel file's steps and what the person asked of it, the
# history of their applications, agreements, archive transfers and subsidy claims, whoever wrote it). Not the other
# parties' signatures on an agreement (their address is theirs) nor judges' scores (the organisers publish results).
OWNED_THROUGH = {
    "filestep": "file_id", "fileservice": "file_id",
    "applicationevent": "application_id", "traineeshipcompletion": "application_id", "interviewslot": "interview_id",
    "agreementevent": "agreement_id", "agreementcancellation": "agreement_id", "transferstep": "request_id",
    "subsidyevent": "application_id", "subsidydocument": "application_id", "trainingattendance": "enrolment_id",
}

KEEP, ANONYMISE, DELETE = "keep", "anonymise", "delete"
# Why each kind of record outlives the account (docs/data-map.md gives the periods). Tables not named here are the
# graduate's own and are deleted; one that other records still point to is kept and the report says so.
RETENTION: dict[str, tuple[str, str]] = {
    "user": (ANONYMISE, "the account row stays so kept records still point somewhere; name, e-mail and password go"),
    "graduateprofile": (ANONYMISE, "school, major, degree and year stay for the employment statistics; the rest goes"),
    "application": (ANONYMISE, "employers' hiring records; the résumé copy, PDF and note go"),
    "agreement": (KEEP, "a signed tripartite agreement is an employment record (kept 10 years)"),
    "destination": (KEEP, "graduate destination statistics the city reports to the Ministry of Education"),
    "destinationchange": (KEEP, "the history of the destination record"),
    "followupcase": (KEEP, "archive transfer (档案转递) follow-up"),
    "transferrequest": (KEEP, "archive transfer (档案转递) requests"),
    "ledgercase": (ANONYMISE, "the support work done stays on the ledger (3 years); categories, evidence and income go"),
    "ledgeroffer": (KEEP, "positions offered as support, part of the ledger's record of work done"),
    "subsidyapplication": (KEEP, "subsidy payments are financial records (kept 10 years)"),
    "trainingenrolment": (KEEP, "training results are the basis of subsidy payments"),
    "enrolmentrecord": (KEEP, "the school's own roster, not the portal account"),
    "enrolmentchange": (KEEP, "the school's own roster changes"),
    "partycertificate": (KEEP, "the certificate that verifies signatures already made"),
    "auditentry": (KEEP, "the log of who processed personal information (kept 3 years, PIPL art. 55)"),
    "personnelfile": (KEEP, "a personnel file (人事档案) is in its agency's custody under the archive rules, not the "
                            "account's"),
    "filestep": (KEEP, "the history of the personnel file's custody, kept with the file"),
    "fileservice": (KEEP, "what was asked of the personnel file, kept with the file"),
    "competitionentry": (KEEP, "a team's entry stays in the competition's record; its leader shows as a deleted user"),
}
DELETED_NAME = "已注销用户"


@dataclass
class DeletionReport:
    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)


def _require_graduate(user: User) -> None:
    if user.role != Role.graduate:
        raise NotFound("This page is not available to your account.")


def subject_tables():
    """(table, subject column) for every table holding rows about one person."""
    for table in SQLModel.metadata.sorted_tables:
        for name in SUBJECT_COLUMNS:
            if name in table.c:
                yield table, table.c[name]
                break


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def _public_columns(table):
    return [c for c in table.columns if not any(marker in c.name for marker in SECRET_MARKERS)
            and f"{table.name}.{c.name}" not in WITHHELD_COLUMNS]


def person_columns(table) -> list:
    """The columns of `table` that name a user, whatever they are called (graduate_id, person_id, leader_id,
    signer_id, author_id, actor_id, ...): every foreign key to the user table."""
    users = User.__table__
    return [column for column in table.columns
            if any(fk.column.table is users and fk.column.name == "id" for fk in column.foreign_keys)]


def _belongs_to(table, user_id: int):
    """A condition on `table` for the rows that belong to the user (None: the table has none): those that name them
    in any column, and those of a row of theirs (OWNED_THROUGH)."""
    conditions = [column == user_id for column in person_columns(table)]
    if table.name in OWNED_THROUGH:
        column = table.c[OWNED_THROUGH[table.name]]
        (parent_key,) = [fk.column for fk in column.foreign_keys]
        parent = _belongs_to(parent_key.table, user_id)
        if parent is not None:
            conditions.append(column.in_(select(parent_key).where(parent)))
    return or_(*conditions) if conditions else None


def export(session: Session, *, user: User) -> dict:
    """Every row about the graduate, table by table, without credentials (PIPL art. 45: a copy on request): each row
    that names them in any column (as graduate, person, team leader, signer, author, actor...) and the rows of a row
    of theirs that they see in full, without what is kept from them (WITHHELD_COLUMNS)."""
    _require_graduate(user)
    columns = _public_columns(User.__table__)
    account = session.execute(select(*columns).where(User.__table__.c.id == user.id)).mappings().one()
    data = {"generated_at": utcnow().isoformat(), "account": {k: _plain(v) for k, v in account.items()}, "records": {}}
    for table in SQLModel.metadata.sorted_tables:
        condition = _belongs_to(table, user.id) if table is not User.__table__ else None
        if condition is None:
            continue
        rows = session.execute(select(*_public_columns(table)).where(condition)
                               .order_by(*table.primary_key.columns)).mappings().all()
        if rows:
            data["records"][table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    audit.record(session, actor_id=user.id, action="privacy.export", object_type="user", object_id=user.id,
                 subject_user_id=user.id, detail={})
    session.commit()
    return data


@dataclass(frozen=True)
class Access:
    at: datetime
    actor_name: str
    actor_role: str
    action: str
    looked: bool

    @property
    def subject(self) -> str:
        """What was looked at, in the graduate's words (an msgid)."""
        return SUBJECTS.get(self.action.split(".", 1)[0], "records")


LOOKING = ("view", "list", "read", "export", "download")
SUBJECTS = {
    "ledger": "employment support file", "subsidy": "subsidy application", "destination": "destination record",
    "followup": "destination record", "transfer": "destination record", "agreement": "employment agreement",
    "application": "applications", "resume": "résumé", "graduate": "profile", "training": "training records",
    "traineeship": "training records", "enrolment": "school enrolment record", "interview": "interviews",
}


def who_accessed(session: Session, *, user: User, limit: int = 200) -> list[Access]:
    """Who else looked at or changed the graduate's records, newest first, from the audit log."""
    _require_graduate(user)
    rows = session.execute(
        select(AuditEntry.created_at, AuditEntry.action, User.display_name, User.role)
        .join(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.subject_user_id == user.id, AuditEntry.actor_id != user.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).all()
    return [Access(at=at, actor_name=name, actor_role=role, action=action,
                   looked=action.rsplit(".", 1)[-1] in LOOKING) for at, action, name, role in rows]


def delete_account(session: Session, *, settings: Settings, user: User, password: str) -> DeletionReport:
    """Deletes or anonymises the graduate's data as RETENTION says, signs them out everywhere, all in one transaction."""
    _require_graduate(user)
    if not verify_password(user.password_hash, password or ""):
        raise Invalid("The password is not correct.", field="password")
    report = DeletionReport()
    files = _stored_files(session, user)
    _anonymise(session, user, report)
    for table, subject in reversed(list(subject_tables())):  # rows that refer to others go first
        policy, reason = RETENTION.get(table.name, (DELETE, ""))
        if policy == KEEP:
            report.kept[table.name] = reason
        elif policy == DELETE:
            _delete_rows(session, table, subject, user, report)
    _report_kept_elsewhere(session, user, report)
    audit.record(session, actor_id=user.id, action="privacy.account_deleted", object_type="user", object_id=user.id,
                 subject_user_id=user.id, detail={"deleted": report.deleted, "kept": sorted(report.kept)})
    session.commit()
    storage = storage_for(settings)
    for key in files:
        storage.delete(key)
    return report


def _report_kept_elsewhere(session: Session, user: User, report: DeletionReport) -> None:
    """Kept records that name the person under another column (a personnel file's person, a team's leader): the
    report says they stay, and why."""
    subjects = {table.name for table, _ in subject_tables()}
    for name, (policy, reason) in RETENTION.items():
        table = SQLModel.metadata.tables[name]
        if policy == KEEP and name not in subjects:
            if session.execute(select(*table.primary_key.columns).where(_belongs_to(table, user.id)).limit(1)).first():
                report.kept[name] = reason


def _stored_files(session: Session, user: User) -> list[str]:
    resume_files = session.execute(select(Resume.pdf_file).where(Resume.graduate_id == user.id)).scalars()
    application_files = session.execute(select(Application.resume_pdf_file).where(Application.graduate_id == user.id))
    return [key for key in (*resume_files, *application_files.scalars()) if key]


def _anonymise(session: Session, user: User, report: DeletionReport) -> None:
    for resume_id in session.execute(select(Resume.id).where(Resume.graduate_id == user.id)).scalars():
        outbox.enqueue(session, "resume", resume_id)  # the search document goes with the résumé
    accounts.revoke_sessions(session, user_id=user.id)
    user.email, user.display_name = f"deleted-{user.id}@deleted.invalid", DELETED_NAME
    user.password_hash, user.is_active, user.locale = None, False, None
    user.session_epoch += 1
    session.add(user)
    profile = session.get(GraduateProfile, user.id)
    if profile is not None:
        profile.student_number, profile.phone, profile.district = "", None, None
        profile.discoverable, profile.needs_accessible, profile.accessibility_note = False, False, None
        session.add(profile)
    report.anonymised["user"] = 1
    report.anonymised["application"] = session.execute(
        update(Application).where(Application.graduate_id == user.id)
        .values(resume_snapshot={}, cover_note=None, resume_pdf_file=None)
    ).rowcount
    report.anonymised["ledgercase"] = session.execute(
        update(LedgerCase).where(LedgerCase.graduate_id == user.id)
        .values(categories=[], evidence="", family_income_note=None, consent_note="")
    ).rowcount


def _delete_rows(session: Session, table, subject, user: User, report: DeletionReport) -> None:
    """Deletes the rows, unless other kept records still point to them (then they are kept, and the report says so)."""
    try:
        with session.begin_nested():
            count = session.execute(delete(table).where(subject == user.id)).rowcount
    except IntegrityError:
        report.kept[table.name] = "other kept records refer to these rows"
        return
    if count:
        report.deleted[table.name] = count
