"""Innovation and entrepreneurship competitions.

Officers create a competition (tracks, rules, criteria, timeline, prizes) and invite judges to its tracks; teams of
graduates register a project with a pitch deck (a PDF, checked by content and capped) and members who confirm by
their own accounts; judges score the submitted projects of their track on the published criteria, once each, skipped
for a team they declared a conflict of interest with, and see no other judge's scores until the round closes; the
organiser then decides the awards and publishes the results, and winners may ask for incubation support.

Who sees what: a team's page is its members' and the organiser's; a judge sees the submitted projects of their own
tracks; the organiser (or an administrator) manages; anyone else gets NotFound.
"""
import secrets
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import PurePath

from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal import xlsx
from portal.accounts import service as accounts
from portal.accounts.models import Role, User
from portal.audit import service as audit
from portal.clock import utcnow
from portal.competitions.models import (
    Competition,
    CompetitionEntry,
    CompetitionStatus,
    CompetitionTrack,
    ConflictOfInterest,
    EntryStatus,
    IncubationStatus,
    JudgeAssignment,
    Score,
    TeamMember,
)
from portal.competitions.schemas import MAX_MARK, CompetitionCreate, EntryCreate
from portal.db import locked
from portal.errors import Conflict, Invalid, NotFound
from portal.fairs import service as fairs
from portal.fairs.models import FairKind
from portal.i18n import gettext
from portal.labels import label
from portal.notifications import service as notifications
from portal.settings import Settings
from portal.storage import read_capped, read_stored, storage_for

NOT_FOUND = "We could not find that competition."
ENTRY_NOT_FOUND = "We could not find that project."
MAX_DECK_PAGES = 200
SCORES_VISIBLE = (CompetitionStatus.round_closed, CompetitionStatus.results_published)


def _is_officer(user: User | None) -> bool:
    return user is not None and user.role in (Role.officer, Role.admin)


# ---------------------------------------------------------------- competitions (officers)


def create(session: Session, *, officer: User, competition: CompetitionCreate) -> Competition:
    if not _is_officer(officer):
        raise NotFound(NOT_FOUND)
    if competition.registration_closes_at <= utcnow():
        raise Invalid("Registration must close in the future.", field="registration_closes_at")
    if competition.series_id is not None and competition.series_id not in {s.id for s in fairs.all_series(session)}:
        raise Invalid("Choose a series from the list.", field="series_id")
    row = Competition(**competition.model_dump(exclude={"tracks", "criteria"}), organizer_id=officer.id,
                      criteria=[c.model_dump() for c in competition.criteria])
    session.add(row)
    session.flush()
    session.add_all(CompetitionTrack(competition_id=row.id, name=name) for name in competition.tracks)
    audit.record(session, actor_id=officer.id, action="competition.create", object_type="competition", object_id=row.id)
    session.commit()
    return row


def managed(session: Session, *, officer: User, competition_id: int) -> Competition:
    """The competition for its organiser (or an administrator); NotFound for anyone else."""
    row = session.get(Competition, competition_id)
    if row is None or not (officer.id == row.organizer_id or officer.role == Role.admin):
        raise NotFound(NOT_FOUND)
    return row


def _lock(session: Session, row: Competition) -> Competition:
    """Reads the competition again under a row lock, so two steps, or an award and the publication of the results,
    that race are applied one after the other, each seeing the status the one before left (a competition is always
    locked before its entries)."""
    return locked(session, Competition, row.id)


def organised_by(session: Session, *, officer: User) -> list[Competition]:
    if not _is_officer(officer):
        raise NotFound(NOT_FOUND)
    statement = select(Competition).order_by(Competition.created_at.desc())
    if officer.role != Role.admin:
        statement = statement.where(Competition.organizer_id == officer.id)
    return list(session.exec(statement).all())


# What each step needs the competition to be in, and what it becomes.
STEPS = {
    "publish": (CompetitionStatus.draft, CompetitionStatus.open),
    "start_judging": (CompetitionStatus.open, CompetitionStatus.judging),
    "close_round": (CompetitionStatus.judging, CompetitionStatus.round_closed),
    "publish_results": (CompetitionStatus.round_closed, CompetitionStatus.results_published),
}


