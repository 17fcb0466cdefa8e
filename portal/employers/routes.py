"""Employer pages (sign-up, home, team) and the officers' organisation pages."""
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from portal.accounts.routes import start_session
from portal.deps import EmployerUser, OfficerUser, OptionalUser, SessionDep, SettingsDep, client_ip
from portal.employers import service
from portal.employers.schemas import OrganizationSignup, OrganizationUpdate, RecruiterCreate, SuspendRequest
from portal.errors import ServiceError
from portal.forms import parse
from portal.positions import service as positions
from portal.positions.models import Position
from portal.web import field_errors, form_dict, is_htmx, redirect, render
from sqlmodel import select

router = APIRouter(tags=["pages: employers"], include_in_schema=False)

IdPath = Annotated[int, Path(ge=1, le=2_147_483_647)]
PageQuery = Annotated[int, Query(ge=1, le=100_000)]
ORGANIZATION_TABS = ("pending", "verified", "suspended", "all")


# ---------------------------------------------------------------- sign-up


@router.get("/signup/employer")
def signup_page(request: Request, user: OptionalUser):
    return render(request, "employers/signup.html", {"errors": {}, "values": {}})


@router.post("/signup/employer")
async def signup(request: Request, session: SessionDep):
    data = await form_dict(request)
    signup_data, errors = parse(OrganizationSignup, data)
    if signup_data:
        try:
            _organization, owner = service.register_organization(session, signup=signup_data)
        except ServiceError as error:
            errors = field_errors(error)
        else:
            start_session(request, owner)
            return redirect(request, "/employer?welcome=1")
    return render(request, "employers/signup.html", {"errors": errors, "values": data}, status_code=422)


# ---------------------------------------------------------------- employer home and team


@router.get("/employer")
def employer_home(request: Request, user: EmployerUser, session: SessionDep, settings: SettingsDep,
                  welcome: Annotated[int | None, Query(ge=0, le=1)] = None):
    organization = service.organization_of(session, user)
    counts = positions.employer_position_counts(session, user=user)
    active = session.exec(
        select(Position).where(Position.organization_id == organization.id,
                               Position.status.in_(("published", "pending_review", "rejected", "draft")))
        .order_by(Position.updated_at.desc(), Position.id.desc()).limit(50)
    ).all()
    ids = [p.id for p in active]
    context = {
        "organization": organization,
        "membership": service.recruiter_of(session, user),
        "counts": counts,
        "active_positions": active,
        "new_applicants": positions.new_applicant_counts(session, position_ids=ids),
        "applicants": positions.applicant_counts(session, position_ids=ids),
        "reminders": positions.reconfirmation_reminders(session, user=user, settings=settings),
        "responsiveness": service.employer_responsiveness(session, organization.id),
        "welcome": bool(welcome),
    }
    context["new_total"] = sum(context["new_applicants"].values())
    return render(request, "employers/home.html", context)


_PROFILE_FIELDS = ("name", "industry", "size", "district", "address", "description", "contact_name", "contact_phone",
                   "contact_email")


def _profile(request, session, user, *, values=None, errors=None, saved=False, status_code=200):
    organization = service.organization_of(session, user)
    if values is None:
        values = {name: getattr(organization, name) or "" for name in _PROFILE_FIELDS}
    return render(request, "employers/profile.html", {
        "organization": organization, "membership": service.recruiter_of(session, user),
        "values": values, "errors": errors or {}, "saved": saved,
    }, status_code=status_code)


@router.get("/employer/organization")
def profile_page(request: Request, user: EmployerUser, session: SessionDep):
    return _profile(request, session, user)


@router.post("/employer/organization")
async def profile_save(request: Request, user: EmployerUser, session: SessionDep):
    data = await form_dict(request)
    update, errors = parse(OrganizationUpdate, data)
    if update:
        try:
            service.update_organization(session, user=user, update=update)
        except ServiceError as error:
            if error.status_code in (403, 404):
                raise
            errors = field_errors(error)
        else:
            return _profile(request, session, user, saved=True)
    return _profile(request, session, user, values=data, errors=errors, status_code=422)


def _team_context(session, user, errors=None, values=None, added=None):
    return {
        "organization": service.organization_of(session, user),
        "membership": service.recruiter_of(session, user),
        "team": service.list_team(session, user=user),
        "errors": errors or {}, "values": values or {}, "added": added,
    }


@router.get("/employer/team")
def team_page(request: Request, user: EmployerUser, session: SessionDep):
    return render(request, "employers/team.html", _team_context(session, user))


