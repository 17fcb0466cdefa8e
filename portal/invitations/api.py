"""JSON API for a graduate's invitations to apply: the same service functions as the pages."""

from fastapi import APIRouter

from portal.applications import service as applications
from portal.applications.schemas import ApplicationPublic, application_public
from portal.deps import GraduateUser, IdPath, SessionDep, SettingsDep
from portal.invitations import service
from portal.invitations.schemas import InvitationPublic

router = APIRouter(prefix="/api/v1", tags=["invitations"])


def public(invitation, position, organization) -> InvitationPublic:
    return InvitationPublic(
        id=invitation.id, position_id=position.id, position_title=position.title, organization_name=organization.name,
        message=invitation.message, fit=invitation.fit, reasons=invitation.reasons, status=invitation.status,
        application_id=invitation.application_id, created_at=invitation.created_at,
        responded_at=invitation.responded_at,
    )


@router.get("/me/invitations", response_model=list[InvitationPublic])
def my_invitations(user: GraduateUser, session: SessionDep):
    """The graduate's invitations, waiting ones first, with the matcher's reasons."""
    return [public(*row) for row in service.list_for_graduate(session, graduate=user)]


@router.post("/me/invitations/{invitation_id}/accept", response_model=ApplicationPublic)
def accept(invitation_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    """Accepting applies to the position with the résumé as it is now."""
    application = service.accept(session, settings=settings, graduate=user, invitation_id=invitation_id)
    view = applications.get_for_graduate(session, user=user, application_id=application.id)
    return application_public(view, applications.events_of(session, application.id))


@router.post("/me/invitations/{invitation_id}/decline", response_model=InvitationPublic)
def decline(invitation_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.decline(session, settings=settings, graduate=user, invitation_id=invitation_id)
    return public(*service.get_for_graduate(session, graduate=user, invitation_id=invitation_id))
