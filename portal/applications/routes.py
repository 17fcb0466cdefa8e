"""Application pages: applying, the graduate's home and applications, the employer's applicants."""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from portal.applications import service
from portal.applications.models import ApplicationStatus
from portal.deps import CurrentUser, EmployerUser, GraduateUser, OptionalUser, SessionDep, SettingsDep
from portal.errors import Invalid, NotFound, ServiceError
from portal.forms import FormData
from portal.i18n import gettext
from portal.notifications import service as notifications
from portal.resumes import service as resumes
from portal.storage import pdf_attachment
from portal.web import is_htmx, redirect, render

router = APIRouter(tags=["pages: applications"], include_in_schema=False)

APPLICANTS_PER_PAGE = 30
STAGE_FILTERS = ("active", *[s.value for s in ApplicationStatus])
StageFilter = Annotated[str | None, Query(max_length=16)]


def _stage_filter(value: str | None) -> str | None:
    return value if value in STAGE_FILTERS else None


def _int(value: object, field: str) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise Invalid("This value is not valid.", field=field) from None
    if not 0 < number < 2**31:
        raise Invalid("This value is not valid.", field=field)
    return number


# ---------------------------------------------------------------- applying


@router.get("/applications")
def applications_index(user: OptionalUser):
    return RedirectResponse("/me/applications", status_code=303)


@router.get("/applications/new")
def apply_page(
    request: Request, user: GraduateUser, session: SessionDep, position_id: Annotated[int, Query(gt=0, lt=2**31)]
):
    """Review what will be sent, add a note, and apply."""
    position, organization = service.visible_position(session, position_id=position_id)
    existing = service.has_applied(session, user=user, position_id=position.id)
    if existing:
        return RedirectResponse(f"/me/applications/{existing.id}", status_code=303)
    resume = resumes.get_resume(session, graduate_id=user.id)
    profile = resumes.profile_of(session, user=user)
    return render(request, "applications/apply.html", {
        "position": position, "organization": organization, "resume": resume, "profile": profile,
        "problem": service.accepting_problem(position, organization), "errors": {}, "values": {},
        "completeness": resumes.completeness(resume, profile)[0] if resume else 0,
    })


@router.post("/applications")
def apply(request: Request, user: GraduateUser, session: SessionDep, settings: SettingsDep, data: FormData):
    try:
        position_id = _int(data.get("position_id"), "position_id")
        cover_note = data.get("cover_note")
        application = service.apply(
            session, settings=settings, user=user, position_id=position_id,
            cover_note=cover_note if isinstance(cover_note, str) else None,
        )
    except ServiceError as error:
        return _apply_failed(request, session, user, data, error)
    return redirect(request, f"/me/applications/{application.id}?sent=1")


