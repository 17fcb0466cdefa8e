"""JSON API for applications: the same services as the pages."""
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from portal.applications import service
from portal.applications.schemas import (
    ApplicantDetail, ApplicantPublic, ApplicationCreate, ApplicationPublic, StageMove, applicant_public,
    application_public,
)
from portal.deps import CurrentUser, EmployerUser, GraduateUser, SessionDep, SettingsDep
from portal.storage import PDF_RESPONSES, pdf_attachment

router = APIRouter(prefix="/api/v1", tags=["applications"])
StageFilter = Annotated[
    str | None,
    Query(pattern="^(active|received|viewed|shortlisted|interview|offer|hired|rejected|withdrawn)$"),
]


@router.post("/applications", response_model=ApplicationPublic, status_code=201)
def apply(body: ApplicationCreate, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    """Applies to an open position with the current resume; 409 when already applied or no longer open."""
    application = service.apply(session, settings=settings, user=user, position_id=body.position_id,
                                cover_note=body.cover_note)
    view = service.get_for_graduate(session, user=user, application_id=application.id)
    return application_public(view, service.events_of(session, application.id))


@router.get("/me/applications", response_model=list[ApplicationPublic])
def my_applications(user: GraduateUser, session: SessionDep, status: StageFilter = None):
    return [application_public(view) for view in service.list_for_graduate(session, user=user, status=status)]


@router.get("/me/applications/{application_id}", response_model=ApplicationPublic)
def my_application(application_id: int, user: GraduateUser, session: SessionDep):
    view = service.get_for_graduate(session, user=user, application_id=application_id)
    return application_public(view, service.events_of(session, application_id))


@router.post("/me/applications/{application_id}/withdraw", response_model=ApplicationPublic)
def withdraw(application_id: int, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.withdraw(session, settings=settings, user=user, application_id=application_id)
    view = service.get_for_graduate(session, user=user, application_id=application_id)
    return application_public(view, service.events_of(session, application_id))


@router.get("/positions/{position_id}/applicants", response_model=list[ApplicantPublic])
def applicants(
    position_id: int, user: EmployerUser, session: SessionDep, status: StageFilter = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1, per_page: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """The position's applicants, newest first, for recruiters of its organisation."""
    _, views, _ = service.list_applicants(session, user=user, position_id=position_id, status=status, page=page,
                                          per_page=per_page)
    return [applicant_public(view) for view in views]


@router.get("/employer/applications/{application_id}", response_model=ApplicantDetail)
def applicant(application_id: int, user: EmployerUser, session: SessionDep):
    """One application with the resume as it was sent (reading it changes nothing: see .../viewed)."""
    view = service.get_for_recruiter(session, user=user, application_id=application_id)
    return applicant_public(view, service.events_of(session, application_id), detail=True)


@router.post("/employer/applications/{application_id}/viewed", response_model=ApplicantDetail)
def applicant_viewed(application_id: int, user: EmployerUser, session: SessionDep, settings: SettingsDep):
    """Marks a received application viewed (the graduate is told); any later stage stays as it is."""
    view = service.mark_viewed(session, settings=settings, user=user, application_id=application_id)
    return applicant_public(view, service.events_of(session, application_id), detail=True)


@router.post("/employer/applications/{application_id}/stage", response_model=ApplicantDetail)
def move(application_id: int, body: StageMove, user: EmployerUser, session: SessionDep, settings: SettingsDep):
    """Moves the application to its next stage (409 when the move is not allowed from where it is)."""
    service.move(session, settings=settings, user=user, application_id=application_id, status=body.status,
                 message=body.message)
    view = service.get_for_recruiter(session, user=user, application_id=application_id)
    return applicant_public(view, service.events_of(session, application_id), detail=True)


@router.get("/applications/{application_id}/resume.pdf", response_class=FileResponse, responses=PDF_RESPONSES)
def application_pdf(application_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    """The PDF sent with the application: for its graduate and the position's recruiters."""
    return pdf_attachment(*service.pdf_for_application(session, settings=settings, user=user, application_id=application_id))
