"""The enrolment API: the same services as the pages."""
from fastapi import APIRouter, Request, Response

from portal.deps import GraduateUser, OfficerUser, SessionDep, SettingsDep, client_ip
from portal.enrolment import service
from portal.enrolment.schemas import ChangeDecision, EnrolmentChangeCreate, EnrolmentChangePublic, EnrolmentPublic

router = APIRouter(prefix="/api/v1", tags=["enrolment"])


def _change(change) -> EnrolmentChangePublic | None:
    return EnrolmentChangePublic.model_validate(change, from_attributes=True) if change else None


@router.get("/me/enrolment", response_model=EnrolmentPublic)
def my_enrolment(user: GraduateUser, session: SessionDep):
    """The enrolment on record, who vouched for it, and the change waiting for the school, if any."""
    profile = service.profile_of(session, user.id)
    return EnrolmentPublic(**profile.model_dump(include=set(service.FIELDS)), source=service.source_of(session, user.id),
                           pending=_change(service.pending_change(session, user.id)))


@router.post("/me/enrolment/changes", response_model=EnrolmentChangePublic, status_code=201,
             responses={204: {"description": "The request asks for what is on record; nothing waits."}})
def request_change(body: EnrolmentChangeCreate, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    change = service.request_change(session, settings=settings, user=user, change=body)
    return _change(change) if change else Response(status_code=204)


@router.get("/officer/enrolment/changes", response_model=list[EnrolmentChangePublic])
def changes_to_decide(user: OfficerUser, session: SessionDep):
    return [_change(change) for change, _, _ in service.changes_to_decide(session, officer=user)]


@router.post("/officer/enrolment/changes/{change_id}/decision", response_model=EnrolmentChangePublic)
def decide(change_id: int, body: ChangeDecision, request: Request, user: OfficerUser, session: SessionDep,
           settings: SettingsDep):
    return _change(service.decide(session, settings=settings, officer=user, change_id=change_id, approve=body.approve,
                                  note=body.note, ip=client_ip(request)))
