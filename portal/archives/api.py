"""JSON API for personnel files in custody: the person's files (their story, never their contents), applying and
asking for a service."""

from fastapi import APIRouter

from portal.archives import service
from portal.archives.schemas import (
    CustodyApplication,
    FilePublic,
    ServicePublic,
    ServiceRequest,
    StepPublic,
)
from portal.deps import GraduateUser, IdPath, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1", tags=["personnel files"])


def file_public(view: service.FileView) -> FilePublic:
    row = view.file
    return FilePublic(
        id=row.id, agency_name=view.agency.name, applicant_kind=row.applicant_kind, status=row.status,
        archive_number=row.archive_number, file_source=row.file_source, created_at=row.created_at,
        steps=[StepPublic.model_validate(step, from_attributes=True) for step in view.steps],
        services=[ServicePublic.model_validate(s, from_attributes=True) for s in view.services])


def _mine(session, user, file_id: int) -> FilePublic:
    return next(file_public(view) for view in service.my_files(session, person=user) if view.file.id == file_id)


@router.get("/me/archive", response_model=list[FilePublic])
def my_files(user: GraduateUser, session: SessionDep):
    """The person's files with every step and request; the contents stay with the agency."""
    return [file_public(view) for view in service.my_files(session, person=user)]


@router.post("/me/archive", response_model=FilePublic, status_code=201)
def apply(application: CustodyApplication, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    row = service.apply(session, settings=settings, person=user, application=application)
    return _mine(session, user, row.id)


@router.post("/me/archive/{file_id}/services", response_model=FilePublic, status_code=201)
def request_service(file_id: IdPath, body: ServiceRequest, user: GraduateUser, session: SessionDep,
                    settings: SettingsDep):
    service.request_service(session, settings=settings, person=user, file_id=file_id, request=body)
    return _mine(session, user, file_id)
