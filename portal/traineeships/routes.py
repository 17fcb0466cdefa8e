"""Traineeship pages: the city's published bases, the base parts of traineeship posts, and the officers' batches,
bases and placements."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from portal import xlsx
from portal.accounts.models import User
from portal.deps import EmployerUser, IdPath, OfficerUser, OptionalUser, SessionDep, SettingsDep
from portal.errors import NotFound
from portal.forms import FormData, FormPage, submit
from portal.reference import TIANJIN_DISTRICTS
from portal.traineeships import service
from portal.traineeships.models import CompletionOutcome
from portal.traineeships.schemas import BaseCreate, BatchCreate, CompletionRecord
from portal.web import redirect, render
from portal.validation import MAX_ROW_ID

router = APIRouter(tags=["pages: traineeships"], include_in_schema=False)


@router.get("/traineeships")
def published(request: Request, user: OptionalUser, session: SessionDep):
    listing = [(batch, service.bases_of(session, batch.id)) for batch in service.batches(session, published_only=True)]
    return render(request, "traineeships/public.html", {"listing": listing})


@router.get("/traineeships/bases/{base_id}/summary")
def base_summary(request: Request, base_id: IdPath, user: OptionalUser, session: SessionDep):
    """The base line of a traineeship post's page (loaded into it); nothing while its batch is not yet public."""
    try:
        view = service.base_view(session, base_id=base_id, user=user)
    except NotFound:
        view = None
    return render(request, "traineeships/_base_summary.html", {"view": view})


@router.get("/employer/traineeship-bases/options")
def base_options(request: Request, user: EmployerUser, session: SessionDep,
                 selected: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None):
    """The host-base choice of the position form (loaded into it)."""
    return render(request, "traineeships/_base_options.html",
                  {"bases": service.bases_of_recruiter(session, user=user), "selected": selected})


# ---------------------------------------------------------------- officers


def batches_page(session, officer: User) -> FormPage:
    return FormPage("traineeships/officer_batches.html", context=lambda errors: {
        "batches": service.batches(session)})


@router.get("/officer/traineeships")
def officer_batches(request: Request, user: OfficerUser, session: SessionDep):
    return batches_page(session, user).show(request)


@router.post("/officer/traineeships/batches")
def create_batch(request: Request, user: OfficerUser, session: SessionDep, settings: SettingsDep, data: FormData):
    return submit(request, session, BatchCreate, data,
                  lambda batch: service.create_batch(session, settings=settings, officer=user, batch=batch),
                  done=lambda batch: redirect(request, f"/officer/traineeships/batches/{batch.id}"),
                  again=batches_page(session, user))


def batch_page(session, officer: User, batch_id: int) -> FormPage:
    return FormPage("traineeships/officer_batch.html", block="bases", context=lambda errors: {
        "batch": service.get_batch(session, batch_id), "bases": service.bases_of(session, batch_id),
        "districts": TIANJIN_DISTRICTS})


@router.get("/officer/traineeships/batches/{batch_id}")
def officer_batch(request: Request, batch_id: IdPath, user: OfficerUser, session: SessionDep):
    return batch_page(session, user, batch_id).show(request)


@router.post("/officer/traineeships/batches/{batch_id}/bases")
def add_base(request: Request, batch_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep,
             data: FormData):
    page = batch_page(session, user, batch_id)
    return submit(request, session, BaseCreate, data,
                  lambda base: service.add_base(session, settings=settings, officer=user, batch_id=batch_id, base=base),
                  done=lambda base: page.show(request), again=page)


def placements_page(session, officer: User, ended: bool) -> FormPage:
    return FormPage("traineeships/placements.html", block="placements", context=lambda errors: {
        "placements": service.placements(session, officer=officer, ended=ended), "ended": ended,
        "outcomes": list(CompletionOutcome)})


@router.get("/officer/traineeships/placements")
def officer_placements(request: Request, user: OfficerUser, session: SessionDep,
                       show: Annotated[str, Query(pattern="^(current|ended)$")] = "current"):
    return placements_page(session, user, show == "ended").show(request)


@router.get("/officer/traineeships/placements/export.xlsx")
def export_placements(user: OfficerUser, session: SessionDep,
                      show: Annotated[str, Query(pattern="^(current|ended)$")] = "current"):
    return xlsx.download(service.export_placements(session, officer=user, ended=show == "ended"),
                         f"traineeship-placements-{show}.xlsx")


@router.post("/officer/traineeships/placements/{application_id}/completion")
def record_completion(request: Request, application_id: IdPath, user: OfficerUser, session: SessionDep,
                      settings: SettingsDep, data: FormData):
    page = placements_page(session, user, False)
    return submit(request, session, CompletionRecord, data,
                  lambda record: service.record_completion(session, settings=settings, officer=user,
                                                           application_id=application_id, record=record),
                  done=lambda completion: page.show(request),
                  again=FormPage(page.template, page.block, lambda errors: {**page.context(errors),
                                                                             "failed_application": application_id}))