def _apply_failed(request: Request, session, user, data: dict, error: ServiceError):
    """Explains why nothing was sent, with the way forward (the existing application, or the resume)."""
    message = gettext(error.message, **error.params)
    existing = None
    if isinstance(data.get("position_id"), str) and data["position_id"].isdigit() and int(data["position_id"]) < 2**31:
        existing = service.has_applied(session, user=user, position_id=int(data["position_id"]))
    context = {"message": message, "existing": existing, "needs_resume": error.field == "resume"}
    headers = {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"} if is_htmx(request) else None
    return render(request, "applications/apply_failed.html", context, block="message",
                  status_code=error.status_code, headers=headers)


# ---------------------------------------------------------------- the graduate's side


@router.get("/me")
def graduate_home(request: Request, user: GraduateUser, session: SessionDep):
    """The graduate's home: where they stand, and everything that happened, newest first."""
    resume = resumes.resume_or_blank(session, user=user)
    profile = resumes.profile_of(session, user=user)
    items = service.timeline(session, user=user, limit=60)
    latest, _ = notifications.list_for(session, user=user, per_page=30)
    for n in latest:
        if not n.kind.startswith("application."):
            items.append(service.TimelineItem(
                at=n.created_at, kind="notification", status=None, title=notifications.title_of(n),
                subtitle=notifications.body_of(n), message=None, link=n.link,
            ))
    items.sort(key=lambda item: item.at, reverse=True)
    counts = service.stage_counts_for_graduate(session, user=user)
    active = service.list_for_graduate(session, user=user, status="active", limit=5)
    return render(request, "applications/home.html", {
        "profile": profile, "resume": resume, "completeness": resumes.completeness(resume, profile),
        "timeline": items[:60], "counts": counts, "total": sum(counts.values()), "active": active,
        "unread": notifications.unread_count(session, user=user),
    })


@router.get("/me/applications")
def my_applications(request: Request, user: GraduateUser, session: SessionDep, status: StageFilter = None):
    status = _stage_filter(status)
    views = service.list_for_graduate(session, user=user, status=status)
    counts = service.stage_counts_for_graduate(session, user=user)
    return render(request, "applications/mine.html", {"views": views, "status": status, "counts": counts}, block="list")


@router.get("/me/applications/{application_id}")
def my_application(request: Request, application_id: int, user: GraduateUser, session: SessionDep,
                   sent: Annotated[str | None, Query(max_length=5)] = None):
    view = service.get_for_graduate(session, user=user, application_id=application_id)
    return render(request, "applications/detail_graduate.html", {
        "view": view, "events": service.events_of(session, application_id), "sent": sent == "1",
        "final": view.application.status in service.FINAL,
    })


@router.post("/me/applications/{application_id}/withdraw")
def withdraw(request: Request, application_id: int, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.withdraw(session, settings=settings, user=user, application_id=application_id)
    return redirect(request, f"/me/applications/{application_id}")


# ---------------------------------------------------------------- the employer's side


@router.get("/employer/positions/{position_id}/applicants")
def applicants(request: Request, position_id: int, user: EmployerUser, session: SessionDep, status: StageFilter = None,
               page: Annotated[int, Query(ge=1, le=10_000)] = 1):
    status = _stage_filter(status)
    position, views, counts = service.list_applicants(
        session, user=user, position_id=position_id, status=status, page=page, per_page=APPLICANTS_PER_PAGE
    )
    matching = service.stage_total(counts, status)
    return render(request, "applications/applicants.html", {
        "position": position, "views": views, "counts": counts, "status": status,
        "total": sum(counts.values()), "hired": counts.get("hired", 0),
        "page": page, "pages": max(1, -(-matching // APPLICANTS_PER_PAGE)),
    }, block="applicants")


def _employer_detail(request: Request, session, view, errors=None, status_code=200, block=None, headers=None):
    return render(request, "applications/detail_employer.html", {
        "view": view, "events": service.events_of(session, view.application.id),
        "next_stages": service.next_stages(view.application), "errors": errors or {},
        "snapshot": view.application.resume_snapshot, "hired": service.hired_count(session, view.position.id),
    }, block=block, status_code=status_code, headers=headers)


@router.get("/employer/applications/{application_id}")
def employer_application(request: Request, application_id: int, user: EmployerUser, session: SessionDep):
    view = service.get_for_recruiter(session, user=user, application_id=application_id)
    return _employer_detail(request, session, view)


@router.post("/employer/applications/{application_id}/viewed")
def application_viewed(request: Request, application_id: int, user: EmployerUser, session: SessionDep,
                       settings: SettingsDep):
    """Sent by the page once it has loaded (a GET never changes state): a received application becomes viewed."""
    view = service.mark_viewed(session, settings=settings, user=user, application_id=application_id)
    if not is_htmx(request):
        return redirect(request, f"/employer/applications/{application_id}")
    return _employer_detail(request, session, view, block="stage")


@router.post("/employer/applications/{application_id}/stage")
def move_stage(request: Request, application_id: int, user: EmployerUser, session: SessionDep,
               settings: SettingsDep, data: FormData):
    status, message = data.get("status"), data.get("message")
    in_list = data.get("row") == "1" and is_htmx(request)  # a quick move from the applicants table
    try:
        service.move(
            session, settings=settings, user=user, application_id=application_id,
            status=status if isinstance(status, str) else "", message=message if isinstance(message, str) else None,
        )
    except ServiceError as error:
        if isinstance(error, NotFound):
            raise
        view = service.get_for_recruiter(session, user=user, application_id=application_id)
        session.refresh(view.application)
        text = gettext(error.message, **error.params)
        if in_list:
            return render(request, "applications/applicant_row.html", {"view": view, "error": text},
                          status_code=error.status_code)
        errors = {error.field or "__all__": text}
        return _employer_detail(request, session, view, errors, status_code=error.status_code, block="stage")
    if not is_htmx(request):
        return redirect(request, f"/employer/applications/{application_id}")
    view = service.get_for_recruiter(session, user=user, application_id=application_id)
    if in_list:
        return render(request, "applications/applicant_row.html", {"view": view, "error": None},
                      headers={"HX-Trigger": "application-moved"})
    return _employer_detail(request, session, view, block="stage", headers={"HX-Trigger": "application-moved"})


@router.get("/applications/{application_id}/resume.pdf")
def application_pdf(application_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    """The PDF sent with an application: for the graduate and the position's recruiters only."""
    return pdf_attachment(*service.pdf_for_application(session, settings=settings, user=user, application_id=application_id))
