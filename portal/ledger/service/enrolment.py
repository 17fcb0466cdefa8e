"""Enrolment: an officer enrols a graduate (one by one or from a spreadsheet), a graduate asks and an officer
decides; cases close (signed, placed, or by an officer) and reopen."""
from dataclasses import dataclass, field

from sqlmodel import Session, select

from portal import xlsx
from portal.accounts.models import GraduateProfile, Role, User
from portal.audit.service import record
from portal.clock import utcnow
from portal.errors import Conflict, Invalid, NotFound
from portal.i18n import gettext
from portal.ledger.models import (
    CaseStatus,
    CloseReason,
    EnrolmentRequestStatus,
    LapseReason,
    LedgerCase,
    LedgerCaseEvent,
    LedgerEnrolmentRequest,
    LedgerOffer,
    OfferStatus,
)
from portal.ledger.service.cases import (
    audit,
    case_in_scope,
    case_of_graduate,
    graduate_of,
    accessible_needed,
    notify,
    valid_categories,
    valid_districts,
)
from portal.scope import graduate_in_scope, scope_of


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
    graduate_of(session, graduate_id)
    graduate_in_scope(session, officer, graduate_id)
    codes = valid_categories(session, categories)
    districts = valid_districts(preferred_districts)
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
        needs_accessible=accessible_needed(session, codes, needs_accessible), opened_at=now, opened_by_id=officer.id,
        open_reason=reason, closed_at=None, close_reason=None, close_note=None, shortfall_reason="not_topped_up",
        shortfall_detail={}, offers_held=0, updated_at=now,
    )
    kind = "re_enrolled" if case is not None else "enrolled"
    case = case or LedgerCase(graduate_id=graduate_id)
    case.sqlmodel_update(fields)
    session.add(case)
    session.flush()
    session.add(LedgerCaseEvent(case_id=case.id, kind=kind, note=", ".join(codes), actor_id=officer.id))
    audit(session, officer, "ledger.case.enrol", case, categories=codes)
    if commit:
        session.commit()
    return case


def update_case(session: Session, *, officer: User, case_id: int, categories: list[str] | None = None,
                evidence: str | None = None, preferred_districts: list[str] | None = None,
                needs_accessible: bool | None = None, responsible_officer_id: int | None = None,
                family_income_note: str | None = None) -> LedgerCase:
    case = case_in_scope(session, officer, case_id)
    changed = {}
    if categories is not None:
        case.categories = changed["categories"] = valid_categories(session, categories)
    if evidence is not None:
        case.evidence, changed["evidence"] = evidence.strip(), True
    if preferred_districts is not None:
        case.preferred_districts = changed["preferred_districts"] = valid_districts(preferred_districts)
    if needs_accessible is not None or categories is not None:
        stated = case.needs_accessible if needs_accessible is None else needs_accessible
        case.needs_accessible = changed["needs_accessible"] = accessible_needed(session, case.categories, stated)
    if responsible_officer_id is not None:
        if not _is_officer(session, responsible_officer_id):
            raise Invalid("Choose an officer.", field="officer_id")
        case.officer_id = changed["officer_id"] = responsible_officer_id
    if family_income_note is not None:
        case.family_income_note, changed["family_income_note"] = family_income_note.strip() or None, True
    case.updated_at = utcnow()
    session.add(LedgerCaseEvent(case_id=case.id, kind="updated", note=", ".join(sorted(changed)), actor_id=officer.id))
    audit(session, officer, "ledger.case.update", case, fields=sorted(changed))
    session.commit()
    return case


def _is_officer(session: Session, user_id: int) -> bool:
    user = session.get(User, user_id)
    return user is not None and user.role in (Role.officer, Role.admin)


# ---- bulk enrolment from a spreadsheet ----------------------------------------------------------------------------
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


