"""Competition pages: the competitions and their results (everyone), teams and their projects (graduates), scoring
(judges), and running a competition (its organiser)."""
from typing import Annotated

from fastapi import APIRouter, Path, Request

from portal import xlsx
from portal.accounts.models import Role, User
from portal.competitions import service
from portal.competitions.schemas import (
    AwardSet,
    CompetitionCreate,
    ConflictDeclaration,
    EntryCreate,
    IncubationAnswer,
    IncubationRequest,
    JudgeInvite,
    MemberAdd,
    ScoreCreate,
)
from portal.deps import (
    CurrentUser,
    GraduateUser,
    IdPath,
    OfficerUser,
    OptionalUser,
    SessionDep,
    SettingsDep,
    require_role,
)
from portal.fairs import service as fairs
from portal.forms import FormData, FormPage, UploadForm, require, submit
from portal.storage import attachment
from portal.web import redirect, render

router = APIRouter(tags=["pages: competitions"], include_in_schema=False)

JudgeUser = Annotated[User, require_role(Role.judge)]


# ---------------------------------------------------------------- everyone and teams


@router.get("/competitions")
def competition_list(request: Request, user: OptionalUser, session: SessionDep):
    return render(request, "competitions/list.html", {"competitions": service.published(session)})


def _competition_page(session, user: User | None, competition_id: int) -> FormPage:
    def context(errors):
        competition = service.get(session, user=user, competition_id=competition_id)
        return {"competition": competition, "tracks": service.tracks_of(session, competition.id),
                "events": service.events_of(session, competition),
                "results": service.results(session, competition=competition),
                "mine": service.entry_of(session, graduate=user, competition_id=competition.id)}

    return FormPage("competitions/detail.html", context=context)


@router.get("/competitions/{competition_id}")
def competition_page(request: Request, competition_id: IdPath, user: OptionalUser, session: SessionDep):
    return _competition_page(session, user, competition_id).show(request)


@router.post("/competitions/{competition_id}/entries")
def register_team(request: Request, competition_id: IdPath, user: GraduateUser, session: SessionDep,
                  settings: SettingsDep, data: FormData):
    return submit(request, session, EntryCreate, data,
                  lambda entry: service.register_team(session, settings=settings, leader=user,
                                                      competition_id=competition_id, entry=entry),
                  done=lambda entry: redirect(request, f"/competitions/entries/{entry.id}"),
                  again=_competition_page(session, user, competition_id))


@router.get("/me/competitions")
def my_competitions(request: Request, user: GraduateUser, session: SessionDep):
    return render(request, "competitions/mine.html", {"rows": service.my_entries(session, graduate=user)})


def _entry_page(session, user: User, entry_id: int) -> FormPage:
    return FormPage("competitions/entry.html",
                    context=lambda errors: {"view": service.team_entry(session, user=user, entry_id=entry_id)})


@router.get("/competitions/entries/{entry_id}")
def entry_page(request: Request, entry_id: IdPath, user: CurrentUser, session: SessionDep):
    return _entry_page(session, user, entry_id).show(request)


def _team_change(request: Request, session, user: User, entry_id: int, schema, data, action):
    return submit(request, session, schema, data, action, again=_entry_page(session, user, entry_id),
                  done=lambda result: redirect(request, f"/competitions/entries/{entry_id}"))


@router.post("/competitions/entries/{entry_id}/members")
def add_member(request: Request, entry_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep,
               data: FormData):
    return _team_change(request, session, user, entry_id, MemberAdd, data, lambda m: service.add_member(
        session, settings=settings, leader=user, entry_id=entry_id, email=m.email))


@router.post("/competitions/entries/{entry_id}/deck")
def upload_deck(request: Request, entry_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep,
                upload: UploadForm):
    return _team_change(request, session, user, entry_id, None, upload.data, lambda _: service.upload_deck(
        session, settings=settings, leader=user, entry_id=entry_id, filename=upload.file("file").filename,
        chunks=iter(lambda: upload.file("file").file.read(64 * 1024), b"")))


