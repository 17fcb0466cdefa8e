"""Lists, the shortfall list, the dashboard's figures and the export, over the cases of the graduates an officer
covers (all of them from the command line). Every list and export is audited."""
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, func, or_, select

from portal import xlsx
from portal.accounts.models import GraduateProfile, Role, User
from portal.agreements.models import Agreement, AgreementStatus
from portal.applications.models import Application, ApplicationEvent, ApplicationStatus
from portal.audit.service import record
from portal.clock import utcnow
from portal.i18n import gettext, ngettext
from portal.labels import label
from portal.localtime import format_date
from portal.ledger.models import LIVE_OFFER_STATUSES, CaseStatus, LedgerCase, LedgerOffer, OfferStatus
from portal.ledger.service.cases import GUARANTEE, list_categories
from portal.scope import scope_of

CHUNK = 500  # ids per IN (...) list
_INTERVIEW_OR_LATER = (ApplicationStatus.interview, ApplicationStatus.offer, ApplicationStatus.hired)


@dataclass
class CaseRow:
    case: LedgerCase
    name: str
    major: str
    school: str
    district: str | None


def list_cases(session: Session, *, officer: User, status: str | None = CaseStatus.active, category: str | None = None,
               shortfall_only: bool = False, q: str = "", page: int = 1, per_page: int = 50) -> tuple[list[CaseRow], int]:
    status, category, q = (_printable(v) for v in (status, category, q))
    statement = (select(LedgerCase, User.display_name, GraduateProfile.major, GraduateProfile.school,
                        GraduateProfile.district)
                 .join(User, User.id == LedgerCase.graduate_id)
                 .join(GraduateProfile, GraduateProfile.user_id == LedgerCase.graduate_id)
                 .where(scope_of(session, officer).graduates()))
    if status:
        statement = statement.where(LedgerCase.status == status)
    if shortfall_only:
        statement = statement.where(LedgerCase.shortfall_reason.is_not(None))
    if q:
        statement = statement.where(or_(User.display_name.contains(q), GraduateProfile.student_number == q))
    rows = session.exec(statement.order_by(LedgerCase.offers_held, LedgerCase.opened_at.desc(), LedgerCase.id)).all()
    if category:
        rows = [r for r in rows if category in r[0].categories]
    result = [CaseRow(*row) for row in rows[(page - 1) * per_page: page * per_page]]
    if result:
        record(session, actor_id=officer.id, action="ledger.case.list", object_type="ledger_case", object_id="list",
               detail={"ids": [r.case.id for r in result]})
        session.commit()
    return result, len(rows)


def _printable(value: str | None) -> str | None:
    return "".join(ch for ch in value if ord(ch) >= 32) if isinstance(value, str) else value


def shortfall_list(session: Session, *, officer: User, limit: int | None = None) -> list[CaseRow]:
    rows, _ = list_cases(session, officer=officer, shortfall_only=True, per_page=limit or 10_000)
    return rows


# A message with a count is (singular, plural, the parameter that counts): "1 proposed position awaits…".
SHORTFALL_MESSAGES = {
    "not_topped_up": "Not topped up yet.",
    "awaiting_confirmation": ("%(proposed)s proposed position awaits an officer's confirmation.",
                              "%(proposed)s proposed positions await an officer's confirmation.", "proposed"),
    # What eliminated the candidates, in the order of the funnel (ledger/suitability.py), with the counts left.
    "no_open_positions": "No open position in the graduate's field.",
    "no_position_for_degree": ("%(open)s open position in the graduate's field, not for this degree.",
                               "%(open)s open positions in the graduate's field, none for this degree.", "open"),
    "no_accessible_position": ("%(degree)s position in the field for this degree, without an accessible workplace.",
                               "%(degree)s positions in the field for this degree, none with an accessible workplace.", "degree"),
    "none_in_districts": ("%(accessible)s suitable position in the field, not in the preferred districts.",
                          "%(accessible)s suitable positions in the field, none in the preferred districts.", "accessible"),
    "none_of_kinds": ("%(district)s suitable position in the preferred districts, not of the job kinds asked for.",
                      "%(district)s suitable positions in the preferred districts, none of the job kinds asked for.", "district"),
    "none_fits": ("%(kind)s position meets every constraint, but it does not fit well enough (fit below %(min_fit)s).",
                  "%(kind)s positions meet every constraint, but none fits well enough (fit below %(min_fit)s).", "kind"),
    "all_suitable_offered": "Every suitable open position (%(fit)s) has already been offered.",
    "all_suitable_at_cap": ("%(not_offered)s suitable position is already promised to as many graduates as it has places.",
                            "%(not_offered)s suitable positions are already promised to as many graduates as they have places.", "not_offered"),
    "matcher_finds_no_fit": ("%(under_cap)s suitable position remains, but the matcher did not propose it.",
                             "%(under_cap)s suitable positions remain, but the matcher did not propose them.", "under_cap"),
    "no_profile": "The graduate's profile is incomplete.",
}


