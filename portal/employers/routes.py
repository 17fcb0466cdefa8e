"""Employer pages (sign-up, home, team) and the officers' organisation pages."""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlmodel import select

from portal.accounts import service as accounts
from portal.deps import EmployerUser, IdPath, OfficerUser, OptionalUser, SessionDep, SettingsDep, client_ip
from portal.employers import service
from portal.employers.schemas import OrganizationSignup, OrganizationUpdate, RecruiterCreate, SuspendRequest
from portal.forms import FormData, FormPage, submit
from portal.positions.models import Position
from portal.signin import signup_sent, start_session
from portal.web import is_htmx, redirect, render

router = APIRouter(tags=["pages: employers"], include_in_schema=False)

PageQuery = Annotated[int, Query(ge=1, le=100_000)]
ORGANIZATION_TABS = ("pending", "verified", "suspended", "all")


# ---------------------------------------------------------------- sign-up

SIGNUP_PAGE = FormPage("employers/signup.html")


@router.get("/signup/employer")
def signup_page(request: Request, user: OptionalUser):
    return SIGNUP_PAGE.show(request)


@router.post("/signup/employer")
def signup(request: Request, session: SessionDep, settings: SettingsDep, data: FormData):
    if accounts.confirms_by_mail(settings):
        # The address confirms the sign-up: the page says the same whether or not it has an account.
        return submit(request, session, OrganizationSignup, data,
                      lambda signup_data: service.request_registration(session, settings=settings, signup=signup_data,
                                                                       ip=client_ip(request)),
                      done=lambda _: signup_sent(request, data),
                      again=SIGNUP_PAGE)

    def signed_up(registered):
        _organization, owner = registered
        start_session(request, owner)
        return redirect(request, "/employer?welcome=1")

    return submit(request, session, OrganizationSignup, data,
                  lambda signup_data: service.register_organization(session, signup=signup_data),
                  done=signed_up, again=SIGNUP_PAGE)


# ---------------------------------------------------------------- the organisation and its team (its home: positions)


_PROFILE_FIELDS = ("name", "industry", "size", "district", "address", "description", "contact_name", "contact_phone",
                   "contact_email")


def _profile_page(session, user, *, saved: bool = False) -> FormPage:
    return FormPage("employers/profile.html", context=lambda errors: {
        "organization": service.organization_of(session, user), "membership": service.recruiter_of(session, user),
        "saved": saved,
    })


def _profile_values(organization) -> dict:
    return {name: getattr(organization, name) or "" for name in _PROFILE_FIELDS}


@router.get("/employer/organization")
def profile_page(request: Request, user: EmployerUser, session: SessionDep):
    return _profile_page(session, user).show(request, _profile_values(service.organization_of(session, user)))


@router.post("/employer/organization")
def profile_save(request: Request, user: EmployerUser, session: SessionDep, data: FormData):
    return submit(request, session, OrganizationUpdate, data,
                  lambda update: service.update_organization(session, user=user, update=update),
                  done=lambda organization: _profile_page(session, user, saved=True).show(
                      request, _profile_values(organization)),
                  again=_profile_page(session, user))


def _team_page(session, user, *, block: str | None = None, added=None) -> FormPage:
    """The team and its add form; `block` for the HTMX answers of the team's own forms."""
    return FormPage("employers/team.html", block=block, context=lambda errors: {
        "organization": service.organization_of(session, user),
        "membership": service.recruiter_of(session, user),
        "team": service.list_team(session, user=user),
        "added": added,
    })


@router.get("/employer/team")
def team_page(request: Request, user: EmployerUser, session: SessionDep):
    return _team_page(session, user).show(request)


@router.post("/employer/team")
def team_add(request: Request, user: EmployerUser, session: SessionDep, data: FormData):
    return submit(request, session, RecruiterCreate, data,
                  lambda recruiter: service.add_recruiter(session, user=user, recruiter=recruiter),
                  done=lambda added: _team_page(session, user, block="team", added=added).show(request),
                  again=_team_page(session, user, block="team"))


@router.post("/employer/team/{recruiter_id}/active")
def team_toggle(request: Request, recruiter_id: IdPath, user: EmployerUser, session: SessionDep, data: FormData):
    service.set_recruiter_active(session, user=user, recruiter_user_id=recruiter_id, active=data.get("active") == "1")
    if is_htmx(request):
        return _team_page(session, user, block="team").show(request)
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


def _organization_page(session, officer, organization_id: int, block: str | None = None) -> FormPage:
    """An organisation for officers, with its suspension form; `block` for a refused suspension sent by HTMX."""
    def context(errors) -> dict:
        organization = service.organization_for_officer(session, officer=officer, organization_id=organization_id)
        recent = session.exec(
            select(Position).where(Position.organization_id == organization.id)
            .order_by(Position.updated_at.desc(), Position.id.desc()).limit(30)
        ).all()
        return {
            "organization": organization, "positions": recent,
            "responsiveness": service.employer_responsiveness(session, organization.id),
            "history": service.decision_history(session, object_type="organization", object_id=organization.id),
            "team": [account for _, account in service.team_of(session, organization_id=organization.id)],
        }

    return FormPage("employers/officer_organization.html", block=block, context=context)


@router.get("/officer/organizations/{organization_id}")
def officer_organization(request: Request, organization_id: IdPath, user: OfficerUser, session: SessionDep):
    return _organization_page(session, user, organization_id).show(request)


def _after_decision(request: Request, session, organization):
    if is_htmx(request):
        return render(request, "employers/_organization_card.html", {"organization": organization, "errors": {}},
                      headers={"HX-Trigger": "organization-changed"})
    return redirect(request, f"/officer/organizations/{organization.id}")


@router.post("/officer/organizations/{organization_id}/verify")
def officer_verify(request: Request, organization_id: IdPath, user: OfficerUser, session: SessionDep,
                   settings: SettingsDep):
    organization = service.verify_organization(session, officer=user, organization_id=organization_id,
                                               ip=client_ip(request), settings=settings)
    return _after_decision(request, session, organization)


@router.post("/officer/organizations/{organization_id}/suspend")
def officer_suspend(request: Request, organization_id: IdPath, user: OfficerUser, session: SessionDep,
                    settings: SettingsDep, data: FormData):
    return submit(
        request, session, SuspendRequest, data,
        lambda decision: service.suspend_organization(session, officer=user, organization_id=organization_id,
                                                      reason=decision.reason, ip=client_ip(request), settings=settings),
        done=lambda organization: _after_decision(request, session, organization),
        again=_organization_page(session, user, organization_id, block="card"),
    )


@router.post("/officer/organizations/{organization_id}/reinstate")
def officer_reinstate(request: Request, organization_id: IdPath, user: OfficerUser, session: SessionDep,
                      settings: SettingsDep):
    organization = service.reinstate_organization(session, officer=user, organization_id=organization_id,
                                                  ip=client_ip(request), settings=settings)
    return _after_decision(request, session, organization)