def bulk_enrol(session: Session, *, officer: User, filename: str, content: bytes,
               limits: xlsx.Limits = xlsx.Limits()) -> BulkResult:
    """Validates every row first; imports all rows or, when any row is wrong, none of them."""
    rows = read_table(filename, content, limits=limits)
    result = BulkResult(rows=len(rows))
    seen: set[int] = set()
    plans: list[tuple[int, dict]] = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        errors = result.errors
        plan = _row_plan(session, officer, row, seen, filename, lambda name, message, **params: errors.append(
            RowError(number, name, gettext(message, **params), params)))
        if plan is not None:
            plans.append(plan)
    if result.errors:
        session.rollback()
        return result
    for graduate_id, kwargs in plans:
        result.enrolled.append(enrol(session, officer=officer, graduate_id=graduate_id, commit=False, **kwargs).id)
    record(session, actor_id=officer.id, action="ledger.case.bulk_enrol", object_type="ledger_import",
           object_id=filename[:40], detail={"rows": result.rows, "cases": result.enrolled})
    session.commit()
    return result


def _row_plan(session: Session, officer: User, row: dict, seen: set[int], filename: str, error) -> tuple[int, dict] | None:
    """(graduate id, enrol() arguments) for one row, reporting what is wrong through `error(field, message)`."""
    profile = _row_graduate(session, row)
    if not scope_of(session, officer).covers_graduate(profile):
        error("email", "No graduate in your scope matches this row.")
        return None
    if profile.user_id in seen:
        error("email", "This graduate appears twice in the file.")
        return None
    seen.add(profile.user_id)
    existing = case_of_graduate(session, profile.user_id)
    if existing is not None and existing.status == CaseStatus.active:
        error("email", "This graduate is already in the ledger.")
    codes = _checked(error, "categories", lambda: valid_categories(session, _split(row.get("categories", ""))))
    districts = _checked(error, "preferred_districts", lambda: valid_districts(_split(row.get("preferred_districts", ""))))
    if not row.get("evidence", "").strip():
        error("evidence", "Record the evidence you have seen.")
    if row.get("consent", "").strip().lower() not in YES:
        error("consent", "The graduate's consent is required before enrolment.")
    accessible = row.get("needs_accessible", "").strip().lower()
    if accessible not in YES | NO:
        error("needs_accessible", "Write yes or no.")
    return profile.user_id, dict(
        categories=codes, evidence=row.get("evidence", ""), consent_given=True,
        consent_note=row.get("consent_note", "") or f"bulk import {filename}", preferred_districts=districts,
        needs_accessible=accessible in YES, reason="bulk import")


def _row_graduate(session: Session, row: dict) -> GraduateProfile | None:
    if row.get("email"):
        user = session.exec(select(User).where(User.email == row["email"].strip().lower())).first()
        return session.get(GraduateProfile, user.id) if user and user.role == Role.graduate else None
    if row.get("school") and row.get("student_number"):
        return session.exec(select(GraduateProfile).where(
            GraduateProfile.school == row["school"], GraduateProfile.student_number == row["student_number"])).first()
    return None


def _checked(error, field_name: str, check) -> list[str]:
    try:
        return check()
    except Invalid as problem:
        error(field_name, problem.message, **problem.params)
        return []


def _split(value: str) -> list[str]:
    for separator in ("、", "，", ";", "；", "|", "/"):
        value = value.replace(separator, ",")
    return [v.strip() for v in value.split(",") if v.strip()]


# ---- the graduate asks, an officer decides ---------------------------------------------------------------------
def request_enrolment(session: Session, *, graduate: User, categories: list[str], statement: str = "",
                      preferred_districts: list[str] | None = None, needs_accessible: bool = False,
                      consent_given: bool = False) -> LedgerEnrolmentRequest:
    """A graduate applies for employment support services; an officer in scope decides."""
    graduate_of(session, graduate.id)
    codes = valid_categories(session, categories)
    districts = valid_districts(preferred_districts)
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
    rows = session.exec(
        select(LedgerEnrolmentRequest, User, GraduateProfile)
        .join(User, User.id == LedgerEnrolmentRequest.graduate_id)
        .join(GraduateProfile, GraduateProfile.user_id == User.id)
        .where(LedgerEnrolmentRequest.status == EnrolmentRequestStatus.submitted, scope_of(session, officer).graduates())
        .order_by(LedgerEnrolmentRequest.created_at)
    ).all()
    if rows:
        record(session, actor_id=officer.id, action="ledger.request.list", object_type="ledger_request",
               object_id="list", detail={"ids": [r[0].id for r in rows]})
        session.commit()
    return rows


# Codes the case keeps when the graduate applied themselves; pages show them through portal/labels.py.
GRADUATE_REQUEST = "graduate_request"
CONSENT_WITH_REQUEST = "consent_with_request"