def shortfall_message(case: LedgerCase) -> str:
    if not case.shortfall_reason:
        return ""
    detail = case.shortfall_detail or {}
    params = {"proposed": 0, "min_fit": 0, **dict.fromkeys(("open", "degree", "accessible", "district", "kind", "fit",
                                                             "not_offered", "under_cap"), 0),
              **{k: v for k, v in detail.items() if isinstance(v, (int, str))}, **(detail.get("funnel") or {})}
    message = SHORTFALL_MESSAGES.get(case.shortfall_reason, case.shortfall_reason)
    if isinstance(message, tuple):
        singular, plural, counted = message
        text = ngettext(singular, plural, params[counted], **params)
    else:
        text = gettext(message, **params)
    if detail.get("preferred_districts") and case.shortfall_reason == "none_in_districts":
        text += " (" + "、".join(detail["preferred_districts"]) + ")"
    return text


# ---- the dashboard ---------------------------------------------------------------------------------------------
def report(session: Session, *, officer: User | None) -> dict:
    """Counts for the dashboard and `portal ledger report`; officer None = the whole city (command line)."""
    statement = select(LedgerCase, GraduateProfile.school, GraduateProfile.district).join(
        GraduateProfile, GraduateProfile.user_id == LedgerCase.graduate_id)
    if officer is not None:
        statement = statement.where(scope_of(session, officer).graduates())
    rows = session.exec(statement).all()
    cases = [case for case, _, _ in rows]
    active = [(case, school, district) for case, school, district in rows if case.status == CaseStatus.active]
    offers = _in_chunks(session, lambda ids: select(LedgerOffer).where(LedgerOffer.case_id.in_(ids)), [c.id for c in cases])
    offered = [o for o in offers if o.status != OfferStatus.proposed and o.offered_at is not None]
    applied_ids = [o.application_id for o in offered if o.application_id]
    live_by_case = Counter(o.case_id for o in offers if o.status in LIVE_OFFER_STATUSES)
    result = {
        "generated_at": utcnow().isoformat(),
        "cases": {"total": len(cases), "active": len(active), "closed": len(cases) - len(active)},
        "by_status": dict(Counter(c.status for c in cases)),
        "by_category": _by_category(session, [case for case, _, _ in active]),
        "by_school": dict(Counter(school for _, school, _ in active).most_common()),
        "by_district": dict(Counter(district or "" for _, _, district in active).most_common()),
        "by_close_reason": dict(Counter(c.close_reason for c in cases if c.close_reason)),
        "guarantee": _guarantee([case for case, _, _ in active], live_by_case),
        "funnel": {"offered": len(offered), "applied": len(applied_ids), **_outcomes(session, applied_ids)},
        "offers_by_status": dict(Counter(o.status for o in offers)),
        "graduates": len({c.graduate_id for c in cases}),
    }
    if officer is not None:
        record(session, actor_id=officer.id, action="ledger.report.view", object_type="ledger", object_id="report",
               detail={"cases": len(cases)})
        session.commit()
    return result


def _in_chunks(session: Session, statement_for, ids: list[int]) -> list:
    rows: list = []
    for start in range(0, len(ids), CHUNK):
        rows += session.exec(statement_for(ids[start:start + CHUNK])).all()
    return rows


