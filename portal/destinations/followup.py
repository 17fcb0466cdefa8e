"""The named follow-up list (实名制就业服务) for graduates who left school without a destination.

The school's officer builds the list and looks after each graduate first; a case is then handed to the city's
public employment service, keeping every contact, service and outcome already recorded.
"""
from sqlmodel import Session, select

from portal import xlsx
from portal.accounts.models import GraduateProfile, User
from portal.clock import utcnow
from portal.destinations import categories
from portal.destinations.models import Destination, FollowUpCase, FollowUpEntry, FollowUpEntryKind, FollowUpLevel
from portal.destinations.schemas import FollowUpEntryCreate
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.i18n import gettext
from portal.labels import label
from portal.localtime import format_date
from portal.scope import scope_of


def _level(session: Session, officer: User) -> FollowUpLevel:
    return FollowUpLevel.city if scope_of(session, officer).city else FollowUpLevel.school


def build_list(session: Session, *, officer: User, graduation_year: int) -> int:
    """Puts every graduate of that year in the officer's scope with no destination, or none yet found, on the list."""
    scope = scope_of(session, officer)
    if not (scope.city or scope.schools or scope.districts):
        raise Forbidden("Your account looks after no school or district.")
    without = [c.code for c in categories.all_categories() if not c.placed]
    query = (
        select(GraduateProfile)
        .join(Destination, Destination.graduate_id == GraduateProfile.user_id, isouter=True)
        .where(GraduateProfile.graduation_year == graduation_year)
        .where((Destination.graduate_id.is_(None)) | (Destination.category.in_(without)))
    )
    already = set(session.exec(select(FollowUpCase.graduate_id).where(FollowUpCase.is_open.is_(True))))
    level = _level(session, officer)
    added = 0
    for profile in session.exec(query.where(scope.graduates())):
        if profile.user_id in already:
            continue
        case = FollowUpCase(graduate_id=profile.user_id, school=profile.school, graduation_year=graduation_year,
                            level=level, officer_id=officer.id)
        session.add(case)
        session.flush()
        session.add(FollowUpEntry(case_id=case.id, kind=FollowUpEntryKind.opened, officer_id=officer.id, level=level,
                                  note=""))
        added += 1
    session.commit()
    return added


def _visible(session: Session, officer: User, case: FollowUpCase | None) -> FollowUpCase:
    if case is None:
        raise NotFound("We could not find that follow-up case.")
    # Once handed over, the case belongs to the city's service; the school keeps reading its history.
    if not scope_of(session, officer).covers_graduate(session.get(GraduateProfile, case.graduate_id)):
        raise NotFound("We could not find that follow-up case.")
    return case


def get_case(session: Session, *, officer: User, case_id: int) -> FollowUpCase:
    return _visible(session, officer, session.get(FollowUpCase, case_id))


def entries(session: Session, case_id: int) -> list[FollowUpEntry]:
    return list(session.exec(select(FollowUpEntry).where(FollowUpEntry.case_id == case_id).order_by(FollowUpEntry.id)))


def list_cases(
    session: Session, *, officer: User, open_only: bool = True, level: str | None = None
) -> list[tuple[FollowUpCase, User, GraduateProfile, Destination | None]]:
    query = (
        select(FollowUpCase, User, GraduateProfile, Destination)
        .join(User, User.id == FollowUpCase.graduate_id)
        .join(GraduateProfile, GraduateProfile.user_id == FollowUpCase.graduate_id)
        .join(Destination, Destination.graduate_id == FollowUpCase.graduate_id, isouter=True)
    )
    query = query.where(scope_of(session, officer).graduates())
    if open_only:
        query = query.where(FollowUpCase.is_open.is_(True))
    if level:
        query = query.where(FollowUpCase.level == level)
    return list(session.exec(query.order_by(FollowUpCase.opened_at.desc(), FollowUpCase.id.desc()).limit(1000)))


