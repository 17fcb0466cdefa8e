from fastapi import APIRouter, Request

from portal.accounts import service
from portal.accounts.schemas import Credentials, GraduateSignup, PasswordChange, TokenPublic, UserPublic
from portal.deps import CurrentUser, SessionDep, SettingsDep, client_ip
from portal.security import issue_api_token

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.post("/auth/token", response_model=TokenPublic)
def create_token(credentials: Credentials, request: Request, session: SessionDep, settings: SettingsDep):
    user = service.authenticate(
        session, settings=settings, email=credentials.email, password=credentials.password, ip=client_ip(request)
    )
    token = issue_api_token(settings.secret_key, user_id=user.id, session_epoch=user.session_epoch)
    return TokenPublic(access_token=token, expires_in=settings.session_max_age_seconds)


@router.post("/graduates", response_model=UserPublic, status_code=201)
def register_graduate(signup: GraduateSignup, session: SessionDep):
    return service.register_graduate(session, signup=signup)


@router.get("/me", response_model=UserPublic)
def read_me(user: CurrentUser):
    return user


@router.post("/me/password", status_code=204)
def change_password(change: PasswordChange, user: CurrentUser, session: SessionDep):
    service.change_password(session, user=user, current_password=change.current_password, new_password=change.new_password)