def _by_category(session: Session, active: list[LedgerCase]) -> dict[str, int]:
    counts = Counter(code for case in active for code in case.categories)
    return {category.code: counts.get(category.code, 0) for category in list_categories(session, active_only=False)}


def _guarantee(active: list[LedgerCase], live_by_case: Counter) -> dict:
    per_case = Counter(min(live_by_case.get(c.id, 0), GUARANTEE) for c in active)
    return {
        "holding": sum(1 for c in active if live_by_case.get(c.id, 0) >= GUARANTEE),
        "shortfall": sum(1 for c in active if c.shortfall_reason),
        "offers_per_case": {str(k): per_case.get(k, 0) for k in range(GUARANTEE + 1)},
        "average_live_offers": round(sum(live_by_case.get(c.id, 0) for c in active) / len(active), 2) if active else 0,
        "shortfall_reasons": dict(Counter(c.shortfall_reason for c in active if c.shortfall_reason)),
    }


def _outcomes(session: Session, application_ids: list[int]) -> dict[str, int]:
    """How far the applications to offered positions went: interviews, hires, signed agreements."""
    statuses = dict(_in_chunks(session, lambda ids: select(Application.id, Application.status).where(
        Application.id.in_(ids)), application_ids))
    interviewed = set(_in_chunks(session, lambda ids: select(ApplicationEvent.application_id).where(
        ApplicationEvent.application_id.in_(ids), ApplicationEvent.status.in_(_INTERVIEW_OR_LATER)), application_ids))
    signed = sum(_in_chunks(session, lambda ids: select(func.count()).select_from(Agreement).where(
        Agreement.application_id.in_(ids), Agreement.status == AgreementStatus.signed), application_ids))
    return {
        "interview": sum(1 for app_id, status in statuses.items()
                         if app_id in interviewed or status in _INTERVIEW_OR_LATER),
        "hired": sum(1 for status in statuses.values() if status == ApplicationStatus.hired),
        "signed_agreement": signed,
    }


def export_xlsx(session: Session, *, officer: User, shortfall_only: bool = False) -> bytes:
    """The ledger (or its shortfall list) as an xlsx workbook; the export is audited."""
    rows, _ = list_cases(session, officer=officer, status=CaseStatus.active if shortfall_only else None,
                         shortfall_only=shortfall_only, per_page=1_000_000)
    labels = {c.code: c.label_zh for c in list_categories(session, active_only=False)}
    numbers = dict(_in_chunks(session, lambda ids: select(GraduateProfile.user_id, GraduateProfile.student_number).where(
        GraduateProfile.user_id.in_(ids)), [r.case.graduate_id for r in rows]))
    officers = {u.id: u.display_name for u in session.exec(select(User).where(User.role.in_((Role.officer, Role.admin))))}
    header = [gettext(h) for h in ("Case no.", "Name", "School", "Student number", "Major", "District", "Categories",
                                   "Status", "Offers held", "Shortfall reason", "Responsible officer", "Opened",
                                   "Closed", "Close reason")]
    lines = [[
        row.case.id, row.name, row.school, numbers.get(row.case.graduate_id, ""), row.major, row.district or "",
        "、".join(labels.get(code, code) for code in row.case.categories), label(row.case.status),
        row.case.offers_held, shortfall_message(row.case), officers.get(row.case.officer_id, ""),
        format_date(row.case.opened_at), format_date(row.case.closed_at),
        label(row.case.close_reason) if row.case.close_reason else "",
    ] for row in rows]
    title = gettext("Shortfall list") if shortfall_only else gettext("Support ledger")
    data = xlsx.workbook([xlsx.Sheet(title, header, lines, widths=(8, 12, 18, 14, 20, 10, 24, 8, 8, 50, 14, 12, 12, 16))])
    record(session, actor_id=officer.id, action="ledger.export", object_type="ledger",
           object_id="shortfall" if shortfall_only else "ledger", detail={"cases": [r.case.id for r in rows]})
    session.commit()
    return data
