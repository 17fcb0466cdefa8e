"""Position pages: the public position page, the employer's list and form, and the officers' review queue."""
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request

from portal.clock import today
from portal.deps import EmployerUser, IdPath, OfficerUser, OptionalUser, SessionDep, SettingsDep, client_ip
from portal.employers import service as employers
from portal.employers.models import Organization
from portal.errors import Conflict, Invalid
from portal.forms import FormData, FormPage, submit
from portal.i18n import gettext
from portal.positions import service
from portal.positions.models import PositionStatus
from portal.positions.schemas import PositionCreate, RejectRequest
from portal.web import is_htmx, redirect, render

router = APIRouter(tags=["pages: positions"], include_in_schema=False)

PageQuery = Annotated[int, Query(ge=1, le=100_000)]
EMPLOYER_TABS = ("all", "published", "pending_review", "rejected", "draft", "closed", "expired")
REVIEW_TABS = ("pending_review", "published", "rejected", "all")


def _local_next(value: object, default: str) -> str:
    value = str(value or "")
    return value if value.startswith("/") and not value.startswith("//") else default


# ---------------------------------------------------------------- public position page


NOTICES = {
    "saved": "Saved.",
    "submitted": "Submitted for review. An employment officer will look at it soon.",
    "saved_not_submitted": "Saved as a draft. It can be submitted once your organisation is verified.",
    "closed": "The position is closed.",
    "reconfirmed": "Thanks, it stays up for another %(days)s days.",
    "reviewed": "Your decision is saved.",
}


@router.get("/jobs/{position_id}")
def position_page(request: Request, position_id: IdPath, user: OptionalUser, session: SessionDep,
                  settings: SettingsDep, notice: Annotated[str | None, Query(max_length=40)] = None):
    view = service.position_for_viewer(session, user=user, position_id=position_id)
    message = gettext(NOTICES[notice], days=settings.position_reconfirm_days) if notice in NOTICES else None
    return render(request, "positions/detail.html", {
        "view": view,
        "position": view.position,
        "organization": view.organization,
        "responsiveness": employers.employer_responsiveness(session, view.organization.id),
        "application": service.application_of(session, graduate=user, position_id=position_id),
        "reconfirm_due": service.reconfirm_due(view.position, settings),
        "notice": message,
        "history": employers.decision_history(session, object_type="position", object_id=position_id)
        if view.is_officer or view.is_own else [],
        "today": today(),
        "errors": {},
    })


# ---------------------------------------------------------------- the employer's home: their positions first


@router.get("/employer")
def employer_home(request: Request, user: EmployerUser, session: SessionDep, settings: SettingsDep,
                  welcome: Annotated[int | None, Query(ge=0, le=1)] = None):
    organization = employers.organization_of(session, user)
    counts = service.employer_position_counts(session, user=user)
    active = service.active_positions(session, organization_id=organization.id)
    ids = [p.id for p in active]
    context = {
        "organization": organization,
        "membership": employers.recruiter_of(session, user),
        "counts": counts,
        "active_positions": active,
        "new_applicants": service.new_applicant_counts(session, position_ids=ids),
        "applicants": service.applicant_counts(session, position_ids=ids),
        "reminders": service.reconfirmation_reminders(session, user=user, settings=settings),
        "responsiveness": employers.employer_responsiveness(session, organization.id),
        "welcome": bool(welcome),
    }
    context["new_total"] = sum(context["new_applicants"].values())
    return render(request, "employers/home.html", context)


# ---------------------------------------------------------------- employer: list, form, actions


@router.get("/employer/positions")
def employer_positions(
    request: Request, user: EmployerUser, session: SessionDep, settings: SettingsDep,
    status: Annotated[str, Query(max_length=20)] = "all", page: PageQuery = 1,
):
    if status not in EMPLOYER_TABS:
        status = "all"
    listing = service.list_employer_positions(session, user=user, status=status, page=page)
    ids = [p.id for p in listing.items]
    return render(request, "positions/employer_list.html", {
        "listing": listing, "status": status, "tabs": EMPLOYER_TABS,
        "counts": service.employer_position_counts(session, user=user),
        "organization": employers.organization_of(session, user),
        "applicants": service.applicant_counts(session, position_ids=ids),
        "new_applicants": service.new_applicant_counts(session, position_ids=ids),
        "settings": settings,
    }, block="results")


def _form_values(position) -> dict:
    values = {name: getattr(position, name) for name in PositionCreate.model_fields}
    values["majors"] = "、".join(position.majors or [])
    values["skills"] = "、".join(position.skills or [])
    values["deadline"] = position.deadline.isoformat() if position.deadline else ""
    values["address"] = position.address or ""
    return values


def _form_page(session, user, position=None) -> FormPage:
    """The position form: a new position, or `position` being changed."""
    return FormPage("positions/form.html", context=lambda errors: {
        "position": position, "organization": employers.organization_of(session, user)})


@router.get("/employer/positions/new")
def new_position_page(request: Request, user: EmployerUser, session: SessionDep):
    organization = employers.organization_of(session, user)
    return _form_page(session, user).show(request, {
        "district": organization.district, "headcount": 1, "address": organization.address or "", "kind": "full_time",
        "deadline": (today() + timedelta(days=30)).isoformat(),
    })


@router.post("/employer/positions")
def create_position(request: Request, user: EmployerUser, session: SessionDep, data: FormData):
    then_submit = data.pop("action", "") == "submit"
    return submit(request, session, PositionCreate, data,
                  lambda fields: service.create_position(session, user=user, position=fields),
                  done=lambda position: _after_save(request, session, user, position, then_submit),
                  again=_form_page(session, user))