def _may_act(session: Session, officer: User, case: FollowUpCase) -> FollowUpLevel:
    """Whoever holds the case writes to it: the school's officers first, then the city's."""
    level = _level(session, officer)
    if not case.is_open:
        raise Conflict("This follow-up case is closed.")
    if case.level != level:
        raise Forbidden("This case is looked after at the other level now.")
    return level


def add_entry(session: Session, *, officer: User, case_id: int, entry: FollowUpEntryCreate) -> FollowUpEntry:
    case = get_case(session, officer=officer, case_id=case_id)
    level = _may_act(session, officer, case)
    if entry.kind == FollowUpEntryKind.service and entry.service is None:
        raise Invalid("Choose the service offered.", field="service")
    row = FollowUpEntry(case_id=case.id, kind=entry.kind, service=entry.service if entry.kind == "service" else None,
                        channel=entry.channel.strip() or None, note=entry.note.strip(), officer_id=officer.id, level=level)
    case.officer_id = officer.id
    session.add_all([row, case])
    session.commit()
    return row


def hand_over(session: Session, *, officer: User, case_id: int, note: str) -> FollowUpCase:
    """From the school to the city's public employment service; the history goes with the case."""
    case = get_case(session, officer=officer, case_id=case_id)
    _may_act(session, officer, case)
    if case.level != FollowUpLevel.school:
        raise Conflict("This case is already with the city's public employment service.")
    session.add(FollowUpEntry(case_id=case.id, kind=FollowUpEntryKind.handover, officer_id=officer.id,
                              level=FollowUpLevel.school, note=note.strip()))
    case.level = FollowUpLevel.city
    case.officer_id = None  # until a city officer takes it up
    session.add(case)
    session.commit()
    return case


def close_case(session: Session, *, officer: User, case_id: int, outcome: str, note: str = "") -> FollowUpCase:
    case = get_case(session, officer=officer, case_id=case_id)
    level = _may_act(session, officer, case)
    if categories.get(outcome) is None:
        raise Invalid("Choose a destination category.", field="outcome")
    _close(session, case, outcome=outcome, officer_id=officer.id, level=level, note=note.strip())
    session.commit()
    return case


def _close(session: Session, case: FollowUpCase, *, outcome: str, officer_id: int | None, level: str, note: str) -> None:
    case.is_open, case.outcome, case.closed_at = False, outcome, utcnow()
    session.add(case)
    session.add(FollowUpEntry(case_id=case.id, kind=FollowUpEntryKind.outcome, officer_id=officer_id, level=level,
                              note=note or categories.get(outcome).label))


def close_for_destination(session: Session, destination: Destination) -> None:
    """A destination that places the graduate ends their follow-up, recorded as its outcome (no commit)."""
    category = categories.get(destination.category)
    if category is None or not category.placed:
        return
    for case in session.exec(
        select(FollowUpCase).where(FollowUpCase.graduate_id == destination.graduate_id, FollowUpCase.is_open.is_(True))
    ):
        _close(session, case, outcome=destination.category, officer_id=None, level=case.level,
               note=f"{category.label}: {destination.employer_name or ''}".strip(": "))


def export_xlsx(session: Session, *, officer: User, open_only: bool = False) -> bytes:
    rows = []
    for case, user, profile, destination in list_cases(session, officer=officer, open_only=open_only):
        history = entries(session, case.id)
        services = sorted({label(e.service) for e in history if e.service})
        contacts = [e for e in history if e.kind == FollowUpEntryKind.contact]
        rows.append([
            user.display_name, profile.student_number, profile.school, profile.major, label(profile.degree),
            case.graduation_year, profile.phone or "", label(case.level), gettext("Open case") if case.is_open else gettext("Closed"),
            len(contacts), format_date(contacts[-1].created_at) if contacts else "", "、".join(services),
            categories.get(case.outcome).display() if case.outcome else "",
            format_date(case.opened_at),
        ])
    header = [gettext(h) for h in ("Name", "Student number", "School", "Major", "Degree", "Graduation year", "Phone",
                                   "Looked after by", "Case", "Contacts", "Last contact", "Services", "Outcome",
                                   "On the list since")]
    return xlsx.workbook([xlsx.Sheet(gettext("Follow-up list"), header, rows)])