def decide_request(session: Session, *, officer: User, request_id: int, approve: bool, evidence: str = "",
                   note: str = "", settings=None) -> LedgerCase | None:
    request = session.get(LedgerEnrolmentRequest, request_id)
    if request is None:
        raise NotFound("We could not find that application.")
    graduate_in_scope(session, officer, request.graduate_id, message="We could not find that application.")
    if request.status != EnrolmentRequestStatus.submitted:
        raise Conflict("This application has already been decided.")
    request.sqlmodel_update({
        "status": EnrolmentRequestStatus.approved if approve else EnrolmentRequestStatus.declined,
        "decided_by_id": officer.id, "decided_at": utcnow(), "decision_note": (note or "").strip() or None})
    record(session, actor_id=officer.id, action="ledger.request." + ("approve" if approve else "decline"),
           object_type="ledger_request", object_id=request.id, subject_user_id=request.graduate_id)
    case = None
    if approve:
        case = enrol(session, officer=officer, graduate_id=request.graduate_id, categories=request.categories,
                     evidence=evidence or request.statement or GRADUATE_REQUEST,
                     consent_given=request.consent_given, consent_note=CONSENT_WITH_REQUEST,
                     preferred_districts=request.preferred_districts, needs_accessible=request.needs_accessible,
                     reason=GRADUATE_REQUEST, commit=False)
    notify(session, settings, request.graduate_id,
           "Your application for employment support services was accepted." if approve
           else "Your application for employment support services was reviewed; an officer will contact you.")
    session.commit()
    return case


# ---- closing and reopening ---------------------------------------------------------------------------------------
def close_case(session: Session, *, case: LedgerCase, reason: str, actor: User | None = None, note: str = "") -> LedgerCase:
    """Closes the case in the caller's transaction; positions still only proposed are withdrawn."""
    if case.status == CaseStatus.closed:
        return case
    now = utcnow()
    case.sqlmodel_update({"status": CaseStatus.closed, "closed_at": now, "close_reason": reason,
                          "close_note": note[:500] or None, "shortfall_reason": None, "shortfall_detail": {},
                          "updated_at": now})
    for offer in session.exec(select(LedgerOffer).where(LedgerOffer.case_id == case.id,
                                                        LedgerOffer.status == OfferStatus.proposed)):
        offer.sqlmodel_update({"status": OfferStatus.withdrawn, "lapse_reason": LapseReason.case_closed,
                               "status_changed_at": now})
    session.add(LedgerCaseEvent(case_id=case.id, kind="closed", note=f"{reason} {note}".strip()[:1000],
                                actor_id=actor.id if actor else None))
    audit(session, actor, "ledger.case.close", case, reason=reason)
    session.add(case)
    return case


def reopen_case(session: Session, *, case: LedgerCase, actor: User | None = None, note: str = "") -> LedgerCase:
    if case.status == CaseStatus.active:
        return case
    now = utcnow()
    case.sqlmodel_update({"status": CaseStatus.active, "opened_at": now, "open_reason": note[:500], "closed_at": None,
                          "close_reason": None, "close_note": None, "shortfall_reason": "not_topped_up",
                          "shortfall_detail": {}, "updated_at": now})
    session.add(LedgerCaseEvent(case_id=case.id, kind="reopened", note=note[:1000], actor_id=actor.id if actor else None))
    audit(session, actor, "ledger.case.reopen", case, note=note[:200])
    session.add(case)
    return case


def close_case_for_graduate(session: Session, *, graduate_id: int, reason: str, note: str = "") -> LedgerCase | None:
    """The graduate signed or registered a destination: inside the caller's transaction; the caller commits."""
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
    case = case_in_scope(session, officer, case_id)
    if not (note or "").strip():
        raise Invalid("Say why the case is closed.", field="note")
    close_case(session, case=case, reason=CloseReason.by_officer, actor=officer, note=note.strip())
    session.commit()
    return case


def officer_reopen(session: Session, *, officer: User, case_id: int, note: str = "") -> LedgerCase:
    case = case_in_scope(session, officer, case_id)
    reopen_case(session, case=case, actor=officer, note=note or "reopened by officer")
    session.commit()
    return case