def advance(session: Session, *, settings: Settings, officer: User, competition_id: int, step: str) -> Competition:
    """Publish; start judging (registration closes then, if it has not yet); close the round (each project's score
    is the mean of its judges' totals); publish the results (the teams are told)."""
    row = managed(session, officer=officer, competition_id=competition_id)
    if step not in STEPS:
        raise NotFound(NOT_FOUND)
    row = _lock(session, row)
    before, after = STEPS[step]
    if row.status != before:
        raise Conflict("The competition is %(status)s.", status=row.status)
    if step == "start_judging":
        row.registration_closes_at = min(row.registration_closes_at, utcnow())
    if step == "close_round":
        _final_scores(session, row)
    row.status = after
    session.add(row)
    audit.record(session, actor_id=officer.id, action=f"competition.{step}", object_type="competition",
                 object_id=row.id)
    if step == "start_judging":
        _tell_judges(session, settings, row)
    if step == "publish_results":
        for entry in _entries(session, row.id, EntryStatus.submitted):
            for member in _members(session, entry.id):
                notifications.notify(session, settings=settings, user=member, kind="competition",
                                     title="Results of %(competition)s are out", link=f"/competitions/entries/{entry.id}",
                                     params={"competition": row.title})
    session.commit()
    return row


def _tell_judges(session: Session, settings: Settings, competition: Competition) -> None:
    judges = session.exec(select(User).join(JudgeAssignment, JudgeAssignment.judge_id == User.id)
                          .where(JudgeAssignment.competition_id == competition.id).distinct()).all()
    for judge in judges:
        notifications.notify(session, settings=settings, user=judge, kind="competition",
                             title="Judging of %(competition)s has begun: the projects await your scores",
                             link="/judging", params={"competition": competition.title})


def _final_scores(session: Session, competition: Competition) -> None:
    means = dict(session.exec(select(Score.entry_id, func.avg(Score.total)).join(
        CompetitionEntry, CompetitionEntry.id == Score.entry_id).where(
        CompetitionEntry.competition_id == competition.id).group_by(Score.entry_id)).all())
    for entry in _entries(session, competition.id, EntryStatus.submitted):
        entry.final_score = round(float(means[entry.id]), 2) if entry.id in means else None
        session.add(entry)


def set_award(session: Session, *, officer: User, entry_id: int, award: str) -> CompetitionEntry:
    entry = session.get(CompetitionEntry, entry_id)
    if entry is None:
        raise NotFound(ENTRY_NOT_FOUND)
    competition = _lock(session, managed(session, officer=officer, competition_id=entry.competition_id))
    entry = locked(session, CompetitionEntry, entry.id)
    if competition.status != CompetitionStatus.round_closed or entry.status != EntryStatus.submitted:
        raise Conflict("Awards are decided once the round has closed, before the results are out.")
    entry.award = award.strip() or None
    session.add(entry)
    audit.record(session, actor_id=officer.id, action="competition.award", object_type="competition_entry",
                 object_id=entry.id, detail={"award": entry.award})
    session.commit()
    return entry


def invite_judge(session: Session, *, settings: Settings, officer: User, competition_id: int, track_id: int,
                 email: str, display_name: str) -> tuple[JudgeAssignment, str | None]:
    """Invites a judge (an invited account; someone already a judge keeps theirs) to one track; (the assignment,
    the link that sets a new judge's password)."""
    competition = managed(session, officer=officer, competition_id=competition_id)
    track = session.get(CompetitionTrack, track_id)
    if track is None or track.competition_id != competition.id:
        raise Invalid("Choose one of the tracks.", field="track_id")
    judge, link = accounts.invite_account(session, settings=settings, inviter=officer, email=email,
                                          display_name=display_name, role=Role.judge)
    assignment = JudgeAssignment(competition_id=competition.id, track_id=track.id, judge_id=judge.id)
    try:
        with session.begin_nested():
            session.add(assignment)
    except IntegrityError:
        raise Conflict("This judge already judges this track.", field="email") from None
    notifications.notify(session, settings=settings, user=judge, kind="competition",
                         title="You judge the %(track)s track of %(competition)s", link="/judging",
                         params={"track": track.name, "competition": competition.title})
    audit.record(session, actor_id=officer.id, action="competition.judge", object_type="competition",
                 object_id=competition.id, detail={"judge_id": judge.id, "track_id": track.id})
    session.commit()
    return assignment, link


