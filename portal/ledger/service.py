"""The support ledger's rules: enrolment, the file and the plan, the three-position guarantee, closing and reopening.

Authorization lives here. A ledger record is visible only to officers (and admins) whose scope covers the graduate;
anyone else gets NotFound, so case ids cannot be probed. Every read and every change of a ledger record writes an
audit entry in the same transaction. Nothing in this module is ever shown to an employer.
"""
from __future__ import annotations

import io
import logging
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, or_
from sqlmodel import Session, select

from portal import xlsx
from portal.accounts.models import GraduateProfile, OfficerScope, Role, User
from portal.applications.models import Application, ApplicationEvent, ApplicationStatus
from portal.audit.service import record
from portal.clock import today, utcnow
from portal.employers.models import Organization
from portal.errors import Conflict, Invalid, NotFound
from portal.ledger.models import (
    DEFAULT_CATEGORIES,
    LIVE_OFFER_STATUSES,
    CaseStatus,
    CloseReason,
    EnrolmentRequestStatus,
    LapseReason,
    LedgerCase,
    LedgerCaseEvent,
    LedgerCategory,
    LedgerContact,
    LedgerDocument,
    LedgerEnrolmentRequest,
    LedgerMeasure,
    LedgerOffer,
    MeasureKind,
    MeasureStatus,
    OfferStatus,
)
from portal.ledger.suitability import DEFAULT_MIN_FIT, Constraints, OpenPositions, Suitability
from portal.positions.models import CloseReason as PositionCloseReason
from portal.positions.models import Position, PositionStatus
from portal.resumes.models import Resume

log = logging.getLogger(__name__)

GUARANTEE = 3  # positions every active case must hold
OPEN_MEASURE_STATUSES = (MeasureStatus.planned, MeasureStatus.in_progress)
DOCUMENT_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


# ==== scope ==========================================================================================================
@dataclass(frozen=True)
class Scope:
    city: bool
    schools: frozenset[str]
    districts: frozenset[str]

    def covers(self, school: str | None, district: str | None) -> bool:
        return self.city or school in self.schools or (district is not None and district in self.districts)

    def where(self, statement):
        """Narrows a statement over LedgerCase to the cases in scope."""
        if self.city:
            return statement
        conditions = []
        if self.schools:
            conditions.append(LedgerCase.school.in_(self.schools))
        if self.districts:
            conditions.append(LedgerCase.district.in_(self.districts))
        return statement.where(or_(*conditions)) if conditions else statement.where(False)


NO_SCOPE = Scope(False, frozenset(), frozenset())


def scope_of(session: Session, user: User | None) -> Scope:
    if user is None:
        return NO_SCOPE
    if user.role == Role.admin:
        return Scope(True, frozenset(), frozenset())
    if user.role != Role.officer:
        return NO_SCOPE
    rows = session.exec(select(OfficerScope).where(OfficerScope.user_id == user.id)).all()
    return Scope(
        city=any(r.kind == "city" for r in rows),
        schools=frozenset(r.value for r in rows if r.kind == "school"),
        districts=frozenset(r.value for r in rows if r.kind == "district"),
    )


def _graduate(session: Session, graduate_id: int) -> tuple[User, GraduateProfile]:
    user = session.get(User, graduate_id)
    profile = session.get(GraduateProfile, graduate_id)
    if user is None or user.role != Role.graduate or profile is None:
        raise NotFound("We could not find that graduate.")
    return user, profile


def _audit(session: Session, actor: User | None, action: str, case: LedgerCase, object_type: str = "ledger_case",
           object_id: object = None, **detail) -> None:
    record(session, actor_id=actor.id if actor else None, action=action, object_type=object_type,
           object_id=object_id if object_id is not None else case.id, subject_user_id=case.graduate_id, detail=detail)


def _case_in_scope(session: Session, officer: User, case_id: int) -> LedgerCase:
    case = session.get(LedgerCase, case_id)
    if case is None or not scope_of(session, officer).covers(case.school, case.district):
        raise NotFound("We could not find that case.")
    return case


def get_case(session: Session, *, officer: User, case_id: int, action: str = "ledger.case.view") -> LedgerCase:
    """A case the officer may see; the read is audited."""
    case = _case_in_scope(session, officer, case_id)
    _audit(session, officer, action, case)
    session.commit()
    return case


def case_of_graduate(session: Session, graduate_id: int) -> LedgerCase | None:
    return session.exec(select(LedgerCase).where(LedgerCase.graduate_id == graduate_id)).first()


# ==== categories =====================================================================================================
def ensure_categories(session: Session) -> None:
    """Seeds the four national categories once; a city's own rows and edited labels are left alone."""
    existing = set(session.exec(select(LedgerCategory.code)).all())
    added = False
    for code, zh, en, accessible, order in DEFAULT_CATEGORIES:
        if code not in existing:
            session.add(LedgerCategory(code=code, label_zh=zh, label_en=en, needs_accessible=accessible,
                                       sort_order=order))
            added = True
    if added:
        session.commit()


def list_categories(session: Session, *, active_only: bool = True) -> list[LedgerCategory]:
    ensure_categories(session)
    statement = select(LedgerCategory).order_by(LedgerCategory.sort_order, LedgerCategory.code)
    if active_only:
        statement = statement.where(LedgerCategory.is_active == True)  # noqa: E712
    return list(session.exec(statement))


def add_category(session: Session, *, actor: User, code: str, label_zh: str, label_en: str,
                 needs_accessible: bool = False, sort_order: int = 100) -> LedgerCategory:
    ensure_categories(session)
    code = code.strip().lower()
    if not code or not code.replace("_", "").isalnum() or len(code) > 40:
        raise Invalid("Use lower-case letters, digits and underscores for the code.", field="code")
    if session.get(LedgerCategory, code):
        raise Conflict("This category already exists.", field="code")
    category = LedgerCategory(code=code, label_zh=label_zh.strip(), label_en=label_en.strip(),
                              needs_accessible=needs_accessible, sort_order=sort_order)
    session.add(category)
    record(session, actor_id=actor.id, action="ledger.category.add", object_type="ledger_category", object_id=code,
           detail={"label_zh": label_zh, "label_en": label_en})
    session.commit()
    return category


def _valid_categories(session: Session, codes: list[str]) -> list[str]:
    known = {c.code: c for c in list_categories(session)}
    by_label = {c.label_zh: c.code for c in known.values()} | {c.label_en.lower(): c.code for c in known.values()}
    result = []
    for raw in codes:
        value = (raw or "").strip()
        code = value if value in known else by_label.get(value) or by_label.get(value.lower())
        if code is None:
            raise Invalid("Unknown category: %(value)s", field="categories", value=value)
        if code not in result:
            result.append(code)
    if not result:
        raise Invalid("Choose at least one category.", field="categories")
    return result


def _needs_accessible(session: Session, categories: list[str], stated: bool) -> bool:
    if stated:
        return True
    rows = session.exec(select(LedgerCategory).where(LedgerCategory.code.in_(categories))).all()
    return any(c.needs_accessible for c in rows)


def _valid_districts(districts: list[str] | None) -> list[str]:
    from portal.reference import TIANJIN_DISTRICTS

    out = []
    for d in districts or []:
        d = d.strip()
        if not d:
            continue
        if d not in TIANJIN_DISTRICTS:
            raise Invalid("Unknown district: %(value)s", field="preferred_districts", value=d)
        if d not in out:
            out.append(d)
    return out


