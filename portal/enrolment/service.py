"""A graduate's school, student number, graduation year and degree come from a trusted source: an officer of the
school (confirming them, or approving the graduate's change), the school's graduate roster, or the campus identity
provider's claims. The graduate only asks; the profile changes when the school says so.

Everything that decides by school (officer scope, who signs an agreement for the school) reads the profile, so it
always sees the enrolment on record, never a change still waiting.
"""
from pydantic import ValidationError
from sqlalchemy import update
from sqlmodel import Session, select

from portal.accounts.models import GraduateProfile, Role, User
from portal.audit.service import record
from portal.clock import utcnow
from portal.scope import is_school_officer, school_officers, scope_of
from portal.enrolment.models import ChangeStatus, EnrolmentChange, EnrolmentRecord, EnrolmentSource
from portal.enrolment.schemas import EnrolmentChangeCreate, RosterResult
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.service import notify
from portal.resumes.models import Resume
from portal.settings import Settings
from portal import xlsx
from search import outbox

FIELDS = ("school", "student_number", "degree", "graduation_year")
ROSTER_COLUMNS = {"学号": "student_number", "姓名": "name", "邮箱": "email", "学历": "degree", "毕业年份": "graduation_year"}
SOURCES = {EnrolmentSource.officer: "the school's officer", EnrolmentSource.roster: "the school's roster",
           EnrolmentSource.sso: "the campus sign-in"}
DEGREE_WORDS = {"专科": "associate", "本科": "bachelor", "硕士": "master", "硕士研究生": "master", "博士": "doctorate",
                "博士研究生": "doctorate", "associate": "associate", "bachelor": "bachelor", "master": "master",
                "doctorate": "doctorate", "中专": "secondary", "中职": "secondary",
                "技校": "technical", "技工学校": "technical",
                "secondary": "secondary", "technical": "technical"}


# ---------------------------------------------------------------- reading


def profile_of(session: Session, graduate_id: int) -> GraduateProfile:
    profile = session.get(GraduateProfile, graduate_id)
    if profile is None:
        raise NotFound("This graduate has not completed their profile.")
    return profile


def source_of(session: Session, graduate_id: int) -> str | None:
    """Who vouched for the graduate's enrolment; None while it is only what they said at sign-up."""
    entry = session.get(EnrolmentRecord, graduate_id)
    return entry.source if entry else None


def pending_change(session: Session, graduate_id: int) -> EnrolmentChange | None:
    return session.exec(select(EnrolmentChange).where(
        EnrolmentChange.user_id == graduate_id, EnrolmentChange.status == ChangeStatus.pending)).first()


def changes_to_decide(session: Session, *, officer: User) -> list[tuple[EnrolmentChange, User, GraduateProfile]]:
    """Changes waiting for a school in the officer's scope (the school the graduate asks to be put on record at)."""
    schools = scope_of(session, officer).schools
    return list(session.exec(
        select(EnrolmentChange, User, GraduateProfile)
        .join(User, User.id == EnrolmentChange.user_id)
        .join(GraduateProfile, GraduateProfile.user_id == EnrolmentChange.user_id)
        .where(EnrolmentChange.status == ChangeStatus.pending, EnrolmentChange.school.in_(schools))
        .order_by(EnrolmentChange.created_at)
    ))


def unconfirmed(session: Session, *, officer: User, limit: int = 200) -> list[tuple[User, GraduateProfile]]:
    """Graduates who said at sign-up that they study at one of the officer's schools, not yet confirmed."""
    confirmed = select(EnrolmentRecord.user_id)
    return list(session.exec(
        select(User, GraduateProfile).join(GraduateProfile, GraduateProfile.user_id == User.id)
        .where(GraduateProfile.school.in_(scope_of(session, officer).schools), User.id.not_in(confirmed))
        .order_by(User.created_at).limit(limit)
    ))


# ---------------------------------------------------------------- changing


