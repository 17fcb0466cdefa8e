"""The page an invited counsellor or judge opens from their invitation: choose a password, and be signed in."""
from typing import Annotated

from fastapi import APIRouter, Path, Request

from portal.accounts import service
from portal.accounts.models import User
from portal.accounts.schemas import NewPassword
from portal.deps import OptionalUser, SessionDep
from portal.forms import FormData, FormPage, submit
from portal.signin import safe_next, start_session
from portal.web import redirect

router = APIRouter(tags=["pages: invitations"], include_in_schema=False)

Token = Annotated[str, Path(min_length=16, max_length=100)]


def _page(session, token: str) -> FormPage:
    return FormPage("accounts/invitation.html",
                    context=lambda errors: {"invited": service.open_invitation(session, token=token)[1], "token": token})


@router.get("/invitation/{token}")
def invitation_page(request: Request, token: Token, user: OptionalUser, session: SessionDep):
    return _page(session, token).show(request)


@router.post("/invitation/{token}")
def accept_invitation(request: Request, token: Token, session: SessionDep, data: FormData):
    def signed_in(invited: User):
        start_session(request, invited)
        return redirect(request, safe_next(None, invited))

    return submit(request, session, NewPassword, data,
                  lambda chosen: service.accept_invitation(session, token=token, password=chosen.password),
                  done=signed_in, again=_page(session, token))