# ==== enrolment ======================================================================================================
def enrol(
    session: Session,
    *,
    officer: User,
    graduate_id: int,
    categories: list[str],
    evidence: str,
    consent_given: bool,
    consent_note: str = "",
    preferred_districts: list[str] | None = None,
    needs_accessible: bool = False,
    family_income_note: str | None = None,
    responsible_officer_id: int | None = None,
    reason: str = "",
    commit: bool = True,
) -> LedgerCase:
    """Opens (or re-opens) the graduate's case. The officer must cover the graduate and record consent."""
    _, profile = _graduate(session, graduate_id)
    scope = scope_of(session, officer)
    if not scope.covers(profile.school, profile.district):
        raise NotFound("We could not find that graduate.")
    codes = _valid_categories(session, categories)
    districts = _valid_districts(preferred_districts)
    if not (evidence or "").strip():
        raise Invalid("Record the evidence you have seen.", field="evidence")
    if not consent_given:
        raise Invalid("The graduate's consent is required before enrolment.", field="consent_given")
    case = case_of_graduate(session, graduate_id)
    if case is not None and case.status == CaseStatus.active:
        raise Conflict("This graduate is already in the ledger.")
    now = utcnow()
    fields = dict(
        status=CaseStatus.active, categories=codes, evidence=evidence.strip(), consent_given=True,
        consent_note=(consent_note or "").strip(), consent_at=now, family_income_note=family_income_note or None,
        officer_id=responsible_officer_id or officer.id, preferred_districts=districts,
        needs_accessible=_needs_accessible(session, codes, needs_accessible), school=profile.school,
        district=profile.district, opened_at=now, opened_by_id=officer.id, open_reason=reason, closed_at=None,
        close_reason=None, close_note=None, shortfall_reason="not_topped_up", shortfall_detail={}, offers_held=0,
        updated_at=now,
    )
    if case is None:
        case = LedgerCase(graduate_id=graduate_id, **fields)
        session.add(case)
        session.flush()
        kind = "enrolled"
    else:
        for key, value in fields.items():
            setattr(case, key, value)
        kind = "re_enrolled"
    session.add(LedgerCaseEvent(case_id=case.id, kind=kind, note=", ".join(codes), actor_id=officer.id))
    _audit(session, officer, "ledger.case.enrol", case, categories=codes)
    if commit:
        session.commit()
    return case


def update_case(session: Session, *, officer: User, case_id: int, categories: list[str] | None = None,
                evidence: str | None = None, preferred_districts: list[str] | None = None,
                needs_accessible: bool | None = None, responsible_officer_id: int | None = None,
                family_income_note: str | None = None) -> LedgerCase:
    case = _case_in_scope(session, officer, case_id)
    changed = {}
    if categories is not None:
        case.categories = _valid_categories(session, categories)
        changed["categories"] = case.categories
    if evidence is not None:
        case.evidence = evidence.strip()
        changed["evidence"] = True
    if preferred_districts is not None:
        case.preferred_districts = _valid_districts(preferred_districts)
        changed["preferred_districts"] = case.preferred_districts
    if needs_accessible is not None or categories is not None:
        stated = case.needs_accessible if needs_accessible is None else needs_accessible
        case.needs_accessible = _needs_accessible(session, case.categories, stated)
        changed["needs_accessible"] = case.needs_accessible
    if responsible_officer_id is not None:
        responsible = session.get(User, responsible_officer_id)
        if responsible is None or responsible.role not in (Role.officer, Role.admin):
            raise Invalid("Choose an officer.", field="officer_id")
        case.officer_id = responsible_officer_id
        changed["officer_id"] = responsible_officer_id
    if family_income_note is not None:
        case.family_income_note = family_income_note.strip() or None
        changed["family_income_note"] = True
    case.updated_at = utcnow()
    session.add(LedgerCaseEvent(case_id=case.id, kind="updated", note=", ".join(sorted(changed)), actor_id=officer.id))
    _audit(session, officer, "ledger.case.update", case, fields=sorted(changed))
    session.commit()
    return case


# ---- bulk enrolment ------------------------------------------------------------------------------------------------
BULK_COLUMNS = ("email", "school", "student_number", "categories", "evidence", "consent", "consent_note",
                "preferred_districts", "needs_accessible")
HEADER_ALIASES = {
    "邮箱": "email", "学校": "school", "学号": "student_number", "类别": "categories", "帮扶类别": "categories",
    "佐证材料": "evidence", "证明材料": "evidence", "本人同意": "consent", "同意": "consent", "同意说明": "consent_note",
    "意向区域": "preferred_districts", "需无障碍": "needs_accessible",
}
YES = {"1", "y", "yes", "true", "是", "同意", "√", "x"}
NO = {"", "0", "n", "no", "false", "否", "不同意"}


@dataclass
class RowError:
    row: int
    field: str
    message: str
    params: dict = field(default_factory=dict)


@dataclass
class BulkResult:
    rows: int = 0
    enrolled: list[int] = field(default_factory=list)  # case ids
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(filename: str, content: bytes, *, limits: xlsx.Limits = xlsx.Limits()) -> list[dict[str, str]]:
    """Rows of an xlsx or csv file as dicts keyed by canonical column names."""
    header, rows = xlsx.read_records(filename, content, aliases=HEADER_ALIASES, limits=limits)
    missing = {"categories", "evidence", "consent"} - set(header)
    if "email" not in header and not {"school", "student_number"} <= set(header):
        missing.add("email")
    if missing:
        raise Invalid("The file lacks these columns: %(columns)s", field="file", columns=", ".join(sorted(missing)))
    return rows


def _split(value: str) -> list[str]:
    for sep in ("、", "，", ";", "；", "|", "/"):
        value = value.replace(sep, ",")
    return [v.strip() for v in value.split(",") if v.strip()]


