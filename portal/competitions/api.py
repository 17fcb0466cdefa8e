"""JSON API for competitions: the competitions and their results, a team's own projects (with the judges' scores
once published), and judging."""
from typing import Annotated

from fastapi import APIRouter

from portal.accounts.models import Role, User
from portal.competitions import service
from portal.competitions.schemas import (
    CompetitionPublic,
    EntryPublic,
    JudgeEntryPublic,
    JudgeScorePublic,
    ResultPublic,
    ScoreCreate,
    TrackPublic,
)
from portal.deps import GraduateUser, IdPath, OptionalUser, SessionDep, require_role

router = APIRouter(prefix="/api/v1", tags=["competitions"])

JudgeUser = Annotated[User, require_role(Role.judge)]


def _competition(session, competition) -> CompetitionPublic:
    return CompetitionPublic.model_validate({
        **competition.model_dump(), "tracks": [TrackPublic(id=t.id, name=t.name)
                                               for t in service.tracks_of(session, competition.id)]})


def _entry(view: service.EntryView) -> EntryPublic:
    e = view.entry
    return EntryPublic(id=e.id, competition_id=e.competition_id, track=view.track.name, project_name=e.project_name,
                       summary=e.summary, status=e.status, members=[u.display_name for _, u in view.members],
                       deck_name=e.deck_name, final_score=e.final_score, award=e.award,
                       scores=[JudgeScorePublic(total=s.total, marks=s.marks, comment=s.comment) for s in view.scores])


def _judge_entry(view: service.JudgeEntry) -> JudgeEntryPublic:
    return JudgeEntryPublic(id=view.entry.id, track=view.track.name, project_name=view.entry.project_name,
                            summary=view.entry.summary, my_total=view.mine.total if view.mine else None)


@router.get("/competitions", response_model=list[CompetitionPublic])
def competitions(session: SessionDep):
    return [_competition(session, c) for c in service.published(session)]


@router.get("/competitions/{competition_id}", response_model=CompetitionPublic)
def competition(competition_id: IdPath, user: OptionalUser, session: SessionDep):
    return _competition(session, service.get(session, user=user, competition_id=competition_id))


@router.get("/competitions/{competition_id}/results", response_model=list[ResultPublic])
def results(competition_id: IdPath, user: OptionalUser, session: SessionDep):
    """The published results (empty until they are out)."""
    row = service.get(session, user=user, competition_id=competition_id)
    return [ResultPublic(entry_id=r.entry.id, track=r.track.name, project_name=r.entry.project_name,
                         final_score=r.entry.final_score, award=r.entry.award)
            for r in service.results(session, competition=row)]


@router.get("/me/competition-entries", response_model=list[EntryPublic])
def my_entries(user: GraduateUser, session: SessionDep):
    """The graduate's teams' projects; each judge's score once the results are published."""
    return [_entry(view) for view, _ in service.my_entries(session, graduate=user)]


@router.get("/judging/entries", response_model=list[JudgeEntryPublic])
def to_judge(user: JudgeUser, session: SessionDep):
    return [_judge_entry(view) for view in service.to_judge(session, judge=user)]


@router.post("/judging/entries/{entry_id}/score", response_model=JudgeEntryPublic, status_code=201)
def score(entry_id: IdPath, body: ScoreCreate, user: JudgeUser, session: SessionDep):
    """Marks in the order of the criteria, once; 409 for a second score."""
    service.score(session, judge=user, entry_id=entry_id, marks=body.marks, comment=body.comment)
    return _judge_entry(service.judge_entry(session, judge=user, entry_id=entry_id))