# ---------------------------------------------------------------- everyone


def tracks_of(session: Session, competition_id: int) -> list[CompetitionTrack]:
    return list(session.exec(select(CompetitionTrack).where(CompetitionTrack.competition_id == competition_id)
                             .order_by(CompetitionTrack.id)).all())


def published(session: Session) -> list[Competition]:
    return list(session.exec(select(Competition).where(Competition.status != CompetitionStatus.draft)
                             .order_by(Competition.registration_closes_at.desc())).all())


def get(session: Session, *, user: User | None, competition_id: int) -> Competition:
    """A competition anyone may read once published; a draft only for its organiser."""
    row = session.get(Competition, competition_id)
    if row is None or row.status == CompetitionStatus.draft and not (
            user is not None and (user.id == row.organizer_id or user.role == Role.admin)):
        raise NotFound(NOT_FOUND)
    return row


def events_of(session: Session, competition: Competition) -> list:
    """The forums and report meetings of the competition's series still to come (events with registration)."""
    if competition.series_id is None:
        return []
    return fairs.upcoming(session, series_id=competition.series_id, kinds=(FairKind.forum, FairKind.report_meeting))


@dataclass
class Result:
    entry: CompetitionEntry
    track: CompetitionTrack


def results(session: Session, *, competition: Competition) -> list[Result]:
    """Published results: each track's projects, awarded first, then by score."""
    if competition.status != CompetitionStatus.results_published:
        return []
    rows = session.exec(select(CompetitionEntry, CompetitionTrack)
                        .join(CompetitionTrack, CompetitionTrack.id == CompetitionEntry.track_id)
                        .where(CompetitionEntry.competition_id == competition.id,
                               CompetitionEntry.status == EntryStatus.submitted)
                        .order_by(CompetitionTrack.id, CompetitionEntry.award.is_(None),
                                  CompetitionEntry.final_score.desc().nulls_last(), CompetitionEntry.id)).all()
    return [Result(entry, track) for entry, track in rows]


# ---------------------------------------------------------------- teams


@dataclass
class EntryView:
    entry: CompetitionEntry
    competition: Competition
    track: CompetitionTrack
    members: list[tuple[TeamMember, User]]
    scores: list[Score] = field(default_factory=list)  # the team's own, once results are published

    @property
    def ready(self) -> bool:
        return bool(self.entry.deck_key) and all(member.confirmed_at for member, _ in self.members)


def _entries(session: Session, competition_id: int, status: str | None = None) -> list[CompetitionEntry]:
    statement = select(CompetitionEntry).where(CompetitionEntry.competition_id == competition_id)
    if status:
        statement = statement.where(CompetitionEntry.status == status)
    return list(session.exec(statement.order_by(CompetitionEntry.id)).all())


def _members(session: Session, entry_id: int, *, confirmed_only: bool = False) -> list[User]:
    statement = select(User).join(TeamMember, TeamMember.graduate_id == User.id).where(TeamMember.entry_id == entry_id)
    if confirmed_only:
        statement = statement.where(TeamMember.confirmed_at.is_not(None))
    return list(session.exec(statement).all())


def _view(session: Session, entry: CompetitionEntry) -> EntryView:
    competition = session.get(Competition, entry.competition_id)
    members = session.exec(select(TeamMember, User).join(User, User.id == TeamMember.graduate_id)
                           .where(TeamMember.entry_id == entry.id).order_by(TeamMember.id)).all()
    scores = session.exec(select(Score).where(Score.entry_id == entry.id).order_by(Score.total.desc())).all() \
        if competition.status == CompetitionStatus.results_published else []
    return EntryView(entry, competition, session.get(CompetitionTrack, entry.track_id), list(members), list(scores))


