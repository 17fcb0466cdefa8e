"""What routes depend on: settings, a database session, the current user, the search backend."""
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlmodel import Session

from portal.accounts import service as accounts
from portal.accounts.models import Role, SignInKind, User
from portal.errors import Forbidden, NotAuthenticated
from portal.settings import Settings
from portal.validation import MAX_ROW_ID
from search.backend import SearchBackend


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_search(request: Request) -> SearchBackend:
    return request.app.state.search


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
SearchDep = Annotated[SearchBackend, Depends(get_search)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token else None


SESSION_KEY = "sid"


def get_optional_user(request: Request, session: SessionDep, settings: SettingsDep) -> User | None:
    """Who sent the request: a live API token (Bearer), else the browser's live session, else nobody."""
    token = bearer_token(request)
    if token:
        user = accounts.user_for_token(session, token=token, kind=SignInKind.api)
        if user is None:
            raise NotAuthenticated("Your sign-in token is invalid or has expired.")
    else:
        session_token = request.session.get(SESSION_KEY)
        user = accounts.user_for_token(session, token=session_token, kind=SignInKind.browser) if session_token else None
        if user is None:
            request.session.pop(SESSION_KEY, None)
    request.state.user = user
    # Ends the look-up's transaction: the connection goes back to the pool while the request waits for a thread
    # to run its route, instead of being held through that wait (which, under a burst, starved the pool).
    session.commit()
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> User:
    if user is None:
        raise NotAuthenticated("Please sign in first.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(*roles: Role):
    def dependency(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden("This page is not available to your account.")
        return user

    return Depends(dependency)


GraduateUser = Annotated[User, require_role(Role.graduate)]
EmployerUser = Annotated[User, require_role(Role.employer)]
OfficerUser = Annotated[User, require_role(Role.officer, Role.admin)]
AdminUser = Annotated[User, require_role(Role.admin)]


def client_ip(request: Request) -> str:
    # uvicorn's proxy_headers already resolves X-Forwarded-For, and only from trusted proxies.
    return request.client.host if request.client else ""