def bulk_enrol(session: Session, *, officer: User, filename: str, content: bytes,
               limits: xlsx.Limits = xlsx.Limits()) -> BulkResult:
    """Validates every row first; imports all rows or, when any row is wrong, none of them."""
    from portal.i18n import gettext

    rows = read_table(filename, content, limits=limits)
    result = BulkResult(rows=len(rows))
    scope = scope_of(session, officer)
    seen: set[int] = set()
    plans: list[tuple[int, dict]] = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        def error(field_name: str, message: str, **params) -> None:
            result.errors.append(RowError(number, field_name, gettext(message, **params), params))

        graduate = None
        if row.get("email"):
            graduate = session.exec(select(User).where(User.email == row["email"].strip().lower())).first()
        elif row.get("school") and row.get("student_number"):
            profile = session.exec(select(GraduateProfile).where(
                GraduateProfile.school == row["school"], GraduateProfile.student_number == row["student_number"])).first()
            graduate = session.get(User, profile.user_id) if profile else None
        profile = session.get(GraduateProfile, graduate.id) if graduate and graduate.role == Role.graduate else None
        if profile is None or not scope.covers(profile.school, profile.district):
            error("email", "No graduate in your scope matches this row.")
            continue
        if profile.user_id in seen:
            error("email", "This graduate appears twice in the file.")
            continue
        seen.add(profile.user_id)
        existing = case_of_graduate(session, profile.user_id)
        if existing is not None and existing.status == CaseStatus.active:
            error("email", "This graduate is already in the ledger.")
        try:
            codes = _valid_categories(session, _split(row.get("categories", "")))
        except Invalid as problem:
            error("categories", problem.message, **problem.params)
            codes = []
        try:
            districts = _valid_districts(_split(row.get("preferred_districts", "")))
        except Invalid as problem:
            error("preferred_districts", problem.message, **problem.params)
            districts = []
        if not row.get("evidence", "").strip():
            error("evidence", "Record the evidence you have seen.")
        consent = row.get("consent", "").strip().lower()
        if consent not in YES:
            error("consent", "The graduate's consent is required before enrolment.")
        accessible = row.get("needs_accessible", "").strip().lower()
        if accessible not in YES | NO:
            error("needs_accessible", "Write yes or no.")
        plans.append((profile.user_id, dict(
            categories=codes, evidence=row.get("evidence", ""), consent_given=True,
            consent_note=row.get("consent_note", "") or f"bulk import {filename}", preferred_districts=districts,
            needs_accessible=accessible in YES, reason="bulk import")))
    if result.errors:
        session.rollback()
        return result
    for graduate_id, kwargs in plans:
        case = enrol(session, officer=officer, graduate_id=graduate_id, commit=False, **kwargs)
        result.enrolled.append(case.id)
    record(session, actor_id=officer.id, action="ledger.case.bulk_enrol", object_type="ledger_import",
           object_id=filename[:40], detail={"rows": result.rows, "cases": result.enrolled})
    session.commit()
    return result


# ---- the graduate asks ---------------------------------------------------------------------------------------------
def request_enrolment(session: Session, *, graduate: User, categories: list[str], statement: str = "",
                      preferred_districts: list[str] | None = None, needs_accessible: bool = False,
                      consent_given: bool = False) -> LedgerEnrolmentRequest:
    """A graduate applies for employment support services; an officer in scope decides."""
    _graduate(session, graduate.id)
    codes = _valid_categories(session, categories)
    districts = _valid_districts(preferred_districts)
    if not consent_given:
        raise Invalid("Please confirm that officers may use this information to support you.", field="consent_given")
    case = case_of_graduate(session, graduate.id)
    if case is not None and case.status == CaseStatus.active:
        raise Conflict("You are already receiving support services.")
    if pending_request(session, graduate.id):
        raise Conflict("Your application is already with an officer.")
    request = LedgerEnrolmentRequest(graduate_id=graduate.id, categories=codes, statement=(statement or "").strip(),
                                     preferred_districts=districts, needs_accessible=needs_accessible,
                                     consent_given=True)
    session.add(request)
    session.flush()
    record(session, actor_id=graduate.id, action="ledger.request.submit", object_type="ledger_request",
           object_id=request.id, subject_user_id=graduate.id, detail={"categories": codes})
    session.commit()
    return request


def pending_request(session: Session, graduate_id: int) -> LedgerEnrolmentRequest | None:
    return session.exec(select(LedgerEnrolmentRequest).where(
        LedgerEnrolmentRequest.graduate_id == graduate_id,
        LedgerEnrolmentRequest.status == EnrolmentRequestStatus.submitted)).first()


def my_requests(session: Session, *, graduate: User) -> list[LedgerEnrolmentRequest]:
    return list(session.exec(select(LedgerEnrolmentRequest).where(LedgerEnrolmentRequest.graduate_id == graduate.id)
                             .order_by(LedgerEnrolmentRequest.created_at.desc())))


def requests_for_officer(session: Session, *, officer: User) -> list[tuple[LedgerEnrolmentRequest, User, GraduateProfile]]:
    scope = scope_of(session, officer)
    rows = session.exec(
        select(LedgerEnrolmentRequest, User, GraduateProfile)
        .join(User, User.id == LedgerEnrolmentRequest.graduate_id)
        .join(GraduateProfile, GraduateProfile.user_id == User.id)
        .where(LedgerEnrolmentRequest.status == EnrolmentRequestStatus.submitted)
        .order_by(LedgerEnrolmentRequest.created_at)
    ).all()
    rows = [r for r in rows if scope.covers(r[2].school, r[2].district)]
    if rows:
        record(session, actor_id=officer.id, action="ledger.request.list", object_type="ledger_request",
               object_id="list", detail={"ids": [r[0].id for r in rows]})
        session.commit()
    return rows


def decide_request(session: Session, *, officer: User, request_id: int, approve: bool, evidence: str = "",
                   note: str = "", settings=None) -> LedgerCase | None:
    request = session.get(LedgerEnrolmentRequest, request_id)
    profile = session.get(GraduateProfile, request.graduate_id) if request else None
    if request is None or profile is None or not scope_of(session, officer).covers(profile.school, profile.district):
        raise NotFound("We could not find that application.")
    if request.status != EnrolmentRequestStatus.submitted:
        raise Conflict("This application has already been decided.")
    request.status = EnrolmentRequestStatus.approved if approve else EnrolmentRequestStatus.declined
    request.decided_by_id = officer.id
    request.decided_at = utcnow()
    request.decision_note = (note or "").strip() or None
    record(session, actor_id=officer.id, action="ledger.request." + ("approve" if approve else "decline"),
           object_type="ledger_request", object_id=request.id, subject_user_id=request.graduate_id)
    case = None
    if approve:
        case = enrol(session, officer=officer, graduate_id=request.graduate_id, categories=request.categories,
                     evidence=evidence or request.statement or "graduate's application",
                     consent_given=request.consent_given, consent_note="given online with the application",
                     preferred_districts=request.preferred_districts, needs_accessible=request.needs_accessible,
                     reason="graduate's application", commit=False)
    _notify(session, settings, request.graduate_id,
            "Your application for employment support services was accepted." if approve
            else "Your application for employment support services was reviewed; an officer will contact you.")
    session.commit()
    return case


def _notify(session: Session, settings, user_id: int, title: str, body: str = "", link: str = "/me/support") -> None:
    """An in-app notification (never mentioning a category); skipped without settings (e.g. a bare top-up)."""
    if settings is None:
        return
    from portal.notifications import service as notifications

    user = session.get(User, user_id)
    try:
        with session.begin_nested():
            notifications.notify(session, settings=settings, user=user, kind="support.update", title=title,
                                 body=body, link=link)
    except Exception:  # a notification must never block the ledger
        log.exception("notification failed")


# ==== the file =======================================================================================================
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
    agreements: list
    destination: object | None
    events: list[LedgerCaseEvent]