def register_team(session: Session, *, settings: Settings, leader: User, competition_id: int,
                  entry: EntryCreate) -> CompetitionEntry:
    """A graduate registers a project as its team's leader (confirmed at once); one team per graduate and
    competition."""
    if leader.role != Role.graduate:
        raise NotFound("Only graduates enter competitions.")
    competition = get(session, user=leader, competition_id=competition_id)
    _require_open(competition)
    track = session.get(CompetitionTrack, entry.track_id)
    if track is None or track.competition_id != competition.id:
        raise Invalid("Choose one of the tracks.", field="track_id")
    row = CompetitionEntry(competition_id=competition.id, track_id=track.id, project_name=entry.project_name,
                           summary=entry.summary, leader_id=leader.id)
    session.add(row)
    session.flush()
    _join(session, row, leader, confirmed=True)
    audit.record(session, actor_id=leader.id, action="competition.entry.create", object_type="competition_entry",
                 object_id=row.id)
    session.commit()
    return row


def _require_open(competition: Competition) -> None:
    if competition.status != CompetitionStatus.open or competition.registration_closes_at <= utcnow():
        raise Conflict("Registration for this competition has closed.")


def _join(session: Session, entry: CompetitionEntry, graduate: User, *, confirmed: bool) -> TeamMember:
    member = TeamMember(entry_id=entry.id, competition_id=entry.competition_id, graduate_id=graduate.id,
                        confirmed_at=utcnow() if confirmed else None)
    try:
        with session.begin_nested():
            session.add(member)
    except IntegrityError:
        raise Conflict("%(name)s is already on a team in this competition.", field="email",
                       name=graduate.display_name) from None
    return member


def team_entry(session: Session, *, user: User, entry_id: int) -> EntryView:
    """A project for its team's members (confirmed or invited) and the organiser."""
    entry = session.get(CompetitionEntry, entry_id)
    if entry is None:
        raise NotFound(ENTRY_NOT_FOUND)
    view = _view(session, entry)
    on_team = any(u.id == user.id for _, u in view.members)
    if not (on_team or user.id == view.competition.organizer_id or user.role == Role.admin):
        raise NotFound(ENTRY_NOT_FOUND)
    return view


def _editable(session: Session, leader: User, entry_id: int) -> EntryView:
    view = team_entry(session, user=leader, entry_id=entry_id)
    if view.entry.leader_id != leader.id:
        raise NotFound(ENTRY_NOT_FOUND)
    if view.entry.status != EntryStatus.draft:
        raise Conflict("The project has been submitted.")
    _require_open(view.competition)
    return view


def add_member(session: Session, *, settings: Settings, leader: User, entry_id: int, email: str) -> TeamMember:
    """The leader adds a graduate by email; they confirm from their own account."""
    view = _editable(session, leader, entry_id)
    graduate = accounts.get_user_by_email(session, email)
    if graduate is None or graduate.role != Role.graduate:
        raise Invalid("No graduate account has this email.", field="email")
    member = _join(session, view.entry, graduate, confirmed=False)
    notifications.notify(session, settings=settings, user=graduate, kind="competition",
                         title="%(name)s adds you to the team of %(project)s", link="/me/competitions",
                         params={"name": leader.display_name, "project": view.entry.project_name})
    session.commit()
    return member


def _own_membership(session: Session, graduate: User, entry_id: int) -> TeamMember:
    member = session.exec(select(TeamMember).where(TeamMember.entry_id == entry_id,
                                                   TeamMember.graduate_id == graduate.id)).first()
    if member is None:
        raise NotFound(ENTRY_NOT_FOUND)
    return member


