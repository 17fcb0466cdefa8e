"""The graduate's invitations: the list, one invitation with the matcher's reasons, accepting (applying) and
declining. Employers send them from the ranked candidates of a position (search/routes.py)."""

from fastapi import APIRouter, Request

from portal.deps import GraduateUser, IdPath, SessionDep, SettingsDep
from portal.invitations import service
from portal.web import redirect, render

router = APIRouter(tags=["pages: invitations"], include_in_schema=False)


@router.get("/me/invitations")
def my_invitations(request: Request, user: GraduateUser, session: SessionDep):
    return render(request, "invitations/list.html", {"rows": service.list_for_graduate(session, graduate=user)})


@router.get("/me/invitations/{invitation_id}")
def my_invitation(request: Request, invitation_id: IdPath, user: GraduateUser, session: SessionDep):
    invitation, position, organization = service.get_for_graduate(session, graduate=user, invitation_id=invitation_id)
    return render(request, "invitations/detail.html",
                  {"invitation": invitation, "position": position, "organization": organization})


@router.post("/me/invitations/{invitation_id}/accept")
def accept(request: Request, invitation_id: IdPath, user: GraduateUser, session: SessionDep,
           settings: SettingsDep):
    application = service.accept(session, settings=settings, graduate=user, invitation_id=invitation_id)
    return redirect(request, f"/me/applications/{application.id}")


@router.post("/me/invitations/{invitation_id}/decline")
def decline(request: Request, invitation_id: IdPath, user: GraduateUser, session: SessionDep,
            settings: SettingsDep):
    service.decline(session, settings=settings, graduate=user, invitation_id=invitation_id)
    return redirect(request, f"/me/invitations/{invitation_id}")
