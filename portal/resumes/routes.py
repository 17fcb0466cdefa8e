"""The graduate's resume page (/me/resume), its HTMX parts, and the PDF routes."""
from typing import Annotated

from fastapi import APIRouter, Path as PathParam, Request

from portal.accounts.models import GraduateProfile, User
from portal.deps import CurrentUser, GraduateUser, SessionDep, SettingsDep
from portal.forms import FormData, FormPage, Upload, UploadForm, submit
from portal.resumes import forms, service
from portal.resumes.models import Resume
from portal.resumes.schemas import ProfileUpdate, ResumeUpdate
from portal.settings import Settings
from portal.storage import pdf_attachment
from portal.web import redirect, render

router = APIRouter(tags=["pages: resumes"], include_in_schema=False)

TEMPLATE = "resumes/edit.html"


def resume_state(resume: Resume) -> dict:
    """The resume as the form shows it."""
    return {
        "headline": resume.headline,
        "self_intro": resume.self_intro,
        "skills": ", ".join(resume.skills),
        "rows": {section: forms.rows_for(section, getattr(resume, section)) for section in forms.SECTIONS},
        "expected_districts": list(resume.expected_districts),
        "expected_kinds": list(resume.expected_kinds),
        "expected_salary_min": "" if resume.expected_salary_min is None else resume.expected_salary_min,
        "expected_salary_max": "" if resume.expected_salary_max is None else resume.expected_salary_max,
    }


def submitted_state(payload: dict, index_map: dict[str, list[int]]) -> dict:
    """What the graduate typed, to show again beside the errors."""

    def as_list(value):
        return value if isinstance(value, list) else ([value] if value else [])

    return {
        "headline": payload.get("headline", ""),
        "self_intro": payload.get("self_intro", ""),
        "skills": payload.get("skills", ""),
        "rows": {s: forms.rows_for(s, payload.get(s, []), index_map.get(s)) for s in forms.SECTIONS},
        "expected_districts": as_list(payload.get("expected_districts")),
        "expected_kinds": as_list(payload.get("expected_kinds")),
        "expected_salary_min": payload.get("expected_salary_min", ""),
        "expected_salary_max": payload.get("expected_salary_max", ""),
    }


def profile_values(user: User, profile: GraduateProfile) -> dict:
    return {
        "display_name": user.display_name, "school": profile.school, "student_number": profile.student_number,
        "major": profile.major, "degree": profile.degree, "graduation_year": profile.graduation_year,
        "phone": profile.phone or "", "district": profile.district or "", "discoverable": profile.discoverable,
        "needs_accessible": profile.needs_accessible, "accessibility_note": profile.accessibility_note or "",
    }


def page_context(session, user: User, settings: Settings, **overrides) -> dict:
    resume = service.resume_or_blank(session, user=user)
    profile = service.profile_of(session, user=user)
    percent, missing = service.completeness(resume, profile)
    context = {
        "resume": resume,
        "state": resume_state(resume),
        "resume_errors": {},
        "profile": profile_values(user, profile),
        "profile_errors": {},
        "pdf_error": None,
        "saved": None,
        "completeness": percent,
        "missing": missing,
        "upload_max_mb": settings.upload_max_bytes // (1024 * 1024),
        "sections": forms.SECTIONS,
        "verified_skills": service.verified_skills(session, graduate_id=user.id),
    }
    context.update(overrides)
    return context


@router.get("/me/resume")
def resume_page(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep, saved: str | None = None):
    context = page_context(session, user, settings, saved=saved if saved in ("resume", "profile", "pdf") else None)
    # After each save the completeness card asks for itself again (HTMX, X-Block: completeness).
    block = "completeness" if request.headers.get("X-Block") == "completeness" else None
    return render(request, TEMPLATE, context, block=block)


@router.get("/me/resume/rows/{section}")
def new_row(request: Request, user: GraduateUser, section: Annotated[str, PathParam(pattern="^(education|experience|projects)$")]):
    """A blank row for one list of the resume form, added in place by HTMX."""
    return render(request, "resumes/row.html", {"section": section, "index": forms.new_row_index(), "entry": {}, "errors": {}})


def _saved(request: Request, session, user: User, settings: Settings, part: str):
    """After a save: the page again (a plain form), or the part that changed, which tells the page (HTMX)."""
    if request.headers.get("HX-Request") != "true":
        return redirect(request, f"/me/resume?saved={part}")
    return render(request, TEMPLATE, page_context(session, user, settings, saved=part), block=part,
                  headers={"HX-Trigger": "resume-saved"})


@router.post("/me/resume")
def save_resume(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep, data: FormData):
    payload, index_map = forms.nest(data)
    return submit(
        request, session, ResumeUpdate, payload,
        lambda update: service.update_resume(session, user=user, update=update),
        done=lambda resume: _saved(request, session, user, settings, "resume"),
        again=FormPage(TEMPLATE, block="resume", context=lambda errors: page_context(
            session, user, settings, state=submitted_state(payload, index_map), resume_errors=errors)),
        index_map=index_map,
    )


@router.post("/me/profile")
def save_profile(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep, data: FormData):
    data.setdefault("discoverable", False)
    data.setdefault("needs_accessible", False)
    return submit(
        request, session, ProfileUpdate, data,
        lambda update: service.update_profile(session, user=user, update=update),
        done=lambda profile: _saved(request, session, user, settings, "profile"),
        again=FormPage(TEMPLATE, block="profile", context=lambda errors: page_context(
            session, user, settings, profile={**profile_values(user, service.profile_of(session, user=user)), **data},
            profile_errors=errors)),
    )


def store_upload(session, settings: Settings, user: User, upload: Upload) -> None:
    file = upload.file("pdf")
    service.upload_pdf(session, settings=settings, user=user, filename=file.filename,
                       chunks=service.iter_file(file.file))


@router.post("/me/resume/pdf")
def upload_pdf(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep, upload: UploadForm):
    return submit(
        request, session, None, upload.data, lambda data: store_upload(session, settings, user, upload),
        done=lambda stored: _saved(request, session, user, settings, "pdf"),
        again=FormPage(TEMPLATE, block="pdf", context=lambda errors: page_context(
            session, user, settings, pdf_error=next(iter(errors.values())))),
    )


@router.post("/me/resume/pdf/delete")
def delete_pdf(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.delete_pdf(session, settings=settings, user=user)
    if request.headers.get("HX-Request") != "true":
        return redirect(request, "/me/resume")
    return render(request, TEMPLATE, page_context(session, user, settings), block="pdf")


@router.get("/me/resume/pdf")
def own_pdf(user: GraduateUser, session: SessionDep, settings: SettingsDep):
    return pdf_attachment(*service.own_pdf(session, settings=settings, user=user))


@router.get("/resumes/{resume_id}/pdf")
def resume_pdf(resume_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    return pdf_attachment(*service.resume_pdf_for(session, settings=settings, user=user, resume_id=resume_id))