def case_file(session: Session, *, officer: User, case_id: int) -> CaseFile:
    """Everything about one graduate in one place (一人一档); the read is audited."""
    case = _case_in_scope(session, officer, case_id)
    graduate, profile = _graduate(session, case.graduate_id)
    resume = session.exec(select(Resume).where(Resume.graduate_id == graduate.id)).first()
    offers = session.exec(
        select(LedgerOffer, Position, Organization)
        .join(Position, Position.id == LedgerOffer.position_id)
        .join(Organization, Organization.id == Position.organization_id)
        .where(LedgerOffer.case_id == case.id)
        .order_by(LedgerOffer.status_changed_at.desc(), LedgerOffer.id.desc())
    ).all()
    apps = session.exec(
        select(Application, Position, Organization)
        .join(Position, Position.id == Application.position_id)
        .join(Organization, Organization.id == Position.organization_id)
        .where(Application.graduate_id == graduate.id)
        .order_by(Application.created_at.desc())
    ).all()
    events_by_app: dict[int, list[ApplicationEvent]] = defaultdict(list)
    if apps:
        for event in session.exec(select(ApplicationEvent).where(
                ApplicationEvent.application_id.in_([a.id for a, _, _ in apps])).order_by(ApplicationEvent.created_at)):
            events_by_app[event.application_id].append(event)
    _audit(session, officer, "ledger.case.view", case)
    session.commit()
    return CaseFile(
        case=case, graduate=graduate, profile=profile, resume=resume,
        categories=[c for c in list_categories(session, active_only=False) if c.code in case.categories],
        officer=session.get(User, case.officer_id) if case.officer_id else None,
        contacts=list(session.exec(select(LedgerContact).where(LedgerContact.case_id == case.id)
                                   .order_by(LedgerContact.contacted_on.desc(), LedgerContact.id.desc()))),
        documents=list(session.exec(select(LedgerDocument).where(LedgerDocument.case_id == case.id)
                                    .order_by(LedgerDocument.uploaded_at.desc()))),
        measures=sorted(session.exec(select(LedgerMeasure).where(LedgerMeasure.case_id == case.id)),
                        key=lambda m: (not (m.status in OPEN_MEASURE_STATUSES and m.target_date < today()),
                                       m.status not in OPEN_MEASURE_STATUSES, m.target_date, m.id)),
        offers=list(offers),
        applications=[(a, p, o, events_by_app.get(a.id, [])) for a, p, o in apps],
        agreements=_agreements_of(session, graduate.id),
        destination=_destination_of(session, graduate.id),
        events=list(session.exec(select(LedgerCaseEvent).where(LedgerCaseEvent.case_id == case.id)
                                 .order_by(LedgerCaseEvent.created_at.desc(), LedgerCaseEvent.id.desc()))),
    )


def _agreements_of(session: Session, graduate_id: int) -> list:
    try:
        from portal.agreements.models import Agreement
    except ImportError:
        return []
    try:
        with session.begin_nested():
            return list(session.exec(select(Agreement).where(Agreement.graduate_id == graduate_id)
                                     .order_by(Agreement.created_at.desc())))
    except Exception:
        return []


def _destination_of(session: Session, graduate_id: int):
    try:
        from portal.destinations.models import Destination
    except ImportError:
        return None
    try:
        with session.begin_nested():
            return session.get(Destination, graduate_id)
    except Exception:
        return None


def add_contact(session: Session, *, officer: User, case_id: int, contacted_on: date, channel: str, who: str,
                summary: str, agreed: str = "") -> LedgerContact:
    case = _case_in_scope(session, officer, case_id)
    if contacted_on > today():
        raise Invalid("The date cannot be in the future.", field="contacted_on")
    contact = LedgerContact(case_id=case.id, contacted_on=contacted_on, channel=channel, who=who.strip(),
                            summary=summary.strip(), agreed=(agreed or "").strip(), officer_id=officer.id)
    session.add(contact)
    session.flush()
    _audit(session, officer, "ledger.contact.add", case, "ledger_contact", contact.id)
    session.commit()
    return contact


