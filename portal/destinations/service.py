"""Destinations (毕业去向): registration, officers' checks, statistics and export."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from portal import events, xlsx
from portal.accounts.models import GraduateProfile, Role, User
from portal.audit.service import record
from portal.clock import utcnow
from portal.destinations import categories, followup
from portal.destinations.models import Destination, DestinationChange, DestinationSource, DestinationStatus
from portal.destinations.schemas import DestinationReport, StatRow
from portal.errors import Conflict, Forbidden, NotFound
from portal.i18n import gettext
from portal.scope import graduate_in_scope, scope_of

def is_placed(category_code: str) -> bool:
    """Whether a destination category counts as placed (employed or studying) for the destination rate."""
    category = categories.get(category_code)
    return category is not None and category.placed


def get_destination(session: Session, graduate_id: int) -> Destination | None:
    return session.get(Destination, graduate_id)


def changes(session: Session, graduate_id: int) -> list[DestinationChange]:
    return list(
        session.exec(
            select(DestinationChange).where(DestinationChange.graduate_id == graduate_id).order_by(DestinationChange.id)
        )
    )


def _save(session: Session, destination: Destination, *, actor_id: int | None, note: str | None = None) -> Destination:
    destination.updated_at = utcnow()
    session.add(destination)
    session.add(DestinationChange(
        graduate_id=destination.graduate_id, category=destination.category, employer_name=destination.employer_name,
        source=destination.source, status=destination.status, actor_id=actor_id, note=note,
    ))
    followup.close_for_destination(session, destination)
    session.flush()
    events.emit(events.DESTINATION_REGISTERED, session, destination)
    return destination


def register(session: Session, *, graduate: User, report: DestinationReport) -> Destination:
    """The graduate's own report; an officer checks it before it counts as confirmed."""
    if graduate.role != Role.graduate:
        raise Forbidden("Only graduates register their own destination.")
    destination = session.get(Destination, graduate.id)
    if destination and destination.agreement_id is not None:
        raise Conflict("Your destination comes from your signed agreement; cancel the agreement to change it.")
    if report.category == categories.AGREEMENT:
        raise Conflict("Agreement employment is registered automatically when all three parties have signed.")
    destination = destination or Destination(graduate_id=graduate.id, category=report.category)
    destination.sqlmodel_update({
        "category": report.category,
        "employer_name": report.employer_name.strip() or None,
        "work_district": report.work_district.strip() or None,
        "work_place": report.work_place.strip() or None,
        "note": report.note.strip() or None,
        "source": DestinationSource.graduate,
        "status": DestinationStatus.reported,
        "status_note": None,
        "confirmed_by_id": None,
        "confirmed_at": None,
        "organization_id": None,
    })
    _save(session, destination, actor_id=graduate.id)
    session.commit()
    return destination


def record_from_agreement(session: Session, *, agreement) -> Destination:
    """Called by the agreements service inside its transaction when the school's signature completes one."""
    destination = session.get(Destination, agreement.graduate_id) or Destination(
        graduate_id=agreement.graduate_id, category=categories.AGREEMENT
    )
    employer = agreement.parties["employer"]
    destination.sqlmodel_update({
        "category": categories.AGREEMENT,
        "employer_name": employer["name"],
        "organization_id": agreement.organization_id,
        "agreement_id": agreement.id,
        "work_district": employer.get("district"),
        "work_place": agreement.work_place,
        "note": None,
        "source": DestinationSource.agreement,
        "status": DestinationStatus.reported,
        "status_note": None,
        "confirmed_by_id": None,
        "confirmed_at": None,
    })
    return _save(session, destination, actor_id=None, note=agreement.number)


def clear_agreement(session: Session, *, agreement, actor_id: int | None) -> Destination | None:
    """A cancelled agreement no longer places the graduate: back to seeking work, pending a new report."""
    destination = session.get(Destination, agreement.graduate_id)
    if destination is None or destination.agreement_id != agreement.id:
        return destination
    destination.sqlmodel_update({
        "category": categories.SEEKING_WORK,
        "employer_name": None,
        "organization_id": None,
        "agreement_id": None,
        "work_district": None,
        "work_place": None,
        "source": DestinationSource.agreement,
        "status": DestinationStatus.reported,
        "confirmed_by_id": None,
        "confirmed_at": None,
    })
    return _save(session, destination, actor_id=actor_id, note=f"{agreement.number} cancelled")


def review(session: Session, *, officer: User, graduate_id: int, confirm: bool, note: str = "") -> Destination:
    graduate_in_scope(session, officer, graduate_id)
    destination = session.get(Destination, graduate_id)
    if destination is None:
        raise NotFound("This graduate has not registered a destination.")
    destination.status = DestinationStatus.confirmed if confirm else DestinationStatus.returned
    destination.status_note = note.strip() or None
    destination.confirmed_by_id = officer.id if confirm else None
    destination.confirmed_at = utcnow() if confirm else None
    _save(session, destination, actor_id=officer.id, note=note.strip() or None)
    record(session, actor_id=officer.id, action="destination.review", object_type="destination",
           object_id=graduate_id, subject_user_id=graduate_id, detail={"confirm": confirm})
    session.commit()
    return destination