def _put_on_record(session: Session, profile: GraduateProfile, values: dict, *, source: EnrolmentSource,
                   actor_id: int | None) -> None:
    """The one place an enrolment changes: the profile, who vouched, the audit log and the search document."""
    before = {name: getattr(profile, name) for name in FIELDS}
    for name in FIELDS:
        setattr(profile, name, values.get(name, before[name]))
    session.add(profile)
    entry = session.get(EnrolmentRecord, profile.user_id) or EnrolmentRecord(user_id=profile.user_id, source=source)
    entry.source, entry.confirmed_by_id, entry.confirmed_at = source, actor_id, utcnow()
    session.add(entry)
    record(session, actor_id=actor_id, action="enrolment.record", object_type="user", object_id=profile.user_id,
           subject_user_id=profile.user_id, detail={"source": source.value, "before": before,
                                                    "after": {name: getattr(profile, name) for name in FIELDS}})
    resume = session.exec(select(Resume).where(Resume.graduate_id == profile.user_id)).first()
    if resume is not None:  # the search document carries the school and degree
        outbox.enqueue(session, "resume", resume.id)


def _close_pending(session: Session, graduate_id: int, status: ChangeStatus, officer: User | None) -> None:
    change = pending_change(session, graduate_id)
    if change is not None:
        change.status, change.decided_at = status, utcnow()
        change.decided_by_id = officer.id if officer else None
        session.add(change)


def request_change(session: Session, *, settings: Settings, user: User,
                   change: EnrolmentChangeCreate) -> EnrolmentChange | None:
    """The graduate asks the school to change their enrolment; nothing changes until an officer of the school
    they name approves. Asking for what is on record withdraws an earlier request."""
    if user.role != Role.graduate:
        raise NotFound("Only graduates have an enrolment.")
    profile = profile_of(session, user.id)
    _close_pending(session, user.id, ChangeStatus.superseded, None)
    values = change.model_dump(mode="json")
    if all(getattr(profile, name) == values[name] for name in FIELDS):
        session.commit()
        return None
    entry = EnrolmentChange(user_id=user.id, **values)
    session.add(entry)
    session.flush()
    record(session, actor_id=user.id, action="enrolment.request", object_type="enrolment_change", object_id=entry.id,
           subject_user_id=user.id, detail=values)
    for officer in school_officers(session, entry.school):
        notify(session, settings=settings, user=officer, kind="enrolment.request",
               title="%(name)s asks to be put on record at %(school)s",
               body="Check the request against the school's records and approve or reject it.",
               link="/officer/enrolment", params={"name": user.display_name, "school": entry.school})
    session.commit()
    return entry


def decide(session: Session, *, settings: Settings, officer: User, change_id: int, approve: bool, note: str = "",
           ip: str | None = None) -> EnrolmentChange:
    """An officer of the school the change names approves it (it goes on record) or rejects it."""
    change = session.get(EnrolmentChange, change_id)
    if change is None or change.status != ChangeStatus.pending or not is_school_officer(session, officer, change.school):
        raise NotFound("We could not find that request.")
    # One conditional UPDATE decides: of two officers deciding at once, the second finds it decided.
    decided = session.execute(
        update(EnrolmentChange).where(EnrolmentChange.id == change.id, EnrolmentChange.status == ChangeStatus.pending)
        .values(status=ChangeStatus.approved if approve else ChangeStatus.rejected, decided_by_id=officer.id,
                decided_at=utcnow(), note=note.strip() or None)).rowcount
    if decided != 1:
        session.rollback()
        raise Conflict("Someone has already decided this request; reload to see the decision.")
    session.refresh(change)
    if approve:
        _put_on_record(session, profile_of(session, change.user_id), change.model_dump(include=set(FIELDS)),
                       source=EnrolmentSource.officer, actor_id=officer.id)
    record(session, actor_id=officer.id, action="enrolment.decide", object_type="enrolment_change", object_id=change.id,
           subject_user_id=change.user_id, ip=ip, detail={"approve": approve})
    notify(session, settings=settings, user=session.get(User, change.user_id), kind="enrolment.decided",
           title="Your enrolment change was approved" if approve else "Your enrolment change was not approved",
           body=note.strip(), link="/me/enrolment", params={})
    session.commit()
    return change


def confirm(session: Session, *, officer: User, graduate_id: int, ip: str | None = None) -> GraduateProfile:
    """An officer of the graduate's school confirms the enrolment they declared at sign-up."""
    profile = session.get(GraduateProfile, graduate_id)
    if profile is None or not is_school_officer(session, officer, profile.school):
        raise NotFound("We could not find that graduate.")
    confirm_in_transaction(session, officer=officer, profile=profile)
    session.commit()
    return profile


def confirm_in_transaction(session: Session, *, officer: User, profile: GraduateProfile) -> None:
    """Confirms the enrolment as it stands, inside the caller's transaction (the school's signature does)."""
    _put_on_record(session, profile, {}, source=EnrolmentSource.officer, actor_id=officer.id)