@router.post("/employer/team")
async def team_add(request: Request, user: EmployerUser, session: SessionDep):
    data = await form_dict(request)
    recruiter, errors = parse(RecruiterCreate, data)
    if recruiter:
        try:
            added = service.add_recruiter(session, user=user, recruiter=recruiter)
        except ServiceError as error:
            if error.status_code in (403, 404):
                raise
            errors = field_errors(error)
        else:
            return render(request, "employers/team.html", _team_context(session, user, added=added), block="team")
    return render(request, "employers/team.html", _team_context(session, user, errors, data), block="team",
                  status_code=422)


@router.post("/employer/team/{recruiter_id}/active")
async def team_toggle(request: Request, recruiter_id: IdPath, user: EmployerUser, session: SessionDep):
    data = await form_dict(request)
    service.set_recruiter_active(session, user=user, recruiter_user_id=recruiter_id, active=data.get("active") == "1")
    if is_htmx(request):
        return render(request, "employers/team.html", _team_context(session, user), block="team")
    return redirect(request, "/employer/team")


# ---------------------------------------------------------------- officers


def _organizations_context(session, officer, status, q, page):
    listing = service.list_organizations(session, officer=officer, status=None if status == "all" else status,
                                         q=(q or "").replace("\x00", ""), page=page)
    return {
        "listing": listing, "status": status, "q": q or "", "tabs": ORGANIZATION_TABS,
        "counts": service.organization_counts(session, officer=officer),
    }


@router.get("/officer/organizations")
def officer_organizations(
    request: Request, user: OfficerUser, session: SessionDep,
    status: Annotated[str, Query(max_length=20)] = "pending",
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: PageQuery = 1,
):
    if status not in ORGANIZATION_TABS:
        status = "pending"
    context = _organizations_context(session, user, status, q, page)
    return render(request, "employers/officer_organizations.html", context, block="results")


@router.get("/officer/organizations/{organization_id}")
def officer_organization(request: Request, organization_id: IdPath, user: OfficerUser, session: SessionDep):
    organization = service.organization_for_officer(session, officer=user, organization_id=organization_id)
    recent = session.exec(
        select(Position).where(Position.organization_id == organization.id)
        .order_by(Position.updated_at.desc(), Position.id.desc()).limit(30)
    ).all()
    return render(request, "employers/officer_organization.html", {
        "organization": organization, "positions": recent, "errors": {},
        "responsiveness": service.employer_responsiveness(session, organization.id),
        "history": service.decision_history(session, object_type="organization", object_id=organization.id),
        "team": [account for _, account in service.team_of(session, organization_id=organization.id)],
    })


def _after_decision(request: Request, session, organization, errors=None, status_code: int = 200):
    if is_htmx(request):
        return render(
            request, "employers/_organization_card.html", {"organization": organization, "errors": errors or {}},
            status_code=status_code, headers={"HX-Trigger": "organization-changed"},
        )
    return redirect(request, f"/officer/organizations/{organization.id}")


@router.post("/officer/organizations/{organization_id}/verify")
def officer_verify(request: Request, organization_id: IdPath, user: OfficerUser, session: SessionDep,
                   settings: SettingsDep):
    organization = service.verify_organization(session, officer=user, organization_id=organization_id,
                                               ip=client_ip(request), settings=settings)
    return _after_decision(request, session, organization)


@router.post("/officer/organizations/{organization_id}/suspend")
async def officer_suspend(request: Request, organization_id: IdPath, user: OfficerUser, session: SessionDep,
                          settings: SettingsDep):
    data = await form_dict(request)
    decision, errors = parse(SuspendRequest, data)
    if decision is None:
        organization = service.organization_for_officer(session, officer=user, organization_id=organization_id)
        if not is_htmx(request):
            return render(request, "error.html", {"status": 422, "message": errors.get("reason", "")}, status_code=422)
        return _after_decision(request, session, organization, errors, status_code=422)
    organization = service.suspend_organization(session, officer=user, organization_id=organization_id,
                                                reason=decision.reason, ip=client_ip(request), settings=settings)
    return _after_decision(request, session, organization)


@router.post("/officer/organizations/{organization_id}/reinstate")
def officer_reinstate(request: Request, organization_id: IdPath, user: OfficerUser, session: SessionDep,
                      settings: SettingsDep):
    organization = service.reinstate_organization(session, officer=user, organization_id=organization_id,
                                                  ip=client_ip(request), settings=settings)
    return _after_decision(request, session, organization)

