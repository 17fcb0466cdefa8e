"""What routes depend on: settings, a database session, the current user, the search backend."""
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from portal.accounts.models import Role, User
from portal.errors import Forbidden, NotAuthenticated
from portal.security import read_api_token
from portal.settings import Settings
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


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token else None


def get_optional_user(request: Request, session: SessionDep, settings: SettingsDep) -> User | None:
    token = bearer_token(request)
    if token:
        claims = read_api_token(settings.secret_key, token, settings.session_max_age_seconds)
        if claims is None:
            raise NotAuthenticated("Your sign-in token is invalid or has expired.")
        user_id, epoch = claims["uid"], claims["ep"]
    else:
        user_id, epoch = request.session.get("uid"), request.session.get("ep")
        if user_id is None:
            return None
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.session_epoch != epoch:
        request.session.pop("uid", None)
        return None
    request.state.user = user
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