def put_claims_on_record(session: Session, *, user: User, claims: dict) -> bool:
    """The campus identity provider's claims (school, student_number, degree, graduation_year) go on record for a
    graduate, inside the sign-in's transaction; claims that are missing or malformed change nothing."""
    profile = session.get(GraduateProfile, user.id) if user.role == Role.graduate else None
    if profile is None or not claims.get("school"):
        return False
    try:
        values = EnrolmentChangeCreate.model_validate(
            {name: claims.get(name, getattr(profile, name)) for name in FIELDS}).model_dump(mode="json")
    except ValidationError:
        return False
    _put_on_record(session, profile, values, source=EnrolmentSource.sso, actor_id=None)
    _close_pending(session, user.id, ChangeStatus.superseded, None)
    return True


# ---------------------------------------------------------------- the school's roster


def _roster_values(row: dict[str, str], school: str) -> dict:
    degree = DEGREE_WORDS.get(row.get("degree", "").strip().lower()) if row.get("degree") else None
    year = row.get("graduation_year", "").strip()
    if row.get("degree") and degree is None:
        raise Invalid("Unknown degree “%(degree)s” for student number %(number)s.", field="file",
                      degree=row["degree"], number=row["student_number"])
    if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
        raise Invalid("Unknown graduation year “%(year)s” for student number %(number)s.", field="file", year=year,
                      number=row["student_number"])
    values = {"school": school, "student_number": row["student_number"]}
    if degree:
        values["degree"] = degree
    if year:
        values["graduation_year"] = int(year)
    return values


def _roster_match(session: Session, row: dict[str, str], school: str) -> GraduateProfile | None:
    """The graduate a roster row stands for: by email, else by student number at this school (on record or asked);
    by email too, only a graduate who declared this school or asked for it (a roster cannot claim another school's)."""
    email = row.get("email", "").strip().lower()
    if email:
        profile = session.exec(select(GraduateProfile).join(User, User.id == GraduateProfile.user_id)
                               .where(User.email == email, User.role == Role.graduate)).first()
        if profile is not None and (profile.school == school or session.exec(select(EnrolmentChange.id).where(
                EnrolmentChange.user_id == profile.user_id, EnrolmentChange.status == ChangeStatus.pending,
                EnrolmentChange.school == school)).first() is not None):
            return profile
    number = row["student_number"]
    profile = session.exec(select(GraduateProfile).where(GraduateProfile.school == school,
                                                         GraduateProfile.student_number == number)).first()
    if profile is None:
        asked = session.exec(select(EnrolmentChange.user_id).where(
            EnrolmentChange.status == ChangeStatus.pending, EnrolmentChange.school == school,
            EnrolmentChange.student_number == number)).first()
        profile = session.get(GraduateProfile, asked) if asked else None
    return profile


def import_roster(session: Session, *, settings: Settings, officer: User, school: str, filename: str,
                  content: bytes) -> RosterResult:
    """Puts the school's graduate roster (xlsx or csv: 学号, and any of 姓名, 邮箱, 学历, 毕业年份) on record for the
    graduates it matches; all or nothing."""
    if not is_school_officer(session, officer, school):
        raise NotFound("We could not find that school.")
    _, rows = xlsx.read_records(filename, content, aliases=ROSTER_COLUMNS, limits=xlsx.Limits.of(settings))
    confirmed = updated = 0
    unmatched: list[str] = []
    for row in rows:
        row["student_number"] = row.get("student_number", "").strip()
        if not row["student_number"]:
            raise Invalid("Every row needs a student number (学号).", field="file")
        values = _roster_values(row, school)
        profile = _roster_match(session, row, school)
        if profile is None:
            unmatched.append(row["student_number"])
            continue
        changed = any(getattr(profile, name) != value for name, value in values.items())
        confirmed, updated = confirmed + (not changed), updated + changed
        _put_on_record(session, profile, values, source=EnrolmentSource.roster, actor_id=officer.id)
        _close_pending(session, profile.user_id, ChangeStatus.superseded, officer)
    record(session, actor_id=officer.id, action="enrolment.roster", object_type="school", object_id=school[:40],
           detail={"school": school, "rows": len(rows), "confirmed": confirmed, "updated": updated,
                   "unmatched": len(unmatched)})
    session.commit()
    return RosterResult(confirmed=confirmed, updated=updated, unmatched=unmatched)
