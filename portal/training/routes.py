"""Training pages: finding and enrolling (graduates), running programmes (providers and officers), provider sign-up
and the officers' approval of providers."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from portal.accounts import service as accounts
from portal.accounts.models import Role, User
from portal.clock import today
from portal.deps import (
    GraduateUser,
    IdPath,
    OfficerUser,
    OptionalUser,
    SessionDep,
    SettingsDep,
    client_ip,
    require_role,
)
from portal.errors import NotFound
from portal.forms import FormData, FormPage, submit
from portal.reference import TIANJIN_DISTRICTS
from portal.training import service
from portal.training.models import (
    ProgrammeMode,
    ProgrammeStatus,
    ProviderStatus,
    SubsidyGroup,
)
from portal.training.schemas import (
    AttendanceRecord,
    PlanRequest,
    ProgrammeCreate,
    ProviderDecision,
    ProviderSignup,
    ResultRecord,
)
from portal.signin import signup_sent
from portal.web import redirect, render

router = APIRouter(tags=["pages: training"], include_in_schema=False)

ManagerUser = Annotated[User, require_role(Role.provider, Role.officer, Role.admin)]
ProviderUser = Annotated[User, require_role(Role.provider)]
PROVIDER_TABS = ("pending", "approved", "suspended")


def form_choices() -> dict:
    return {"modes": list(ProgrammeMode), "groups": list(SubsidyGroup), "districts": TIANJIN_DISTRICTS}


# ---------------------------------------------------------------- finding and enrolling


@router.get("/training")
def search_page(
    request: Request, user: OptionalUser, session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    skill: Annotated[str, Query(max_length=40)] = "",
    subsidised: Annotated[bool, Query()] = False,
    mode: Annotated[ProgrammeMode | None, Query()] = None,
    district: Annotated[str | None, Query(max_length=20)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
):
    district = district if district in TIANJIN_DISTRICTS else None
    results = service.search_programmes(session, q=q, skill=skill, subsidised_only=subsidised, mode=mode,
                                        district=district, page=page)
    query = {"q": q, "skill": skill, "subsidised": subsidised, "mode": mode or "", "district": district or ""}
    return render(request, "training/search.html", {"results": results, "query": query, **form_choices()},
                  block="results")


@router.get("/training/teaching")
def teaching(request: Request, user: OptionalUser, session: SessionDep,
             skill: Annotated[list[str] | None, Query(max_length=10)] = None):
    """Open programmes that teach the given skills, subsidised first: the recommendations load this under each
    position whose skills the graduate lacks."""
    found = service.programmes_teaching(session, skills=[s[:40] for s in skill or ()])
    views = list({view.programme.id: view for views in found.values() for view in views}.values())[:3]
    return render(request, "training/_teaching.html", {"views": views})


def programme_page(session, user: User | None, programme_id: int) -> FormPage:
    def context(errors):
        view = service.programme_view(session, user=user, programme_id=programme_id)
        enrolment = service.enrolment_of(session, graduate=user, programme_id=programme_id)
        claims = service.subsidy_claims(session, graduate_id=user.id) if enrolment else {}
        return {"view": view, "enrolment": enrolment, "claim": claims.get(programme_id),
                "manages": _manages(session, user, programme_id)}

    return FormPage("training/detail.html", context=context)


def _manages(session, user: User | None, programme_id: int) -> bool:
    if user is None or user.role not in (Role.provider, Role.officer, Role.admin):
        return False
    try:
        service.managed_programme(session, user=user, programme_id=programme_id)
    except NotFound:
        return False
    return True


@router.get("/training/{programme_id}")
def programme_detail(request: Request, programme_id: IdPath, user: OptionalUser, session: SessionDep):
    return programme_page(session, user, programme_id).show(request)


@router.post("/training/{programme_id}/enrol")
def enrol(request: Request, programme_id: IdPath, user: GraduateUser, session: SessionDep):
    service.enrol(session, graduate=user, programme_id=programme_id)
    return redirect(request, f"/training/{programme_id}?enrolled=1")


@router.post("/training/{programme_id}/plan")
def add_to_plan(request: Request, programme_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep,
                data: FormData):
    page = programme_page(session, user, programme_id)
    return submit(request, session, PlanRequest, data,
                  lambda plan: service.add_to_support_plan(session, settings=settings, officer=user,
                                                           programme_id=programme_id, graduate=plan.graduate),
                  done=lambda programme: page.again(request, {}, {"planned": plan_text(data)}, status_code=200),
                  again=page)


def plan_text(data: dict) -> str:
    return str(data.get("graduate", "")).strip()


@router.get("/me/training")
def my_training(request: Request, user: GraduateUser, session: SessionDep):
    return render(request, "training/mine.html", {"rows": service.my_enrolments(session, graduate=user),
                                                  "claims": service.subsidy_claims(session, graduate_id=user.id)})


@router.post("/me/training/{enrolment_id}/cancel")
def cancel_enrolment(request: Request, enrolment_id: IdPath, user: GraduateUser, session: SessionDep):
    service.cancel_enrolment(session, graduate=user, enrolment_id=enrolment_id)
    return redirect(request, "/me/training")


# ---------------------------------------------------------------- providers: sign-up and home

SIGNUP_PAGE = FormPage("training/signup.html", context=lambda errors: form_choices())


@router.get("/signup/provider")
def signup_page(request: Request, user: OptionalUser):
    return SIGNUP_PAGE.show(request)


@router.post("/signup/provider")
def signup(request: Request, session: SessionDep, settings: SettingsDep, data: FormData):
    if accounts.confirms_by_mail(settings):
        # The address confirms the sign-up: the page says the same whether or not it has an account.
        return submit(request, session, ProviderSignup, data,
                      lambda signup_data: service.request_registration(session, settings=settings, signup=signup_data,
                                                                       ip=client_ip(request)),
                      done=lambda _: signup_sent(request, data),
                      again=SIGNUP_PAGE)
    return submit(request, session, ProviderSignup, data,
                  lambda signup_data: service.register_provider(session, signup=signup_data),
                  done=lambda _registered: redirect(request, "/login?next=/provider"), again=SIGNUP_PAGE)


def manage_context(session, user: User) -> dict:
    provider = None if service.is_officer(user) else service.provider_of(session, user)
    return {"provider": provider, "views": service.managed_programmes(session, user=user)}


@router.get("/provider")
def provider_home(request: Request, user: ProviderUser, session: SessionDep):
    return render(request, "training/manage.html", manage_context(session, user))


@router.get("/officer/training")
def officer_training(request: Request, user: OfficerUser, session: SessionDep):
    context = manage_context(session, user)
    context["pending_providers"] = len(service.list_providers(session, officer=user, status=ProviderStatus.pending))
    return render(request, "training/manage.html", context)


# ---------------------------------------------------------------- running a programme


def programme_form(session, user: User, programme_id: int | None = None) -> FormPage:
    def context(errors):
        programme = service.managed_programme(session, user=user, programme_id=programme_id) if programme_id else None
        return {"programme": programme, **form_choices()}

    return FormPage("training/form.html", context=context)


def _values(programme) -> dict:
    values = programme.model_dump(include=set(ProgrammeCreate.model_fields))
    values["skills"] = "、".join(programme.skills)
    return values


@router.get("/training/manage/new")
def new_programme(request: Request, user: ManagerUser, session: SessionDep):
    return programme_form(session, user).again(request, {}, {"mode": "in_person", "seats": 30}, status_code=200)


@router.post("/training/manage")
def create_programme(request: Request, user: ManagerUser, session: SessionDep, data: FormData):
    return submit(request, session, ProgrammeCreate, data,
                  lambda programme: service.create_programme(session, user=user, programme=programme),
                  done=lambda row: redirect(request, f"/training/manage/{row.id}"), again=programme_form(session, user))


@router.get("/training/manage/{programme_id}/edit")
def edit_programme(request: Request, programme_id: IdPath, user: ManagerUser, session: SessionDep):
    programme = service.managed_programme(session, user=user, programme_id=programme_id)
    return programme_form(session, user, programme_id).again(request, {}, _values(programme), status_code=200)


@router.post("/training/manage/{programme_id}")
def update_programme(request: Request, programme_id: IdPath, user: ManagerUser, session: SessionDep, data: FormData):
    return submit(request, session, ProgrammeCreate, data,
                  lambda programme: service.update_programme(session, user=user, programme_id=programme_id,
                                                             programme=programme),
                  done=lambda row: redirect(request, f"/training/manage/{row.id}"),
                  again=programme_form(session, user, programme_id))


@router.post("/training/manage/{programme_id}/status/{status}")
def change_status(request: Request, programme_id: IdPath, status: ProgrammeStatus, user: ManagerUser,
                  session: SessionDep, settings: SettingsDep):
    service.set_programme_status(session, settings=settings, user=user, programme_id=programme_id, status=status)
    return redirect(request, f"/training/manage/{programme_id}")


def roster_page(session, user: User, programme_id: int) -> FormPage:
    def context(errors):
        programme = service.managed_programme(session, user=user, programme_id=programme_id)
        return {"view": service.programme_view(session, user=user, programme_id=programme_id),
                "trainees": service.roster(session, user=user, programme_id=programme.id),
                "dates": service.session_dates(session, programme_id=programme.id)}

    return FormPage("training/roster.html", block="roster", context=context)


@router.get("/training/manage/{programme_id}")
def programme_roster(request: Request, programme_id: IdPath, user: ManagerUser, session: SessionDep):
    return roster_page(session, user, programme_id).again(request, {}, {"session_on": today().isoformat()},
                                                          status_code=200)


@router.post("/training/manage/{programme_id}/attendance")
def attendance(request: Request, programme_id: IdPath, user: ManagerUser, session: SessionDep, data: FormData):
    page = roster_page(session, user, programme_id)
    return submit(request, session, AttendanceRecord, data,
                  lambda record: service.record_attendance(session, user=user, programme_id=programme_id,
                                                           session_on=record.session_on, present=record.present),
                  done=lambda count: page.again(request, {}, {"session_on": data.get("session_on"), "saved": count},
                                                status_code=200),
                  again=page)


@router.post("/training/manage/{programme_id}/results/{enrolment_id}")
def result(request: Request, programme_id: IdPath, enrolment_id: IdPath, user: ManagerUser, session: SessionDep,
           settings: SettingsDep, data: FormData):
    page = roster_page(session, user, programme_id)
    return submit(request, session, ResultRecord, data,
                  lambda record: service.record_result(session, settings=settings, user=user, enrolment_id=enrolment_id,
                                                       completed=record.completed,
                                                       certificate_number=record.certificate_number),
                  done=lambda enrolment: page.show(request),
                  again=FormPage(page.template, page.block, lambda errors: {**page.context(errors),
                                                                             "failed_enrolment": enrolment_id}))


# ---------------------------------------------------------------- officers: providers


def providers_page(session, officer: User, status: str) -> FormPage:
    return FormPage("training/providers.html", block="providers", context=lambda errors: {
        "providers": service.list_providers(session, officer=officer, status=status), "status": status,
        "tabs": PROVIDER_TABS})


@router.get("/officer/training/providers")
def providers(request: Request, user: OfficerUser, session: SessionDep,
              status: Annotated[str, Query(pattern="^(pending|approved|suspended)$")] = "pending"):
    return providers_page(session, user, status).show(request)


@router.post("/officer/training/providers/{provider_id}/decision")
def decide_provider(request: Request, provider_id: IdPath, user: OfficerUser, session: SessionDep,
                    settings: SettingsDep, data: FormData):
    provider = service.provider_for_officer(session, officer=user, provider_id=provider_id)
    return submit(request, session, ProviderDecision, data,
                  lambda decision: service.decide_provider(session, settings=settings, officer=user,
                                                           provider_id=provider_id, approve=decision.approve,
                                                           note=decision.note, seen_status=decision.seen_status),
                  done=lambda row: redirect(request, f"/officer/training/providers?status={row.status}"),
                  again=FormPage("training/providers.html", block="providers", context=lambda errors: {
                      "providers": [provider], "status": provider.status, "tabs": PROVIDER_TABS,
                      "failed_provider": provider.id}))