def add_document(session: Session, *, officer: User, case_id: int, title: str, filename: str, content: bytes,
                 uploads_dir: Path) -> LedgerDocument:
    case = _case_in_scope(session, officer, case_id)
    if not content:
        raise Invalid("Choose a file.", field="file")
    if len(content) > DOCUMENT_MAX_BYTES:
        raise Invalid("The file is larger than %(mb)s MB.", field="file", mb=DOCUMENT_MAX_BYTES // (1024 * 1024))
    content_type = _sniff(content)
    if content_type is None:
        raise Invalid("Upload a PDF, JPEG or PNG file.", field="file")
    folder = uploads_dir / "ledger"
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + DOCUMENT_TYPES[content_type]
    (folder / stored).write_bytes(content)
    document = LedgerDocument(case_id=case.id, title=(title or filename).strip()[:200], stored_name=stored,
                              original_name=Path(filename or "document").name[:200], content_type=content_type,
                              size=len(content), uploaded_by_id=officer.id)
    session.add(document)
    session.flush()
    _audit(session, officer, "ledger.document.add", case, "ledger_document", document.id)
    session.commit()
    return document


def _sniff(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def read_document(session: Session, *, officer: User, document_id: int, uploads_dir: Path) -> tuple[LedgerDocument, Path]:
    document = session.get(LedgerDocument, document_id)
    if document is None:
        raise NotFound("We could not find that document.")
    case = _case_in_scope(session, officer, document.case_id)
    _audit(session, officer, "ledger.document.view", case, "ledger_document", document.id)
    session.commit()
    return document, uploads_dir / "ledger" / document.stored_name


# ==== the plan =======================================================================================================
def add_measure(session: Session, *, officer: User, case_id: int, kind: str, description: str, target_date: date,
                officer_id: int | None = None) -> LedgerMeasure:
    case = _case_in_scope(session, officer, case_id)
    if kind not in MeasureKind.__members__:
        raise Invalid("Choose a kind of measure.", field="kind")
    if not (description or "").strip():
        raise Invalid("Describe the measure.", field="description")
    measure = LedgerMeasure(case_id=case.id, kind=kind, description=description.strip(),
                            officer_id=officer_id or case.officer_id or officer.id, target_date=target_date)
    session.add(measure)
    session.flush()
    _audit(session, officer, "ledger.measure.add", case, "ledger_measure", measure.id, kind=kind)
    session.commit()
    return measure


def set_measure_status(session: Session, *, officer: User, measure_id: int, status: str, outcome: str = "") -> LedgerMeasure:
    measure = session.get(LedgerMeasure, measure_id)
    if measure is None:
        raise NotFound("We could not find that measure.")
    case = _case_in_scope(session, officer, measure.case_id)
    if status not in MeasureStatus.__members__:
        raise Invalid("Choose a status.", field="status")
    measure.status = status
    measure.outcome = (outcome or measure.outcome or "").strip()
    measure.done_at = utcnow() if status == MeasureStatus.done else None
    _audit(session, officer, "ledger.measure.update", case, "ledger_measure", measure.id, status=status)
    session.commit()
    return measure


def overdue_measures(session: Session, *, officer: User, on: date | None = None) -> list[tuple[LedgerMeasure, LedgerCase, User]]:
    """The officer's measures past their target date, oldest first (the officer home shows these near the top)."""
    on = on or today()
    statement = (
        select(LedgerMeasure, LedgerCase, User)
        .join(LedgerCase, LedgerCase.id == LedgerMeasure.case_id)
        .join(User, User.id == LedgerCase.graduate_id)
        .where(LedgerMeasure.status.in_(OPEN_MEASURE_STATUSES), LedgerMeasure.target_date < on,
               LedgerCase.status == CaseStatus.active,
               or_(LedgerMeasure.officer_id == officer.id, LedgerCase.officer_id == officer.id))
        .order_by(LedgerMeasure.target_date, LedgerMeasure.id)
    )
    scope = scope_of(session, officer)
    rows = [r for r in session.exec(statement).all() if scope.covers(r[1].school, r[1].district)]
    if rows:
        record(session, actor_id=officer.id, action="ledger.measure.list", object_type="ledger_measure",
               object_id="overdue", detail={"cases": sorted({r[1].id for r in rows})})
        session.commit()
    return rows


# ==== listing ========================================================================================================
@dataclass
class CaseRow:
    case: LedgerCase
    name: str
    major: str


def list_cases(session: Session, *, officer: User, status: str | None = CaseStatus.active, category: str | None = None,
               shortfall_only: bool = False, q: str = "", page: int = 1, per_page: int = 50) -> tuple[list[CaseRow], int]:
    status, category, q = (_printable(v) for v in (status, category, q))
    statement = (select(LedgerCase, User.display_name, GraduateProfile.major)
                 .join(User, User.id == LedgerCase.graduate_id)
                 .join(GraduateProfile, GraduateProfile.user_id == LedgerCase.graduate_id))
    statement = scope_of(session, officer).where(statement)
    if status:
        statement = statement.where(LedgerCase.status == status)
    if shortfall_only:
        statement = statement.where(LedgerCase.shortfall_reason.is_not(None))
    if q:
        statement = statement.where(or_(User.display_name.contains(q), GraduateProfile.student_number == q))
    rows = session.exec(statement.order_by(LedgerCase.offers_held, LedgerCase.opened_at.desc(), LedgerCase.id)).all()
    if category:
        rows = [r for r in rows if category in r[0].categories]
    total = len(rows)
    rows = rows[(page - 1) * per_page: page * per_page]
    result = [CaseRow(c, name, major) for c, name, major in rows]
    if result:
        record(session, actor_id=officer.id, action="ledger.case.list", object_type="ledger_case", object_id="list",
               detail={"ids": [r.case.id for r in result]})
        session.commit()
    return result, total


def _printable(value: str | None) -> str | None:
    return "".join(ch for ch in value if ord(ch) >= 32) if isinstance(value, str) else value


def shortfall_list(session: Session, *, officer: User, limit: int | None = None) -> list[CaseRow]:
    rows, _ = list_cases(session, officer=officer, shortfall_only=True, per_page=limit or 10_000)
    return rows


SHORTFALL_MESSAGES = {
    "not_topped_up": "Not topped up yet.",
    "awaiting_confirmation": "%(proposed)s proposed positions await an officer's confirmation.",
    "no_open_positions": "No open position accepts this graduate's degree.",
    "no_major_match": "No open position matches this major (%(major_name)s).",
    "no_major_match_in_districts": "No open position matches this major in the preferred districts.",
    "no_accessible_match": "No open position with an accessible workplace matches in the preferred districts.",
    "all_suitable_offered": "Every suitable open position has already been offered.",
    "matcher_finds_no_fit": "%(not_yet_offered)s open positions meet the constraints, but the matcher rates none of them a fit.",
    "no_profile": "The graduate's profile is incomplete.",
}


def shortfall_message(case: LedgerCase) -> str:
    from portal.i18n import gettext

    if not case.shortfall_reason:
        return ""
    params = {k: v for k, v in (case.shortfall_detail or {}).items() if isinstance(v, (int, str))}
    params.setdefault("proposed", 0)
    params.setdefault("not_yet_offered", 0)
    params.setdefault("major_name", "")
    text = gettext(SHORTFALL_MESSAGES.get(case.shortfall_reason, case.shortfall_reason), **params)
    districts = (case.shortfall_detail or {}).get("preferred_districts")
    if districts and case.shortfall_reason in ("no_major_match_in_districts", "no_accessible_match"):
        text += " (" + "、".join(districts) + ")"
    return text


# ==== offers and the guarantee =======================================================================================
def _constraints(case: LedgerCase, profile: GraduateProfile, resume: Resume | None) -> Constraints:
    from portal.accounts.models import DEGREE_RANK

    districts = case.preferred_districts or (resume.expected_districts if resume else []) or []
    return Constraints(degree_rank=DEGREE_RANK.get(profile.degree, 0), major=profile.major,
                       districts=frozenset(districts), needs_accessible=case.needs_accessible)


def constraints_of(session: Session, case: LedgerCase) -> Constraints:
    profile = session.get(GraduateProfile, case.graduate_id)
    resume = session.exec(select(Resume).where(Resume.graduate_id == case.graduate_id)).first()
    return _constraints(case, profile, resume)


def _lapse_reason(position: Position | None, organization: Organization | None, on: date) -> str:
    if position is None:
        return LapseReason.position_closed
    if position.status == PositionStatus.closed and position.close_reason == PositionCloseReason.filled:
        return LapseReason.position_filled
    if position.status == PositionStatus.expired or position.deadline < on or (
            position.close_reason in (PositionCloseReason.deadline, PositionCloseReason.not_reconfirmed)):
        return LapseReason.position_expired
    return LapseReason.position_closed


def _set_offer_status(offer: LedgerOffer, status: str, reason: str | None = None) -> None:
    offer.status = status
    offer.lapse_reason = reason
    offer.status_changed_at = utcnow()


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
    import time

    started = time.perf_counter()
    on = on or today()
    report = TopUpReport()
    open_positions = OpenPositions(session, on=on)
    suitability = Suitability(search, open_positions, min_fit=min_fit)
    report.matcher = suitability.uses_matcher
    statement = select(LedgerCase.id).where(LedgerCase.status == CaseStatus.active).order_by(LedgerCase.id)
    if case_ids is not None:
        statement = statement.where(LedgerCase.id.in_(case_ids))
    ids = list(session.exec(statement).all())
    reasons: Counter = Counter()
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        _top_up_chunk(session, chunk, suitability, open_positions, auto_offers, actor, on, report, reasons, settings)
        session.commit()
    report.cases = len(ids)
    report.reasons = dict(reasons)
    report.seconds = round(time.perf_counter() - started, 3)
    if actor is not None:
        record(session, actor_id=actor.id, action="ledger.topup", object_type="ledger", object_id="topup",
               detail={k: v for k, v in report.as_dict().items() if k != "reasons"})
        session.commit()
    return report


def _top_up_chunk(session, chunk, suitability, open_positions, auto_offers, actor, on, report, reasons,
                  settings=None) -> None:
    from search.documents import resume_doc

    cases = list(session.exec(select(LedgerCase).where(LedgerCase.id.in_(chunk))))
    graduate_ids = [c.graduate_id for c in cases]
    profiles = {p.user_id: p for p in session.exec(select(GraduateProfile).where(GraduateProfile.user_id.in_(graduate_ids)))}
    resumes = {r.graduate_id: r for r in session.exec(select(Resume).where(Resume.graduate_id.in_(graduate_ids)))}
    offers_by_case: dict[int, list[LedgerOffer]] = defaultdict(list)
    for offer in session.exec(select(LedgerOffer).where(LedgerOffer.graduate_id.in_(graduate_ids))):
        offers_by_case[offer.case_id].append(offer)
    applications = {(a.graduate_id, a.position_id): a for a in session.exec(
        select(Application).where(Application.graduate_id.in_(graduate_ids)))}
    # Positions behind live offers that are no longer open: load them to name the reason.
    gone_ids = {o.position_id for offers in offers_by_case.values() for o in offers
                if o.status in (*LIVE_OFFER_STATUSES, OfferStatus.proposed) and o.position_id not in open_positions}
    gone = {}
    if gone_ids:
        for position, organization in session.exec(
                select(Position, Organization).join(Organization, Organization.id == Position.organization_id)
                .where(Position.id.in_(gone_ids))):
            gone[position.id] = (position, organization)
    now = utcnow()
    for case in cases:
        profile = profiles.get(case.graduate_id)
        if profile is None:
            case.shortfall_reason, case.shortfall_detail = "no_profile", {}
            reasons["no_profile"] += 1
            report.shortfall += 1
            continue
        resume = resumes.get(case.graduate_id)
        case.school, case.district = profile.school, profile.district
        constraints = _constraints(case, profile, resume)
        offers = offers_by_case.get(case.id, [])
        held = proposed = 0
        for offer in offers:
            if offer.status not in (*LIVE_OFFER_STATUSES, OfferStatus.proposed):
                continue
            application = applications.get((case.graduate_id, offer.position_id))
            reason = None
            if offer.position_id not in open_positions:
                position, organization = gone.get(offer.position_id, (None, None))
                reason = _lapse_reason(position, organization, on)
            elif application is not None and application.status == ApplicationStatus.rejected:
                reason = LapseReason.application_rejected
            elif not open_positions.meets(offer.position_id, constraints):
                reason = LapseReason.no_longer_suitable
            if reason:
                _set_offer_status(offer, OfferStatus.lapsed, reason)
                report.lapsed += 1
                continue
            if application is not None and application.status == ApplicationStatus.withdrawn:
                if offer.status != OfferStatus.proposed:
                    _set_offer_status(offer, OfferStatus.withdrawn, LapseReason.application_withdrawn)
                    report.lapsed += 1
                    continue
            if application is not None and offer.status == OfferStatus.offered:
                _set_offer_status(offer, OfferStatus.applied)
                offer.application_id = application.id
            if offer.status == OfferStatus.proposed:
                proposed += 1
            else:
                held += 1
        need = GUARANTEE - held - proposed
        excluded = {o.position_id for o in offers}
        excluded |= {pid for (gid, pid), a in applications.items() if gid == case.graduate_id
                     and a.status in (ApplicationStatus.rejected, ApplicationStatus.withdrawn)}
        if need > 0:
            doc = resume_doc(profile, resume)
            found = suitability.candidates(doc, constraints, excluded=excluded, want=need)
            for candidate in found:
                excluded.add(candidate.position_id)
                offer = LedgerOffer(
                    case_id=case.id, graduate_id=case.graduate_id, position_id=candidate.position_id,
                    status=OfferStatus.offered if auto_offers else OfferStatus.proposed, auto=auto_offers,
                    is_support=candidate.is_support, fit=candidate.fit, score=candidate.score,
                    reasons=candidate.reasons, offered_at=now if auto_offers else None,
                )
                application = applications.get((case.graduate_id, candidate.position_id))
                if auto_offers and application is not None:
                    offer.status, offer.application_id = OfferStatus.applied, application.id
                session.add(offer)
                report.offers_created += 1
                if auto_offers:
                    held += 1
                else:
                    proposed += 1
            if found:
                report.topped_up += 1
                record(session, actor_id=actor.id if actor else None, action="ledger.offer.create",
                       object_type="ledger_case", object_id=case.id, subject_user_id=case.graduate_id,
                       detail={"positions": [c.position_id for c in found], "auto": auto_offers})
                if auto_offers:
                    _notify(session, settings, case.graduate_id, "New positions have been recommended to you.")
        case.offers_held = held
        case.last_topup_at = now
        if held >= GUARANTEE:
            case.shortfall_reason, case.shortfall_detail = None, {}
            report.holding += 1
        else:
            report.shortfall += 1
            if held + proposed >= GUARANTEE:
                case.shortfall_reason = "awaiting_confirmation"
                case.shortfall_detail = {"held": held, "proposed": proposed}
            else:
                code, detail = open_positions.diagnose(constraints, excluded)
                case.shortfall_reason = code
                case.shortfall_detail = {**detail, "held": held, "proposed": proposed}
            reasons[case.shortfall_reason] += 1
        session.add(case)


def top_up_job(session: Session, *, settings, search) -> TopUpReport:
    """The scheduled top-up (portal/scheduler.py)."""
    report = top_up(session, search=search, auto_offers=settings.ledger_auto_offers, settings=settings,
                    min_fit=getattr(settings, "ledger_min_fit", DEFAULT_MIN_FIT))
    log.info("ledger top-up: %s", report.as_dict())
    return report


def refresh_case(session: Session, *, case: LedgerCase, search, settings, actor: User | None = None) -> None:
    """Re-checks one case at once (after a confirmation, a withdrawal or an application)."""
    top_up(session, search=search, auto_offers=settings.ledger_auto_offers, case_ids=[case.id], actor=actor,
           settings=settings, min_fit=getattr(settings, "ledger_min_fit", DEFAULT_MIN_FIT))


def confirm_offer(session: Session, *, officer: User, offer_id: int, settings=None) -> LedgerOffer:
    """One click: a proposed position becomes an offer the graduate sees."""
    offer = session.get(LedgerOffer, offer_id)
    if offer is None:
        raise NotFound("We could not find that recommended position.")
    case = _case_in_scope(session, officer, offer.case_id)
    if offer.status != OfferStatus.proposed:
        raise Conflict("This position is no longer waiting for confirmation.")
    if case.status != CaseStatus.active:
        raise Conflict("This case is closed.")
    open_positions = OpenPositions(session)
    if not open_positions.meets(offer.position_id, constraints_of(session, case)):
        _set_offer_status(offer, OfferStatus.lapsed, LapseReason.no_longer_suitable)
        session.commit()
        raise Conflict("This position is no longer open or no longer suits the graduate.")
    _set_offer_status(offer, OfferStatus.offered)
    offer.offered_by_id = officer.id
    offer.offered_at = utcnow()
    application = session.exec(select(Application).where(Application.graduate_id == offer.graduate_id,
                                                         Application.position_id == offer.position_id)).first()
    if application is not None and application.status not in (ApplicationStatus.rejected, ApplicationStatus.withdrawn):
        _set_offer_status(offer, OfferStatus.applied)
        offer.application_id = application.id
    _recount(session, case)
    _audit(session, officer, "ledger.offer.confirm", case, "ledger_offer", offer.id, position_id=offer.position_id)
    _notify(session, settings, case.graduate_id, "New positions have been recommended to you.")
    session.commit()
    return offer


def confirm_all(session: Session, *, officer: User, case_id: int, settings=None) -> int:
    case = _case_in_scope(session, officer, case_id)
    ids = session.exec(select(LedgerOffer.id).where(LedgerOffer.case_id == case.id,
                                                    LedgerOffer.status == OfferStatus.proposed)).all()
    done = 0
    for offer_id in ids:
        try:
            confirm_offer(session, officer=officer, offer_id=offer_id, settings=settings)
            done += 1
        except Conflict:
            pass
    return done


def withdraw_offer(session: Session, *, officer: User, offer_id: int, note: str = "") -> LedgerOffer:
    offer = session.get(LedgerOffer, offer_id)
    if offer is None:
        raise NotFound("We could not find that recommended position.")
    case = _case_in_scope(session, officer, offer.case_id)
    if offer.status not in (OfferStatus.proposed, OfferStatus.offered):
        raise Conflict("Only a proposed or offered position can be withdrawn.")
    _set_offer_status(offer, OfferStatus.withdrawn, "by_officer")
    _recount(session, case)
    _audit(session, officer, "ledger.offer.withdraw", case, "ledger_offer", offer.id, note=note[:200])
    session.commit()
    return offer


def _recount(session: Session, case: LedgerCase) -> None:
    """Keeps offers_held and the shortfall state right between top-ups (the next top-up refines the reason)."""
    session.flush()
    counts = Counter(session.exec(select(LedgerOffer.status).where(LedgerOffer.case_id == case.id)).all())
    held = counts[OfferStatus.offered] + counts[OfferStatus.applied]
    proposed = counts[OfferStatus.proposed]
    case.offers_held = held
    if case.status != CaseStatus.active:
        case.shortfall_reason, case.shortfall_detail = None, {}
    elif held >= GUARANTEE:
        case.shortfall_reason, case.shortfall_detail = None, {}
    elif held + proposed >= GUARANTEE:
        case.shortfall_reason, case.shortfall_detail = "awaiting_confirmation", {"held": held, "proposed": proposed}
    elif case.shortfall_reason in (None, "awaiting_confirmation"):
        case.shortfall_reason, case.shortfall_detail = "not_topped_up", {"held": held, "proposed": proposed}
    session.add(case)


def proposals(session: Session, *, case_ids: list[int]) -> dict[int, list[tuple[LedgerOffer, Position, Organization]]]:
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


# ==== the graduate's side ============================================================================================
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
    apps = {a.position_id: a for a in session.exec(select(Application).where(Application.graduate_id == graduate.id))}
    record(session, actor_id=graduate.id, action="ledger.offer.list", object_type="ledger_case", object_id=case.id,
           subject_user_id=graduate.id, detail={"offers": [o.id for o, _, _ in rows]})
    session.commit()
    return SupportView(True, [(o, p, org, apps.get(p.id)) for o, p, org in rows], request)


def apply_to_offer(session: Session, *, settings, graduate: User, offer_id: int) -> Application:
    """One click: applies to an offered position with the current resume, through the applications service."""
    offer = session.get(LedgerOffer, offer_id)
    if offer is None or offer.graduate_id != graduate.id or offer.status not in LIVE_OFFER_STATUSES:
        raise NotFound("We could not find that position.")
    case = session.get(LedgerCase, offer.case_id)
    application = session.exec(select(Application).where(Application.graduate_id == graduate.id,
                                                         Application.position_id == offer.position_id)).first()
    if application is None:
        application = _apply(session, settings=settings, graduate=graduate, position_id=offer.position_id)
    elif application.status in (ApplicationStatus.rejected, ApplicationStatus.withdrawn):
        raise Conflict("You have already applied to this position.")
    session.refresh(offer)
    _set_offer_status(offer, OfferStatus.applied)
    offer.application_id = application.id
    record(session, actor_id=graduate.id, action="ledger.offer.apply", object_type="ledger_offer", object_id=offer.id,
           subject_user_id=graduate.id, detail={"position_id": offer.position_id, "application_id": application.id})
    _recount(session, case)
    session.commit()
    return application


def _apply(session: Session, *, settings, graduate: User, position_id: int) -> Application:
    """The applications package's own `apply`, so the employer receives an ordinary application (no ledger mark)."""
    from portal.applications import service as applications

    return applications.apply(session, settings=settings, user=graduate, position_id=position_id)


# ==== closing and reopening ==========================================================================================
def close_case(session: Session, *, case: LedgerCase, reason: str, actor: User | None = None, note: str = "") -> LedgerCase:
    if case.status == CaseStatus.closed:
        return case
    now = utcnow()
    case.status = CaseStatus.closed
    case.closed_at = now
    case.close_reason = reason
    case.close_note = note[:500] or None
    case.shortfall_reason, case.shortfall_detail = None, {}
    case.updated_at = now
    for offer in session.exec(select(LedgerOffer).where(LedgerOffer.case_id == case.id,
                                                        LedgerOffer.status == OfferStatus.proposed)):
        _set_offer_status(offer, OfferStatus.withdrawn, LapseReason.case_closed)
    session.add(LedgerCaseEvent(case_id=case.id, kind="closed", note=f"{reason} {note}".strip()[:1000],
                                actor_id=actor.id if actor else None))
    _audit(session, actor, "ledger.case.close", case, reason=reason)
    session.add(case)
    return case


def reopen_case(session: Session, *, case: LedgerCase, actor: User | None = None, note: str = "") -> LedgerCase:
    if case.status == CaseStatus.active:
        return case
    case.status = CaseStatus.active
    case.opened_at = utcnow()
    case.open_reason = note[:500]
    case.closed_at = None
    case.close_reason = None
    case.close_note = None
    case.shortfall_reason, case.shortfall_detail = "not_topped_up", {}
    case.updated_at = utcnow()
    session.add(LedgerCaseEvent(case_id=case.id, kind="reopened", note=note[:1000], actor_id=actor.id if actor else None))
    _audit(session, actor, "ledger.case.reopen", case, note=note[:200])
    session.add(case)
    return case


def close_case_for_graduate(session: Session, *, graduate_id: int, reason: str, note: str = "") -> LedgerCase | None:
    """For the agreements and destinations packages: the graduate signed or registered a destination.

    Runs inside the caller's transaction; the caller commits.
    """
    case = case_of_graduate(session, graduate_id)
    if case is None or case.status != CaseStatus.active:
        return None
    return close_case(session, case=case, reason=reason, note=note)


def reopen_case_for_graduate(session: Session, *, graduate_id: int, note: str = "") -> LedgerCase | None:
    """The agreement was cancelled (or the destination withdrawn): support resumes, within the caller's transaction."""
    case = case_of_graduate(session, graduate_id)
    if case is None or case.status != CaseStatus.closed or case.close_reason == CloseReason.by_officer:
        return None
    return reopen_case(session, case=case, note=note)


def officer_close(session: Session, *, officer: User, case_id: int, note: str) -> LedgerCase:
    case = _case_in_scope(session, officer, case_id)
    if not (note or "").strip():
        raise Invalid("Say why the case is closed.", field="note")
    close_case(session, case=case, reason=CloseReason.by_officer, actor=officer, note=note.strip())
    session.commit()
    return case


def officer_reopen(session: Session, *, officer: User, case_id: int, note: str = "") -> LedgerCase:
    case = _case_in_scope(session, officer, case_id)
    reopen_case(session, case=case, actor=officer, note=note or "reopened by officer")
    session.commit()
    return case


# ==== dashboard and report ===========================================================================================
def report(session: Session, *, officer: User | None) -> dict:
    """Counts for the dashboard and `portal ledger report`; officer None = the whole city (command line)."""
    statement = select(LedgerCase)
    if officer is not None:
        statement = scope_of(session, officer).where(statement)
    cases = list(session.exec(statement))
    case_ids = [c.id for c in cases]
    graduate_ids = [c.graduate_id for c in cases]
    by_category: Counter = Counter()
    for c in cases:
        if c.status == CaseStatus.active:
            by_category.update(c.categories)
    active = [c for c in cases if c.status == CaseStatus.active]
    offers: list[LedgerOffer] = []
    for start in range(0, len(case_ids), 500):
        offers += session.exec(select(LedgerOffer).where(LedgerOffer.case_id.in_(case_ids[start:start + 500]))).all()
    offered = [o for o in offers if o.status != OfferStatus.proposed and o.offered_at is not None]
    applied_ids = [o.application_id for o in offered if o.application_id]
    reached_interview = 0
    hired = 0
    for start in range(0, len(applied_ids), 500):
        chunk = applied_ids[start:start + 500]
        statuses = dict(session.exec(select(Application.id, Application.status).where(Application.id.in_(chunk))).all())
        interviewed = set(session.exec(select(ApplicationEvent.application_id).where(
            ApplicationEvent.application_id.in_(chunk),
            ApplicationEvent.status.in_((ApplicationStatus.interview, ApplicationStatus.offer,
                                         ApplicationStatus.hired)))).all())
        for app_id, status in statuses.items():
            if app_id in interviewed or status in (ApplicationStatus.interview, ApplicationStatus.offer,
                                                   ApplicationStatus.hired):
                reached_interview += 1
            if status == ApplicationStatus.hired:
                hired += 1
    signed = _signed_from(session, applied_ids)
    live_by_case = Counter(o.case_id for o in offers if o.status in LIVE_OFFER_STATUSES)
    per_case = Counter(min(live_by_case.get(c.id, 0), GUARANTEE) for c in active)
    labels = {c.code: c for c in list_categories(session, active_only=False)}
    result = {
        "generated_at": utcnow().isoformat(),
        "cases": {"total": len(cases), "active": len(active), "closed": len(cases) - len(active)},
        "by_status": dict(Counter(c.status for c in cases)),
        "by_category": {code: by_category.get(code, 0) for code in labels},
        "by_school": dict(Counter(c.school for c in active).most_common()),
        "by_district": dict(Counter(c.district or "" for c in active).most_common()),
        "by_close_reason": dict(Counter(c.close_reason for c in cases if c.close_reason)),
        "guarantee": {
            "holding": sum(1 for c in active if live_by_case.get(c.id, 0) >= GUARANTEE),
            "shortfall": sum(1 for c in active if c.shortfall_reason),
            "offers_per_case": {str(k): per_case.get(k, 0) for k in range(GUARANTEE + 1)},
            "average_live_offers": round(sum(live_by_case.get(c.id, 0) for c in active) / len(active), 2) if active else 0,
            "shortfall_reasons": dict(Counter(c.shortfall_reason for c in active if c.shortfall_reason)),
        },
        "funnel": {"offered": len(offered), "applied": len(applied_ids), "interview": reached_interview,
                   "hired": hired, "signed_agreement": signed},
        "offers_by_status": dict(Counter(o.status for o in offers)),
        "graduates": len(set(graduate_ids)),
    }
    if officer is not None:
        record(session, actor_id=officer.id, action="ledger.report.view", object_type="ledger", object_id="report",
               detail={"cases": len(cases)})
        session.commit()
    return result


def _signed_from(session: Session, application_ids: list[int]) -> int:
    """Signed agreements that grew out of applications to offered positions."""
    from portal.agreements.models import Agreement, AgreementStatus

    signed = 0
    for start in range(0, len(application_ids), 500):
        chunk = application_ids[start:start + 500]
        signed += session.exec(select(func.count()).select_from(Agreement).where(
            Agreement.application_id.in_(chunk), Agreement.status == AgreementStatus.signed)).one()
    return signed


def export_xlsx(session: Session, *, officer: User, shortfall_only: bool = False) -> bytes:
    """The ledger (or its shortfall list) as an xlsx workbook; the export is audited."""
    from openpyxl import Workbook

    from portal.i18n import gettext

    rows, _ = list_cases(session, officer=officer, status=CaseStatus.active if shortfall_only else None,
                         shortfall_only=shortfall_only, per_page=1_000_000)
    labels = {c.code: c.label_zh for c in list_categories(session, active_only=False)}
    graduate_ids = [r.case.graduate_id for r in rows]
    profiles = {}
    for start in range(0, len(graduate_ids), 500):
        for p in session.exec(select(GraduateProfile).where(GraduateProfile.user_id.in_(graduate_ids[start:start + 500]))):
            profiles[p.user_id] = p
    officers = {u.id: u.display_name for u in session.exec(select(User).where(User.role.in_((Role.officer, Role.admin))))}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Shortfall list") if shortfall_only else gettext("Support ledger")
    header = [gettext("Case no."), gettext("Name"), gettext("School"), gettext("Student number"), gettext("Major"),
              gettext("District"), gettext("Categories"), gettext("Status"), gettext("Offers held"),
              gettext("Shortfall reason"), gettext("Responsible officer"), gettext("Opened"), gettext("Closed"),
              gettext("Close reason")]
    sheet.append(header)
    for row in rows:
        c = row.case
        p = profiles.get(c.graduate_id)
        sheet.append([
            c.id, row.name, c.school, p.student_number if p else "", row.major, c.district or "",
            "、".join(labels.get(code, code) for code in c.categories), gettext_label(c.status), c.offers_held,
            shortfall_message(c), officers.get(c.officer_id, ""), c.opened_at.strftime("%Y-%m-%d"),
            c.closed_at.strftime("%Y-%m-%d") if c.closed_at else "", gettext_label(c.close_reason) if c.close_reason else "",
        ])
    for column, width in zip("ABCDEFGHIJKLMN", (8, 12, 18, 14, 20, 10, 24, 8, 8, 50, 14, 12, 12, 16)):
        sheet.column_dimensions[column].width = width
    record(session, actor_id=officer.id, action="ledger.export", object_type="ledger",
           object_id="shortfall" if shortfall_only else "ledger", detail={"cases": [r.case.id for r in rows]})
    session.commit()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def gettext_label(value) -> str:
    from portal.labels import label

    return label(value)


def find_graduate(session: Session, *, officer: User, text: str) -> User:
    """A graduate in the officer's scope by email, or by "school student-number" / student number alone."""
    text = (text or "").strip()
    user = None
    if "@" in text:
        user = session.exec(select(User).where(User.email == text.lower())).first()
    else:
        school, _, number = text.rpartition(" ") if " " in text else ("", "", text)
        statement = select(GraduateProfile).where(GraduateProfile.student_number == number)
        if school:
            statement = statement.where(GraduateProfile.school == school.strip())
        matches = session.exec(statement).all()
        scope = scope_of(session, officer)
        matches = [p for p in matches if scope.covers(p.school, p.district)]
        user = session.get(User, matches[0].user_id) if len(matches) == 1 else None
    profile = session.get(GraduateProfile, user.id) if user else None
    if profile is None or user.role != Role.graduate or not scope_of(session, officer).covers(profile.school, profile.district):
        raise Invalid("No graduate in your scope matches this.", field="graduate")
    return user


def cases_in_scope(session: Session, *, officer: User) -> list[int]:
    return list(session.exec(scope_of(session, officer).where(
        select(LedgerCase.id).where(LedgerCase.status == CaseStatus.active))).all())


def can_manage_categories(session: Session, user: User) -> bool:
    return user.role == Role.admin or scope_of(session, user).city