@router.post("/competitions/entries/{entry_id}/submit")
def submit_entry(request: Request, entry_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    return _team_change(request, session, user, entry_id, None, {}, lambda _: service.submit(
        session, settings=settings, leader=user, entry_id=entry_id))


@router.post("/competitions/entries/{entry_id}/confirm")
def confirm(request: Request, entry_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.confirm_membership(session, settings=settings, graduate=user, entry_id=entry_id)
    return redirect(request, f"/competitions/entries/{entry_id}")


@router.post("/competitions/entries/{entry_id}/leave")
def leave(request: Request, entry_id: IdPath, user: GraduateUser, session: SessionDep):
    service.leave_team(session, graduate=user, entry_id=entry_id)
    return redirect(request, "/me/competitions")


@router.get("/competitions/entries/{entry_id}/deck.pdf")
def deck(entry_id: IdPath, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    data, name = service.deck(session, settings=settings, user=user, entry_id=entry_id)
    return attachment(data, filename=name, media_type="application/pdf")


@router.post("/competitions/entries/{entry_id}/incubation")
def request_incubation(request: Request, entry_id: IdPath, user: GraduateUser, session: SessionDep,
                       settings: SettingsDep, data: FormData):
    return _team_change(request, session, user, entry_id, IncubationRequest, data, lambda i: service.request_incubation(
        session, settings=settings, leader=user, entry_id=entry_id, needs=i.needs))


# ---------------------------------------------------------------- judges


@router.get("/judging")
def judging_home(request: Request, user: JudgeUser, session: SessionDep):
    return render(request, "competitions/judging.html", {"entries": service.to_judge(session, judge=user)})


def _judge_page(session, user: User, entry_id: int) -> FormPage:
    return FormPage("competitions/judge_entry.html", lists=("marks",),
                    context=lambda errors: {"view": service.judge_entry(session, judge=user, entry_id=entry_id)})


@router.get("/judging/entries/{entry_id}")
def judge_entry(request: Request, entry_id: IdPath, user: JudgeUser, session: SessionDep):
    return _judge_page(session, user, entry_id).show(request)


@router.post("/judging/entries/{entry_id}/score")
def score(request: Request, entry_id: IdPath, user: JudgeUser, session: SessionDep, data: FormData):
    return submit(request, session, ScoreCreate, data,
                  lambda s: service.score(session, judge=user, entry_id=entry_id, marks=s.marks, comment=s.comment),
                  done=lambda row: redirect(request, f"/judging/entries/{entry_id}"),
                  again=_judge_page(session, user, entry_id))


@router.post("/judging/entries/{entry_id}/conflict")
def declare_conflict(request: Request, entry_id: IdPath, user: JudgeUser, session: SessionDep, data: FormData):
    return submit(request, session, ConflictDeclaration, data,
                  lambda c: service.declare_conflict(session, judge=user, entry_id=entry_id, reason=c.reason),
                  done=lambda row: redirect(request, "/judging"), again=_judge_page(session, user, entry_id))


# ---------------------------------------------------------------- organisers


def _organiser_list(session, user: User) -> FormPage:
    return FormPage("competitions/officer_list.html", context=lambda errors: {
        "competitions": service.organised_by(session, officer=user), "series": fairs.all_series(session)})


@router.get("/officer/competitions")
def organiser_list(request: Request, user: OfficerUser, session: SessionDep):
    return _organiser_list(session, user).show(request)


@router.post("/officer/competitions")
def create(request: Request, user: OfficerUser, session: SessionDep, data: FormData):
    return submit(request, session, CompetitionCreate, data,
                  lambda c: service.create(session, officer=user, competition=c),
                  done=lambda row: redirect(request, f"/officer/competitions/{row.id}"),
                  again=_organiser_list(session, user))


def _manage_page(session, user: User, competition_id: int, link: str | None = None) -> FormPage:
    def context(errors):
        competition = service.managed(session, officer=user, competition_id=competition_id)
        return {"competition": competition, "tracks": service.tracks_of(session, competition.id),
                "judges": service.judges_of(session, officer=user, competition_id=competition.id),
                "progress": service.progress(session, officer=user, competition_id=competition.id), "link": link}

    return FormPage("competitions/manage.html", context=context)


@router.get("/officer/competitions/{competition_id}")
def manage(request: Request, competition_id: IdPath, user: OfficerUser, session: SessionDep):
    return _manage_page(session, user, competition_id).show(request)


@router.get("/officer/competitions/{competition_id}/results.xlsx")
def results_export(competition_id: IdPath, user: OfficerUser, session: SessionDep):
    return xlsx.download(service.results_xlsx(session, officer=user, competition_id=competition_id),
                         f"competition-{competition_id}-projects.xlsx")


@router.post("/officer/competitions/{competition_id}/steps/{step}")
def advance(request: Request, competition_id: IdPath, step: Annotated[str, Path(max_length=20)], user: OfficerUser,
            session: SessionDep, settings: SettingsDep):
    return submit(request, session, None, {}, lambda _: service.advance(
        session, settings=settings, officer=user, competition_id=competition_id, step=step),
        done=lambda row: redirect(request, f"/officer/competitions/{competition_id}"),
        again=_manage_page(session, user, competition_id))


@router.post("/officer/competitions/{competition_id}/judges")
def invite_judge(request: Request, competition_id: IdPath, user: OfficerUser, session: SessionDep,
                 settings: SettingsDep, data: FormData):
    return submit(request, session, JudgeInvite, data, lambda j: service.invite_judge(
        session, settings=settings, officer=user, competition_id=competition_id, track_id=j.track_id, email=j.email,
        display_name=j.display_name),
        # The link is shown once, to pass on where no mail is configured.
        done=lambda invited: _manage_page(session, user, competition_id, invited[1]).show(request),
        again=_manage_page(session, user, competition_id))


@router.post("/officer/competitions/entries/{entry_id}/award")
def set_award(request: Request, entry_id: IdPath, user: OfficerUser, session: SessionDep, data: FormData):
    entry = service.set_award(session, officer=user, entry_id=entry_id, award=require(AwardSet, data).award)
    return redirect(request, f"/officer/competitions/{entry.competition_id}")


@router.post("/officer/competitions/entries/{entry_id}/incubation")
def answer_incubation(request: Request, entry_id: IdPath, user: OfficerUser, session: SessionDep,
                      settings: SettingsDep, data: FormData):
    answer = require(IncubationAnswer, data)
    entry = service.answer_incubation(session, settings=settings, officer=user, entry_id=entry_id, offer=answer.offer,
                                      answer=answer.answer)
    return redirect(request, f"/officer/competitions/{entry.competition_id}")