def graduates_in_scope(
    session: Session, *, officer: User, graduation_year: int | None = None, status: str | None = None,
    category: str | None = None, limit: int = 500,
) -> list[tuple[User, GraduateProfile, Destination | None]]:
    query = (
        select(User, GraduateProfile, Destination)
        .join(GraduateProfile, GraduateProfile.user_id == User.id)
        .join(Destination, Destination.graduate_id == User.id, isouter=True)
    )
    query = query.where(scope_of(session, officer).graduates())
    if graduation_year:
        query = query.where(GraduateProfile.graduation_year == graduation_year)
    if status == "missing":
        query = query.where(Destination.graduate_id.is_(None))
    elif status:
        query = query.where(Destination.status == status)
    if category:
        query = query.where(Destination.category == category)
    return list(session.exec(query.order_by(GraduateProfile.school, GraduateProfile.major, User.id).limit(limit)))


def stats(session: Session, *, officer: User, by: str, graduation_year: int | None = None) -> list[StatRow]:
    """Destination rates by one of GROUPINGS, over the graduates in the officer's scope (of one year)."""
    grouping = GROUPINGS.get(by)
    if grouping is None:
        raise NotFound("Unknown grouping.")
    conditions = [scope_of(session, officer).graduates()]
    if graduation_year:
        conditions.append(GraduateProfile.graduation_year == graduation_year)
    return _tally(grouping.rows(session, conditions))


def _by_profile(field: str) -> Callable[[Session, list], Iterable[tuple]]:
    column = getattr(GraduateProfile, field)

    def rows(session: Session, conditions: list) -> Iterable[tuple]:
        return session.exec(
            select(column, Destination.category, func.count())
            .select_from(GraduateProfile)
            .join(Destination, Destination.graduate_id == GraduateProfile.user_id, isouter=True)
            .where(*conditions)
            .group_by(column, Destination.category)
        )

    return rows


@dataclass(frozen=True)
class Grouping:
    """One way to group the statistics: `rows(session, conditions)` gives (group, destination category or None,
    graduates) for the graduates meeting `conditions` (on GraduateProfile)."""

    label: str  # English msgid
    rows: Callable[[Session, list], Iterable[tuple]]


GROUPINGS: dict[str, Grouping] = {
    field: Grouping(label, _by_profile(field))
    for field, label in (("school", "School"), ("major", "Major"), ("degree", "Degree"), ("district", "District"))
}


def add_grouping(code: str, grouping: Grouping) -> None:
    """Another domain's grouping (the ledger's priority categories), added at start-up from its listeners.py."""
    GROUPINGS[code] = grouping


def _tally(rows) -> list[StatRow]:
    groups = {c.code: c.group for c in categories.all_categories()}
    tally: dict[str, StatRow] = {}
    for key, category, count in rows:
        row = tally.setdefault(key or "—", StatRow(key=key or "—", total=0, placed=0, employed=0, further_study=0, reported=0))
        row.total += count
        group = groups.get(category)
        if group and group != "without":
            row.placed += count
        row.employed += count if group == "employed" else 0
        row.further_study += count if group == "further_study" else 0
        row.reported += count if category else 0
    return sorted(tally.values(), key=lambda r: (-r.total, r.key))


def totals(rows: list[StatRow]) -> StatRow:
    return StatRow(key="", **{f: sum(getattr(r, f) for r in rows) for f in ("total", "placed", "employed", "further_study", "reported")})


def export_xlsx(session: Session, *, officer: User, graduation_year: int | None = None) -> bytes:
    """One sheet per grouping with the rates, and one sheet listing every graduate in scope with their destination."""
    header = [gettext("Group"), gettext("Graduates"), gettext("Placed"), gettext("Employed"),
              gettext("Further study"), gettext("Reported"), gettext("Destination rate")]
    sheets = []
    for by, grouping in GROUPINGS.items():
        rows = stats(session, officer=officer, by=by, graduation_year=graduation_year)
        sheets.append(xlsx.Sheet(gettext(grouping.label), header, [
            [r.key, r.total, r.placed, r.employed, r.further_study, r.reported, round(r.rate, 4)] for r in rows
        ]))
    people = []
    for user, profile, destination in graduates_in_scope(session, officer=officer, graduation_year=graduation_year, limit=100_000):
        category = categories.get(destination.category) if destination else None
        people.append([
            user.display_name, profile.student_number, profile.school, profile.major, profile.degree,
            profile.graduation_year, category.national_code if category else "", gettext(category.label) if category else "",
            destination.employer_name if destination else "", destination.status if destination else "",
        ])
    sheets.append(xlsx.Sheet(gettext("Graduates"), [
        gettext("Name"), gettext("Student number"), gettext("School"), gettext("Major"), gettext("Degree"),
        gettext("Graduation year"), gettext("National code"), gettext("Destination"), gettext("Employer"),
        gettext("Status"),
    ], people))
    return xlsx.workbook(sheets)


# Other domains reach the file and household transfers through this module (a talent service agency confirms that a
# file it will keep arrived, say).
from portal.destinations.transfers import record_arrival, request_transfer, steps as transfer_steps  # noqa: E402,F401