def _after_save(request, session, user, position, then_submit):
    notice = "saved"
    if then_submit:
        try:
            service.submit_position(session, user=user, position_id=position.id)
            notice = "submitted"
        except (Conflict, Invalid):
            # Saved, but not submitted (e.g. the organisation is not verified yet): the page says why.
            notice = "saved_not_submitted"
    return redirect(request, f"/jobs/{position.id}?notice={notice}")


@router.get("/employer/positions/{position_id}/edit")
def edit_position_page(request: Request, position_id: IdPath, user: EmployerUser, session: SessionDep):
    position, _ = service.own_position(session, user=user, position_id=position_id)
    return _form_page(session, user, position).show(request, _form_values(position))


@router.post("/employer/positions/{position_id}")
def update_position(request: Request, position_id: IdPath, user: EmployerUser, session: SessionDep, data: FormData):
    position, _ = service.own_position(session, user=user, position_id=position_id)
    then_submit = data.pop("action", "") == "submit"
    return submit(
        request, session, PositionCreate, data,
        lambda fields: service.update_position(session, user=user, position_id=position_id, changes=fields),
        done=lambda saved: _after_save(request, session, user, saved,
                                       then_submit and saved.status in (PositionStatus.draft, PositionStatus.rejected)),
        again=_form_page(session, user, position),
    )


def _after_action(request: Request, session, settings, position, data: dict, notice: str):
    """HTMX gets the position's row back (from the employer list); a plain form goes back where it came from."""
    if is_htmx(request):
        if data.get("next") == "/employer":  # the reminder on the employer home: it is done, so it goes
            return render(request, "positions/_notice.html", {"message": gettext("Thanks, it stays up for another %(days)s days.", days=settings.position_reconfirm_days)})
        ids = [position.id]
        return render(request, "positions/_employer_row.html", {
            "position": position, "applicants": service.applicant_counts(session, position_ids=ids),
            "new_applicants": service.new_applicant_counts(session, position_ids=ids), "settings": settings,
        }, headers={"HX-Trigger": "position-changed"})
    target = _local_next(data.get("next"), f"/jobs/{position.id}")
    return redirect(request, f"{target}{'&' if '?' in target else '?'}notice={notice}")


@router.post("/employer/positions/{position_id}/submit")
def submit_position(request: Request, position_id: IdPath, user: EmployerUser, session: SessionDep,
                    settings: SettingsDep, data: FormData):
    position = service.submit_position(session, user=user, position_id=position_id)
    return _after_action(request, session, settings, position, data, "submitted")


@router.post("/employer/positions/{position_id}/close")
def close_position(request: Request, position_id: IdPath, user: EmployerUser, session: SessionDep,
                   settings: SettingsDep, data: FormData):
    position = service.close_position(session, user=user, position_id=position_id, filled=data.get("filled") == "1")
    return _after_action(request, session, settings, position, data, "closed")


@router.post("/employer/positions/{position_id}/reconfirm")
def reconfirm_position(request: Request, position_id: IdPath, user: EmployerUser, session: SessionDep,
                       settings: SettingsDep, data: FormData):
    position = service.reconfirm_position(session, user=user, position_id=position_id)
    return _after_action(request, session, settings, position, data, "reconfirmed")


@router.post("/employer/positions/{position_id}/duplicate")
def duplicate_position(request: Request, position_id: IdPath, user: EmployerUser, session: SessionDep):
    copy = service.duplicate_position(session, user=user, position_id=position_id)
    return redirect(request, f"/employer/positions/{copy.id}/edit")


# ---------------------------------------------------------------- officers: review


@router.get("/officer/positions")
def review_queue(
    request: Request, user: OfficerUser, session: SessionDep,
    status: Annotated[str, Query(max_length=20)] = "pending_review", page: PageQuery = 1,
):
    if status not in REVIEW_TABS:
        status = "pending_review"
    listing = service.review_queue(session, officer=user, status=None if status == "all" else status, page=page)
    pending = service.review_queue(session, officer=user, status="pending_review", per_page=1).total
    return render(request, "positions/review_queue.html", {
        "listing": listing, "status": status, "tabs": REVIEW_TABS, "pending": pending, "errors": {},
    }, block="results")


def _after_review(request: Request, session, user, position, errors=None, status_code=200):
    if is_htmx(request):
        return render(request, "positions/_review_row.html",
                      {"position": position, "organization": session.get(Organization, position.organization_id),
                       "errors": errors or {}},
                      status_code=status_code, headers={"HX-Trigger": "position-reviewed"})
    if errors:
        return render(request, "error.html", {"status": status_code, "message": next(iter(errors.values()))},
                      status_code=status_code)
    return redirect(request, f"/jobs/{position.id}?notice=reviewed")


@router.post("/officer/positions/{position_id}/approve")
def approve_position(request: Request, position_id: IdPath, user: OfficerUser, session: SessionDep,
                     settings: SettingsDep):
    position = service.approve_position(session, officer=user, position_id=position_id, ip=client_ip(request),
                                        settings=settings)
    return _after_review(request, session, user, position)


@router.post("/officer/positions/{position_id}/reject")
def reject_position(request: Request, position_id: IdPath, user: OfficerUser, session: SessionDep,
                    settings: SettingsDep, data: FormData):
    position, _ = service.reviewable_position(session, officer=user, position_id=position_id)
    return submit(
        request, session, RejectRequest, data,
        lambda decision: service.reject_position(session, officer=user, position_id=position_id,
                                                 reason=decision.reason, ip=client_ip(request), settings=settings),
        done=lambda rejected: _after_review(request, session, user, rejected),
        again=lambda errors, values, status: _after_review(request, session, user, position, errors, status),
    )