def confirm_membership(session: Session, *, settings: Settings, graduate: User, entry_id: int) -> TeamMember:
    """The member confirms from their own account; the leader, who cannot submit until everyone has, is told."""
    member = _own_membership(session, graduate, entry_id)
    if member.confirmed_at is None:
        member.confirmed_at = utcnow()
        entry = session.get(CompetitionEntry, entry_id)
        notifications.notify(session, settings=settings, user=session.get(User, entry.leader_id), kind="competition",
                             title="%(name)s confirmed they are on the team of %(project)s",
                             link=f"/competitions/entries/{entry_id}",
                             params={"name": graduate.display_name, "project": entry.project_name})
    session.add(member)
    audit.record(session, actor_id=graduate.id, action="competition.member.confirm", object_type="competition_entry",
                 object_id=entry_id)
    session.commit()
    return member


def leave_team(session: Session, *, graduate: User, entry_id: int) -> None:
    """A member declines or leaves, while the project is a draft; the leader cannot leave their own team."""
    member = _own_membership(session, graduate, entry_id)
    entry = session.get(CompetitionEntry, entry_id)
    if entry.leader_id == graduate.id or entry.status != EntryStatus.draft:
        raise Conflict("You cannot leave this team now.")
    session.delete(member)
    session.commit()


def upload_deck(session: Session, *, settings: Settings, leader: User, entry_id: int, filename: str | None,
                chunks) -> CompetitionEntry:
    """The pitch deck: a PDF (read, not trusted by its name) within the upload cap, replacing any earlier one."""
    view = _editable(session, leader, entry_id)
    data = read_capped(chunks, limit=settings.upload_max_bytes, field="file")
    if not data:
        raise Invalid("Choose a file.", field="file")
    if not 1 <= _pdf_pages(data) <= MAX_DECK_PAGES:
        raise Invalid("Upload the pitch deck as a PDF file.", field="file")
    entry = view.entry
    old_key, key = entry.deck_key, f"competitions/{entry.id}/{secrets.token_hex(16)}.pdf"
    storage = storage_for(settings)
    storage.write(key, data)
    entry.deck_key, entry.deck_size = key, len(data)
    entry.deck_name = PurePath((filename or "deck.pdf").replace("\\", "/")).name[:200]
    session.add(entry)
    session.commit()
    if old_key:
        storage.delete(old_key)
    return entry


