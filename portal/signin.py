"""Signing a browser in: the server-side session a sign-in opens, and where the user lands. Used by every page that
signs someone in (password, single sign-on, an employer's or a graduate's sign-up)."""
from fastapi import Request
from sqlalchemy.orm import object_session

from portal.accounts import service as accounts
from portal.accounts.models import Role, SignInKind, User
from portal.deps import SESSION_KEY, client_ip
from portal.web import render

HOME_BY_ROLE = {Role.graduate: "/me", Role.employer: "/employer", Role.officer: "/officer", Role.admin: "/officer",
                Role.provider: "/provider", Role.counsellor: "/guidance/adviser", Role.judge: "/judging"}


def signup_sent(request: Request, data: dict):
    """What every sign-up that waits for its address answers, whether or not the address has an account."""
    return render(request, "accounts/signup_sent.html", {"email": data.get("email", "")})


def start_session(request: Request, user: User) -> None:
    """Signs the browser in as `user`: a new server-side session, whose token the signed cookie carries."""
    token = accounts.open_session(object_session(user), settings=request.app.state.settings, user=user,
                                  kind=SignInKind.browser, ip=client_ip(request))
    request.session.clear()
    request.session[SESSION_KEY] = token


def safe_next(next_url: str | None, user: User) -> str:
    # "//host" and "/\\host" are both read by browsers as another site.
    if next_url and next_url.startswith("/") and not next_url.startswith(("//", "/\\")):
        return next_url
    return HOME_BY_ROLE[Role(user.role)]
