from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from portal.accounts import service
from portal.accounts.models import SignInKind
from portal.accounts.schemas import (
    SIGNUP_REQUESTED, ApiTokenPublic, GraduateSignup, PasswordChange, SignupRequested, TokenPublic, TokenRequest,
    UserPublic,
)
from portal.deps import CurrentUser, SessionDep, SettingsDep, client_ip

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.post("/auth/token", response_model=TokenPublic)
def create_token(credentials: TokenRequest, request: Request, session: SessionDep, settings: SettingsDep):
    ip = client_ip(request)
    user = service.authenticate(session, settings=settings, email=credentials.email, password=credentials.password, ip=ip)
    token = service.open_session(session, settings=settings, user=user, kind=SignInKind.api, ip=ip,
                                 name=credentials.name)
    return TokenPublic(access_token=token, expires_in=settings.session_max_age_seconds)


@router.get("/me/tokens", response_model=list[ApiTokenPublic])
def list_tokens(user: CurrentUser, session: SessionDep):
    return service.api_tokens(session, user=user)


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke_token(token_id: int, user: CurrentUser, session: SessionDep):
    service.revoke_api_token(session, user=user, token_id=token_id)


@router.post("/graduates", response_model=UserPublic, status_code=201,
             responses=SIGNUP_REQUESTED)
def register_graduate(signup: GraduateSignup, request: Request, session: SessionDep, settings: SettingsDep):
    if service.confirms_by_mail(settings):
        service.request_graduate_signup(session, settings=settings, signup=signup, ip=client_ip(request))
        return JSONResponse(SignupRequested(email=signup.email).model_dump(), status_code=202)
    return service.register_graduate(session, signup=signup, settings=settings, ip=client_ip(request))


@router.get("/me", response_model=UserPublic)
def read_me(user: CurrentUser):
    return user


@router.post("/me/password", status_code=204)
def change_password(change: PasswordChange, user: CurrentUser, session: SessionDep):
    service.change_password(session, user=user, current_password=change.current_password, new_password=change.new_password)