def _pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF, or 0 for anything that does not read as one."""
    if not data.startswith(b"%PDF-"):
        return 0
    try:
        count = PdfFileReader(BytesIO(data), strict=False).root["/Pages"]["/Count"]
    except Exception:  # noqa: BLE001  (a file that claims to be a PDF and is not: whatever the parser trips on)
        return 0
    return count if isinstance(count, int) else 0


def deck(session: Session, *, settings: Settings, user: User, entry_id: int) -> tuple[bytes, str]:
    """(the deck, its name) for the team, the organiser, or a judge of the track without a declared conflict."""
    entry = session.get(CompetitionEntry, entry_id)
    if entry is None:
        raise NotFound(ENTRY_NOT_FOUND)
    if user.role == Role.judge:
        _judged_entry(session, judge=user, entry_id=entry_id)
    else:
        team_entry(session, user=user, entry_id=entry_id)
    if not entry.deck_key:
        raise NotFound("The file could not be found.")
    return read_stored(storage_for(settings), entry.deck_key), entry.deck_name or "deck.pdf"


def submit(session: Session, *, settings: Settings, leader: User, entry_id: int) -> CompetitionEntry:
    """Enters the project once the deck is in and every member has confirmed."""
    view = _editable(session, leader, entry_id)
    if not view.entry.deck_key:
        raise Invalid("Upload the pitch deck first.", field="file")
    if not view.ready:
        raise Conflict("Every member must confirm before the project is submitted.")
    entry = view.entry
    entry.status, entry.submitted_at = EntryStatus.submitted, utcnow()
    session.add(entry)
    audit.record(session, actor_id=leader.id, action="competition.entry.submit", object_type="competition_entry",
                 object_id=entry.id)
    notifications.notify(session, settings=settings, user=session.get(User, view.competition.organizer_id),
                         kind="competition", title="%(project)s entered %(competition)s",
                         link=f"/officer/competitions/{view.competition.id}",
                         params={"project": entry.project_name, "competition": view.competition.title})
    session.commit()
    return entry


def my_entries(session: Session, *, graduate: User) -> list[tuple[EntryView, TeamMember]]:
    rows = session.exec(select(CompetitionEntry, TeamMember).join(TeamMember, TeamMember.entry_id == CompetitionEntry.id)
                        .where(TeamMember.graduate_id == graduate.id).order_by(CompetitionEntry.id.desc())).all()
    return [(_view(session, entry), member) for entry, member in rows]


def entry_of(session: Session, *, graduate: User | None, competition_id: int) -> CompetitionEntry | None:
    if graduate is None or graduate.role != Role.graduate:
        return None
    return session.exec(select(CompetitionEntry).join(TeamMember, TeamMember.entry_id == CompetitionEntry.id)
                        .where(TeamMember.graduate_id == graduate.id,
                               TeamMember.competition_id == competition_id)).first()


def request_incubation(session: Session, *, settings: Settings, leader: User, entry_id: int,
                       needs: str) -> CompetitionEntry:
    """A winning project asks for incubation support (space, mentoring, funding ...); the organiser answers."""
    view = team_entry(session, user=leader, entry_id=entry_id)
    if view.entry.leader_id != leader.id:
        raise NotFound(ENTRY_NOT_FOUND)
    entry = locked(session, CompetitionEntry, view.entry.id)
    if view.competition.status != CompetitionStatus.results_published or not entry.award:
        raise Conflict("Winning projects can ask for incubation support once the results are out.")
    if entry.incubation_status is not None:
        raise Conflict("You have already asked for incubation support.")
    entry.incubation_status, entry.incubation_needs = IncubationStatus.requested, needs.strip()
    session.add(entry)
    audit.record(session, actor_id=leader.id, action="competition.incubation.request", object_type="competition_entry",
                 object_id=entry.id)
    notifications.notify(session, settings=settings, user=session.get(User, view.competition.organizer_id),
                         kind="competition", title="%(project)s asks for incubation support",
                         link=f"/officer/competitions/{view.competition.id}", params={"project": entry.project_name})
    session.commit()
    return entry


def answer_incubation(session: Session, *, settings: Settings, officer: User, entry_id: int, offer: bool,
                      answer: str) -> CompetitionEntry:
    entry = session.get(CompetitionEntry, entry_id)
    if entry is None:
        raise NotFound(ENTRY_NOT_FOUND)
    managed(session, officer=officer, competition_id=entry.competition_id)
    entry = locked(session, CompetitionEntry, entry.id)
    if entry.incubation_status != IncubationStatus.requested:
        raise Conflict("There is no request for incubation support to answer.")
    entry.incubation_status = IncubationStatus.offered if offer else IncubationStatus.declined
    entry.incubation_answer = answer.strip()
    session.add(entry)
    audit.record(session, actor_id=officer.id, action=f"competition.incubation.{entry.incubation_status}",
                 object_type="competition_entry", object_id=entry.id)
    for member in _members(session, entry.id, confirmed_only=True):
        notifications.notify(session, settings=settings, user=member, kind="competition",
                             title="An answer about incubation support for %(project)s",
                             link=f"/competitions/entries/{entry.id}", params={"project": entry.project_name})
    session.commit()
    return entry


# ---------------------------------------------------------------- organiser's overview


@dataclass
class EntryProgress:
    entry: CompetitionEntry
    track: CompetitionTrack
    leader: User
    scores: int
    judges: int  # judges of the track, less those who declared a conflict


def progress(session: Session, *, officer: User, competition_id: int) -> list[EntryProgress]:
    """Every project with how many of its judges have scored it (the scores themselves stay hidden until the round
    closes, for the organiser too)."""
    competition = managed(session, officer=officer, competition_id=competition_id)
    judges = dict(session.exec(select(JudgeAssignment.track_id, func.count()).where(
        JudgeAssignment.competition_id == competition.id).group_by(JudgeAssignment.track_id)).all())
    scored = dict(session.exec(select(Score.entry_id, func.count()).join(
        CompetitionEntry, CompetitionEntry.id == Score.entry_id).where(
        CompetitionEntry.competition_id == competition.id).group_by(Score.entry_id)).all())
    conflicts = dict(session.exec(select(ConflictOfInterest.entry_id, func.count()).join(
        CompetitionEntry, CompetitionEntry.id == ConflictOfInterest.entry_id).where(
        CompetitionEntry.competition_id == competition.id).group_by(ConflictOfInterest.entry_id)).all())
    rows = session.exec(select(CompetitionEntry, CompetitionTrack, User)
                        .join(CompetitionTrack, CompetitionTrack.id == CompetitionEntry.track_id)
                        .join(User, User.id == CompetitionEntry.leader_id)
                        .where(CompetitionEntry.competition_id == competition.id)
                        .order_by(CompetitionTrack.id, CompetitionEntry.final_score.desc().nulls_last(),
                                  CompetitionEntry.id)).all()
    return [EntryProgress(e, t, u, scored.get(e.id, 0), judges.get(t.id, 0) - conflicts.get(e.id, 0))
            for e, t, u in rows]


RESULTS_HEADER = ("Track", "Project", "Leader", "Team members", "Status", "Judges who scored", "Score", "Award")


def results_xlsx(session: Session, *, officer: User, competition_id: int) -> bytes:
    """The organiser's list of every project with its team, judging progress, score and award (for the ceremony
    and the prize money); scores are blank until the round closes, as on the page."""
    rows = progress(session, officer=officer, competition_id=competition_id)
    audit.record(session, actor_id=officer.id, action="competition.export", object_type="competition",
                 object_id=competition_id, detail={"rows": len(rows)})
    session.commit()
    team = _confirmed_names(session, [p.entry.id for p in rows])
    return xlsx.workbook([xlsx.Sheet(gettext("Entered projects"), [gettext(h) for h in RESULTS_HEADER], [
        [p.track.name, p.entry.project_name, p.leader.display_name, "、".join(team.get(p.entry.id, [])),
         label(p.entry.status, "competition"), f"{p.scores} / {p.judges}", p.entry.final_score, p.entry.award or ""]
        for p in rows], widths=(14, 30, 12, 30, 10, 12, 10, 12))])


def _confirmed_names(session: Session, entry_ids: list[int]) -> dict[int, list[str]]:
    """The confirmed members' names of each entry, in one query for the whole list."""
    names: dict[int, list[str]] = {}
    for entry_id, name in session.exec(
            select(TeamMember.entry_id, User.display_name).join(User, User.id == TeamMember.graduate_id)
            .where(TeamMember.entry_id.in_(entry_ids), TeamMember.confirmed_at.is_not(None)).order_by(TeamMember.id)):
        names.setdefault(entry_id, []).append(name)
    return names


