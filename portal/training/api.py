"""JSON API for training: the same services as the pages."""
from typing import Annotated

from fastapi import APIRouter, Query

from portal.accounts.models import Role, User
from portal.deps import (
    GraduateUser,
    IdPath,
    OfficerUser,
    OptionalUser,
    SessionDep,
    SettingsDep,
    require_role,
)
from portal.training import service
from portal.training.models import ProgrammeMode, TrainingEnrolment
from portal.training.schemas import (
    EnrolmentPublic,
    ProgrammeCreate,
    ProgrammePage,
    ProgrammePublic,
    ProviderDecision,
    ProviderPublic,
    ResultRecord,
    TraineePublic,
)

router = APIRouter(prefix="/api/v1", tags=["training"])

ManagerUser = Annotated[User, require_role(Role.provider, Role.officer, Role.admin)]


def public(view: service.ProgrammeView) -> ProgrammePublic:
    return ProgrammePublic.model_validate(
        {**view.programme.model_dump(), "provider_name": view.provider_name, "seats_left": view.seats_left})


def enrolment_public(session, enrolment: TrainingEnrolment) -> EnrolmentPublic:
    programme = service.get_programme(session, enrolment.programme_id)
    return EnrolmentPublic.model_validate({**enrolment.model_dump(), "programme_title": programme.title})


@router.get("/training/programmes", response_model=ProgrammePage)
def search_programmes(
    session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    skill: Annotated[str, Query(max_length=40)] = "",
    subsidised: bool = False,
    mode: ProgrammeMode | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
):
    """Programmes open for enrolment; `skill` finds those that teach it."""
    result = service.search_programmes(session, q=q, skill=skill, subsidised_only=subsidised, mode=mode, page=page)
    return ProgrammePage(items=[public(v) for v in result.items], total=result.total, page=result.page,
                         pages=result.pages)


@router.get("/training/programmes/{programme_id}", response_model=ProgrammePublic)
def read_programme(programme_id: IdPath, user: OptionalUser, session: SessionDep):
    return public(service.programme_view(session, user=user, programme_id=programme_id))


@router.post("/training/programmes", response_model=ProgrammePublic, status_code=201)
def create_programme(programme: ProgrammeCreate, user: ManagerUser, session: SessionDep):
    """A draft programme of the provider's organisation (or of the city, for officers)."""
    row = service.create_programme(session, user=user, programme=programme)
    return public(service.programme_view(session, user=user, programme_id=row.id))


@router.put("/training/programmes/{programme_id}", response_model=ProgrammePublic)
def update_programme(programme_id: IdPath, programme: ProgrammeCreate, user: ManagerUser, session: SessionDep):
    service.update_programme(session, user=user, programme_id=programme_id, programme=programme)
    return public(service.programme_view(session, user=user, programme_id=programme_id))


@router.post("/training/programmes/{programme_id}/enrolments", response_model=EnrolmentPublic, status_code=201)
def enrol(programme_id: IdPath, user: GraduateUser, session: SessionDep):
    return enrolment_public(session, service.enrol(session, graduate=user, programme_id=programme_id))


@router.get("/me/training", response_model=list[EnrolmentPublic])
def my_training(user: GraduateUser, session: SessionDep):
    return [enrolment_public(session, enrolment) for enrolment, _ in service.my_enrolments(session, graduate=user)]


@router.get("/training/programmes/{programme_id}/trainees", response_model=list[TraineePublic])
def trainees(programme_id: IdPath, user: ManagerUser, session: SessionDep):
    return [
        TraineePublic(enrolment_id=t.enrolment.id, name=t.user.display_name, school=t.profile.school if t.profile else "",
                      major=t.profile.major if t.profile else "", phone=t.profile.phone if t.profile else None,
                      status=t.enrolment.status, sessions_attended=t.sessions_attended,
                      certificate_number=t.enrolment.certificate_number)
        for t in service.roster(session, user=user, programme_id=programme_id)
    ]


@router.post("/training/enrolments/{enrolment_id}/result", response_model=EnrolmentPublic)
def record_result(enrolment_id: IdPath, result: ResultRecord, user: ManagerUser, session: SessionDep,
                  settings: SettingsDep):
    enrolment = service.record_result(session, settings=settings, user=user, enrolment_id=enrolment_id,
                                      completed=result.completed, certificate_number=result.certificate_number)
    return enrolment_public(session, enrolment)


@router.get("/training/providers", response_model=list[ProviderPublic])
def list_providers(user: OfficerUser, session: SessionDep,
                   status: Annotated[str | None, Query(pattern="^(pending|approved|suspended)$")] = None):
    """Providers in the officer's districts."""
    return [ProviderPublic.model_validate(p, from_attributes=True)
            for p in service.list_providers(session, officer=user, status=status)]


@router.post("/training/providers/{provider_id}/decision", response_model=ProviderPublic)
def decide_provider(provider_id: IdPath, decision: ProviderDecision, user: OfficerUser, session: SessionDep,
                    settings: SettingsDep):
    provider = service.decide_provider(session, settings=settings, officer=user, provider_id=provider_id,
                                       approve=decision.approve, note=decision.note, seen_status=decision.seen_status)
    return ProviderPublic.model_validate(provider, from_attributes=True)
