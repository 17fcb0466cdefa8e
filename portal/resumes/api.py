"""JSON API for the graduate's resume, profile and PDF: the same services as the pages."""
from fastapi import APIRouter
from fastapi.responses import FileResponse

from portal.deps import CurrentUser, GraduateUser, SessionDep, SettingsDep
from portal.forms import UploadForm
from portal.resumes import service
from portal.resumes.routes import store_upload
from portal.resumes.schemas import ProfilePublic, ProfileUpdate, ResumePublic, ResumeUpdate, ResumeWithProfile
from portal.storage import PDF_RESPONSES, pdf_attachment

router = APIRouter(prefix="/api/v1", tags=["resumes"])



@router.get("/me/resume", response_model=ResumeWithProfile)
def read_resume(user: GraduateUser, session: SessionDep):
    """The graduate's resume (blank until first saved) with their profile."""
    resume = service.resume_or_blank(session, user=user)
    profile = service.profile_of(session, user=user)
    return ResumeWithProfile(profile=service.public_profile(user, profile), resume=service.public_resume(resume),
                             verified_skills=service.verified_skills(session, graduate_id=user.id))


@router.put("/me/resume", response_model=ResumePublic)
def replace_resume(update: ResumeUpdate, user: GraduateUser, session: SessionDep):
    return service.public_resume(service.update_resume(session, user=user, update=update))


@router.put("/me/profile", response_model=ProfilePublic)
def replace_profile(update: ProfileUpdate, user: GraduateUser, session: SessionDep):
    profile = service.update_profile(session, user=user, update=update)
    return service.public_profile(user, profile)


@router.post(
    "/me/resume/pdf", response_model=ResumePublic,
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["pdf"],
        "properties": {"pdf": {"type": "string", "format": "binary"}},
    }}}}},
)
def upload_pdf(user: GraduateUser, session: SessionDep, settings: SettingsDep, upload: UploadForm):
    """Uploads (or replaces) the resume PDF: multipart field `pdf`, a real PDF of at most 5 MB."""
    store_upload(session, settings, user, upload)
    return service.public_resume(service.resume_or_blank(session, user=user))


@router.delete("/me/resume/pdf", response_model=ResumePublic)
def delete_pdf(user: GraduateUser, session: SessionDep, settings: SettingsDep):
    return service.public_resume(service.delete_pdf(session, settings=settings, user=user))


@router.get("/me/resume/pdf", response_class=FileResponse, responses=PDF_RESPONSES)
def download_own_pdf(user: GraduateUser, session: SessionDep, settings: SettingsDep):
    return pdf_attachment(*service.own_pdf(session, settings=settings, user=user))


@router.get("/resumes/{resume_id}/pdf", response_class=FileResponse, responses=PDF_RESPONSES)
def download_pdf(resume_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    """A resume's current PDF: for its graduate and for employers the graduate applied to."""
    return pdf_attachment(*service.resume_pdf_for(session, settings=settings, user=user, resume_id=resume_id))
