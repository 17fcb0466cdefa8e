"""JSON API for organisations: sign-up, the team, and the officers' verification decisions."""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from portal.accounts import service as accounts
from portal.accounts.schemas import SIGNUP_REQUESTED, SignupRequested
from portal.deps import EmployerUser, IdPath, OfficerUser, OptionalUser, SessionDep, SettingsDep, client_ip
from portal.employers import service
from portal.employers.models import Organization
from portal.employers.schemas import (
    OrganizationPage,
    OrganizationPrivate,
    OrganizationPublic,
    OrganizationSignup,
    OrganizationSignupResult,
    OrganizationUpdate,
    RecruiterCreate,
    RecruiterPublic,
    Responsiveness,
    SuspendRequest,
)

router = APIRouter(prefix="/api/v1", tags=["organizations"])


def private(organization: Organization) -> OrganizationPrivate:
    return OrganizationPrivate.model_validate(organization, from_attributes=True)


def public(organization: Organization) -> OrganizationPublic:
    return OrganizationPublic.model_validate(organization, from_attributes=True)


@router.post("/organizations", response_model=OrganizationSignupResult, status_code=201,
             responses=SIGNUP_REQUESTED)
def register_organization(signup: OrganizationSignup, request: Request, session: SessionDep, settings: SettingsDep):
    """Registers an organisation (pending verification) and its owner recruiter account; outside a developer's
    machine without mail, once the owner's address confirms it (202, whether or not the address has an account)."""
    if accounts.confirms_by_mail(settings):
        service.request_registration(session, settings=settings, signup=signup, ip=client_ip(request))
        return JSONResponse(SignupRequested(email=signup.email).model_dump(), status_code=202)
    organization, owner = service.register_organization(session, signup=signup)
    return OrganizationSignupResult(
        organization=private(organization),
        owner=RecruiterPublic(user_id=owner.id, email=owner.email, display_name=owner.display_name, is_owner=True,
                              is_active=owner.is_active),
    )


@router.get("/organizations/mine", response_model=OrganizationPrivate)
def my_organization(user: EmployerUser, session: SessionDep):
    return private(service.organization_of(session, user))


@router.put("/organizations/mine", response_model=OrganizationPrivate)
def update_my_organization(update: OrganizationUpdate, user: EmployerUser, session: SessionDep):
    """The owner corrects the profile (the registered name only while not yet verified)."""
    return private(service.update_organization(session, user=user, update=update))


@router.get("/organizations/mine/recruiters", response_model=list[RecruiterPublic])
def my_team(user: EmployerUser, session: SessionDep):
    return [
        RecruiterPublic(user_id=account.id, email=account.email, display_name=account.display_name,
                        is_owner=recruiter.is_owner, is_active=account.is_active)
        for recruiter, account in service.list_team(session, user=user)
    ]


@router.post("/organizations/mine/recruiters", response_model=RecruiterPublic, status_code=201)
def add_recruiter(recruiter: RecruiterCreate, user: EmployerUser, session: SessionDep):
    account = service.add_recruiter(session, user=user, recruiter=recruiter)
    return RecruiterPublic(user_id=account.id, email=account.email, display_name=account.display_name,
                           is_owner=False, is_active=account.is_active)


@router.get("/organizations", response_model=OrganizationPage)
def list_organizations(
    user: OfficerUser, session: SessionDep,
    status: Annotated[str | None, Query(pattern="^(pending|verified|suspended)$")] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
):
    """Organisations in the officer's districts (officers only)."""
    listing = service.list_organizations(session, officer=user, status=status, q=(q or "").replace("\x00", ""),
                                         page=page)
    return OrganizationPage(items=[private(o) for o in listing.items], total=listing.total, page=listing.page,
                            pages=listing.pages)


@router.get("/organizations/{organization_id}", response_model=OrganizationPrivate | OrganizationPublic)
def read_organization(organization_id: IdPath, user: OptionalUser, session: SessionDep):
    """Verified organisations are public; their own recruiters and officers also see contact details."""
    organization, is_private = service.organization_for_viewer(session, user=user, organization_id=organization_id)
    return private(organization) if is_private else public(organization)


@router.get("/organizations/{organization_id}/responsiveness", response_model=Responsiveness)
def organization_responsiveness(organization_id: IdPath, user: OptionalUser, session: SessionDep):
    """How often and how fast the employer answers applications (last 180 days)."""
    organization, _ = service.organization_for_viewer(session, user=user, organization_id=organization_id)
    stats = service.employer_responsiveness(session, organization.id)
    return Responsiveness(**stats.__dict__)


@router.post("/organizations/{organization_id}/verify", response_model=OrganizationPrivate)
def verify_organization(organization_id: IdPath, request: Request, user: OfficerUser, session: SessionDep,
                        settings: SettingsDep):
    return private(service.verify_organization(session, officer=user, organization_id=organization_id,
                                               ip=client_ip(request), settings=settings))


@router.post("/organizations/{organization_id}/suspend", response_model=OrganizationPrivate)
def suspend_organization(organization_id: IdPath, decision: SuspendRequest, request: Request, user: OfficerUser,
                         session: SessionDep, settings: SettingsDep):
    """Suspends (or declines) an organisation with a reason the employer sees; its open positions close."""
    return private(service.suspend_organization(session, officer=user, organization_id=organization_id,
                                                reason=decision.reason, ip=client_ip(request), settings=settings))


@router.post("/organizations/{organization_id}/reinstate", response_model=OrganizationPrivate)
def reinstate_organization(organization_id: IdPath, request: Request, user: OfficerUser, session: SessionDep,
                           settings: SettingsDep):
    return private(service.reinstate_organization(session, officer=user, organization_id=organization_id,
                                                  ip=client_ip(request), settings=settings))