def judges_of(session: Session, *, officer: User, competition_id: int) -> list[tuple[CompetitionTrack, User]]:
    competition = managed(session, officer=officer, competition_id=competition_id)
    return list(session.exec(select(CompetitionTrack, User)
                             .join(JudgeAssignment, JudgeAssignment.track_id == CompetitionTrack.id)
                             .join(User, User.id == JudgeAssignment.judge_id)
                             .where(JudgeAssignment.competition_id == competition.id)
                             .order_by(CompetitionTrack.id, User.display_name)).all())


# ---------------------------------------------------------------- judges


@dataclass
class JudgeEntry:
    entry: CompetitionEntry
    competition: Competition
    track: CompetitionTrack
    mine: Score | None
    others: list[Score] = field(default_factory=list)  # the other judges' scores, once the round has closed


def _assigned_tracks(session: Session, judge: User) -> list[int]:
    return list(session.exec(select(JudgeAssignment.track_id).where(JudgeAssignment.judge_id == judge.id)).all())


def _declared(session: Session, judge: User) -> set[int]:
    return set(session.exec(select(ConflictOfInterest.entry_id).where(ConflictOfInterest.judge_id == judge.id)).all())


def to_judge(session: Session, *, judge: User) -> list[JudgeEntry]:
    """The submitted projects of the judge's tracks in competitions being judged or judged, less those the judge
    declared a conflict with."""
    if judge.role != Role.judge:
        raise NotFound("This page is for judges.")
    tracks = _assigned_tracks(session, judge)
    declared = _declared(session, judge)
    rows = session.exec(select(CompetitionEntry).join(Competition, Competition.id == CompetitionEntry.competition_id)
                        .where(CompetitionEntry.track_id.in_(tracks or [-1]),
                               CompetitionEntry.status == EntryStatus.submitted,
                               Competition.status.in_([CompetitionStatus.judging, *SCORES_VISIBLE]))
                        .order_by(Competition.id.desc(), CompetitionEntry.track_id, CompetitionEntry.id)).all()
    return [_judge_view(session, judge, entry) for entry in rows if entry.id not in declared]


