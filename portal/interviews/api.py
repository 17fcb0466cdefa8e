"""JSON API for video interviews: the same services as the pages."""
from fastapi import APIRouter

from portal.deps import CurrentUser, EmployerUser, SessionDep, SettingsDep
from portal.interviews import service
from portal.interviews.schemas import (
    InterviewPublic,
    SlotChoice,
    SlotProposal,
    SlotPublic,
)

router = APIRouter(prefix="/api/v1", tags=["interviews"])


def public(view: service.InterviewView) -> InterviewPublic:
    interview = view.interview
    return InterviewPublic(
        id=interview.id, application_id=interview.application_id, status=interview.status,
        starts_at=interview.starts_at, duration_minutes=interview.duration_minutes, note=interview.note,
        cancel_reason=interview.cancel_reason, outcome=interview.outcome,
        position_title=view.application.position.title, organization_name=view.application.organization.name,
        graduate_name=view.application.graduate.display_name, interviewer_name=view.interviewer.display_name,
        slots=[SlotPublic(id=slot.id, starts_at=slot.starts_at) for slot in view.slots],
    )


@router.get("/interviews", response_model=list[InterviewPublic])
def list_interviews(user: CurrentUser, session: SessionDep):
    """The user's interviews, open ones first."""
    return [public(view) for view in service.list_for(session, user=user)]


@router.get("/interviews/{interview_id}", response_model=InterviewPublic)
def get_interview(interview_id: int, user: CurrentUser, session: SessionDep):
    return public(service.get(session, user=user, interview_id=interview_id))


@router.post("/applications/{application_id}/interviews", response_model=InterviewPublic, status_code=201)
def propose_interview(application_id: int, proposal: SlotProposal, user: EmployerUser, session: SessionDep,
                      settings: SettingsDep):
    """Offers the graduate up to five times (ISO 8601 with an offset; without one, Tianjin time)."""
    interview = service.propose(session, settings=settings, user=user, application_id=application_id,
                                slots=proposal.slots, duration_minutes=proposal.duration_minutes, note=proposal.note)
    return public(service.get(session, user=user, interview_id=interview.id))


@router.post("/interviews/{interview_id}/choice", response_model=InterviewPublic)
def choose_slot(interview_id: int, choice: SlotChoice, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    service.choose(session, settings=settings, user=user, interview_id=interview_id, slot_id=choice.slot_id)
    return public(service.get(session, user=user, interview_id=interview_id))
