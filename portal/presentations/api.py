"""JSON API for online presentations: the same services as the pages."""
from typing import Annotated

from fastapi import APIRouter, Query

from portal.deps import GraduateUser, OptionalUser, SessionDep, SettingsDep
from portal.presentations import service
from portal.presentations.schemas import PresentationPublic, QuestionPublic

router = APIRouter(prefix="/api/v1", tags=["presentations"])


def public(session, view: service.PresentationView, user) -> PresentationPublic:
    p = view.presentation
    return PresentationPublic(
        id=p.id, organization_id=p.organization_id, organization_name=view.organization.name, topic=p.topic,
        description=p.description, starts_at=p.starts_at, duration_minutes=p.duration_minutes,
        position_ids=p.position_ids, status=p.status, streamed=bool(p.stream_url),
        registered=service.registration_of(session, user=user, presentation_id=p.id) is not None,
    )


@router.get("/presentations", response_model=list[PresentationPublic])
def list_presentations(user: OptionalUser, session: SessionDep, q: Annotated[str | None, Query(max_length=100)] = None):
    """Approved presentations not over yet, soonest first."""
    return [public(session, view, user) for view in service.upcoming(session, q=q)]


@router.get("/presentations/{presentation_id}", response_model=PresentationPublic)
def get_presentation(presentation_id: int, user: OptionalUser, session: SessionDep):
    return public(session, service.get(session, user=user, presentation_id=presentation_id), user)


@router.post("/presentations/{presentation_id}/registration", response_model=PresentationPublic, status_code=201)
def register(presentation_id: int, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.register(session, settings=settings, user=user, presentation_id=presentation_id)
    return public(session, service.get(session, user=user, presentation_id=presentation_id), user)


@router.get("/presentations/{presentation_id}/questions", response_model=list[QuestionPublic])
def list_questions(presentation_id: int, user: GraduateUser, session: SessionDep):
    """The Q&A so far, for registered graduates (pinned first)."""
    service.enter(session, user=user, presentation_id=presentation_id)
    return [QuestionPublic.model_validate(q, from_attributes=True)
            for q in service.questions(session, presentation_id=presentation_id)]