def _judge_view(session: Session, judge: User, entry: CompetitionEntry) -> JudgeEntry:
    competition = session.get(Competition, entry.competition_id)
    scores = session.exec(select(Score).where(Score.entry_id == entry.id).order_by(Score.id)).all()
    mine = next((s for s in scores if s.judge_id == judge.id), None)
    others = [s for s in scores if s.judge_id != judge.id] if competition.status in SCORES_VISIBLE else []
    return JudgeEntry(entry, competition, session.get(CompetitionTrack, entry.track_id), mine, others)


def _judged_entry(session: Session, *, judge: User, entry_id: int, lock: bool = False) -> CompetitionEntry:
    """The entry if the judge may judge it; with `lock`, its row is held so that a score and a declared conflict
    of the same judge never both go through (each checks for the other once it holds the row)."""
    statement = select(CompetitionEntry).where(CompetitionEntry.id == entry_id)
    entry = session.exec(statement.with_for_update() if lock else statement).first()
    if (judge.role != Role.judge or entry is None or entry.status != EntryStatus.submitted
            or entry.track_id not in _assigned_tracks(session, judge) or entry.id in _declared(session, judge)):
        raise NotFound(ENTRY_NOT_FOUND)
    return entry


def judge_entry(session: Session, *, judge: User, entry_id: int) -> JudgeEntry:
    return _judge_view(session, judge, _judged_entry(session, judge=judge, entry_id=entry_id))


def score(session: Session, *, judge: User, entry_id: int, marks: list[int], comment: str = "") -> Score:
    """The judge's marks on the published criteria, given once while the round is open (two submissions at once:
    the unique constraint keeps the second out)."""
    entry = _judged_entry(session, judge=judge, entry_id=entry_id, lock=True)
    competition = session.get(Competition, entry.competition_id)
    if competition.status != CompetitionStatus.judging:
        raise Conflict("Scores are given while the round is open.")
    criteria = competition.criteria
    if len(marks) != len(criteria) or any(not 0 <= mark <= MAX_MARK for mark in marks):
        raise Invalid("Give every criterion a mark from 0 to 10.", field="marks")
    total = round(sum(mark * c["weight"] for mark, c in zip(marks, criteria)) / MAX_MARK, 2)
    row = Score(entry_id=entry.id, judge_id=judge.id, marks={c["name"]: m for c, m in zip(criteria, marks)},
                total=total, comment=comment.strip())
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise Conflict("You have already scored this project.") from None
    audit.record(session, actor_id=judge.id, action="competition.score", object_type="competition_entry",
                 object_id=entry.id)
    session.commit()
    return row


def declare_conflict(session: Session, *, judge: User, entry_id: int, reason: str) -> ConflictOfInterest:
    """The judge declares a conflict of interest with a team and is skipped for it (before scoring it)."""
    entry = _judged_entry(session, judge=judge, entry_id=entry_id, lock=True)
    if session.exec(select(Score).where(Score.entry_id == entry.id, Score.judge_id == judge.id)).first():
        raise Conflict("You have already scored this project.")
    row = ConflictOfInterest(entry_id=entry.id, judge_id=judge.id, reason=reason.strip())
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # declared twice at once
        raise Conflict("You have already declared a conflict with this team.") from None
    audit.record(session, actor_id=judge.id, action="competition.conflict", object_type="competition_entry",
                 object_id=entry.id, detail={"reason": row.reason})
    session.commit()
    return row
