"""The graduate's resume page (/me/resume), its HTMX parts, and the PDF routes."""
from typing import Annotated

from fastapi import APIRouter, Path as PathParam, Request
from fastapi.responses import Response

from portal.accounts.models import GraduateProfile, User
from portal.deps import CurrentUser, GraduateUser, SessionDep, SettingsDep
from portal.errors import Invalid, ServiceError
from portal.forms import parse
from portal.i18n import gettext
from portal.resumes import forms, service
from portal.resumes.models import Resume
from portal.resumes.schemas import ProfileUpdate, ResumeUpdate
from portal.settings import Settings
from portal.storage import attachment
from portal.web import field_errors, form_dict, redirect, render

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


def page_context(session, user: User, **overrides) -> dict:
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
        "upload_max_mb": None,
        "sections": forms.SECTIONS,
        "verified_skills": service.verified_skills(session, graduate_id=user.id),
    }
    context.update(overrides)
    return context


@router.get("/me/resume")
def resume_page(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep, saved: str | None = None):
    context = page_context(session, user, saved=saved if saved in ("resume", "profile", "pdf") else None)
    context["upload_max_mb"] = settings.upload_max_bytes // (1024 * 1024)
    # After each save the completeness card asks for itself again (HTMX, X-Block: completeness).
    block = "completeness" if request.headers.get("X-Block") == "completeness" else None
    return render(request, TEMPLATE, context, block=block)


@router.get("/me/resume/rows/{section}")
def new_row(request: Request, user: GraduateUser, section: Annotated[str, PathParam(pattern="^(education|experience|projects)$")]):
    """A blank row for one list of the resume form, added in place by HTMX."""
    return render(request, "resumes/row.html", {"section": section, "index": forms.new_row_index(), "entry": {}, "errors": {}})


@router.post("/me/resume")
async def save_resume(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    payload, index_map = forms.nest(await form_dict(request))
    update, errors = parse(ResumeUpdate, payload, index_map)
    if update:
        try:
            service.update_resume(session, user=user, update=update)
        except ServiceError as error:
            errors = field_errors(error)
        else:
            if request.headers.get("HX-Request") != "true":
                return redirect(request, "/me/resume?saved=resume")
            context = page_context(session, user, saved="resume")
            return render(request, TEMPLATE, context, block="resume", headers={"HX-Trigger": "resume-saved"})
    context = page_context(
        session, user, state=submitted_state(payload, index_map), resume_errors=errors,
        upload_max_mb=settings.upload_max_bytes // (1024 * 1024),
    )
    return render(request, TEMPLATE, context, block="resume", status_code=422)


@router.post("/me/profile")
async def save_profile(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    data = await form_dict(request)
    data.setdefault("discoverable", False)
    data.setdefault("needs_accessible", False)
    update, errors = parse(ProfileUpdate, data)
    if update:
        service.update_profile(session, user=user, update=update)
        if request.headers.get("HX-Request") != "true":
            return redirect(request, "/me/resume?saved=profile")
        return render(request, TEMPLATE, page_context(session, user, saved="profile"), block="profile",
                      headers={"HX-Trigger": "resume-saved"})
    values = {**page_context(session, user)["profile"], **data}
    context = page_context(session, user, profile=values, profile_errors=errors,
                           upload_max_mb=settings.upload_max_bytes // (1024 * 1024))
    return render(request, TEMPLATE, context, block="profile", status_code=422)


async def capped_form(request: Request, limit: int):
    """Parses a multipart form but gives up as soon as the body outgrows `limit` (plus form overhead).

    A declared Content-Length over the limit is refused before a byte is read; a body without one
    is counted as it arrives.
    """
    ceiling = limit + 64 * 1024
    too_large = Invalid("The file is larger than %(mb)s MB.", field="pdf", mb=limit // (1024 * 1024))
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > ceiling:
        raise too_large
    if getattr(request, "_form", None) is None:
        receive, received = request._receive, 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > ceiling:
                    raise too_large
            return message

        request._receive = limited_receive
    return await request.form(max_files=1, max_fields=10)


def store_upload(session, settings: Settings, user: User, form) -> None:
    upload = form.get("pdf")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise Invalid("Please choose a PDF file to upload.", field="pdf")
    service.upload_pdf(session, settings=settings, user=user, filename=upload.filename,
                       chunks=service.iter_file(upload.file))


@router.post("/me/resume/pdf")
async def upload_pdf(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    try:
        form = await capped_form(request, settings.upload_max_bytes)
        store_upload(session, settings, user, form)
    except ServiceError as error:
        context = page_context(session, user, pdf_error=gettext(error.message, **error.params),
                               upload_max_mb=settings.upload_max_bytes // (1024 * 1024))
        return render(request, TEMPLATE, context, block="pdf", status_code=error.status_code)
    if request.headers.get("HX-Request") != "true":
        return redirect(request, "/me/resume?saved=pdf")
    context = page_context(session, user, saved="pdf", upload_max_mb=settings.upload_max_bytes // (1024 * 1024))
    return render(request, TEMPLATE, context, block="pdf", headers={"HX-Trigger": "resume-saved"})


@router.post("/me/resume/pdf/delete")
def delete_pdf(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.delete_pdf(session, settings=settings, user=user)
    if request.headers.get("HX-Request") != "true":
        return redirect(request, "/me/resume")
    context = page_context(session, user, upload_max_mb=settings.upload_max_bytes // (1024 * 1024))
    return render(request, TEMPLATE, context, block="pdf")


def pdf_response(data: bytes, filename: str) -> Response:
    return attachment(data, filename=filename, media_type="application/pdf")


@router.get("/me/resume/pdf")
def own_pdf(user: GraduateUser, session: SessionDep, settings: SettingsDep):
    return pdf_response(*service.own_pdf(session, settings=settings, user=user))


@router.get("/resumes/{resume_id}/pdf")
def resume_pdf(resume_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    return pdf_response(*service.resume_pdf_for(session, settings=settings, user=user, resume_id=resume_id))
