"""Sign-in, sign-up, sign-out, password change and the language switch."""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from portal.accounts import service
from portal.accounts.models import Role, User
from portal.accounts.schemas import Credentials, GraduateSignup, PasswordChange
from portal.deps import CurrentUser, OptionalUser, SessionDep, SettingsDep, client_ip
from portal.errors import ServiceError
from portal.i18n import LOCALES, gettext
from portal.web import field_errors, form_dict, parse_form, redirect, render

router = APIRouter(tags=["pages: accounts"], include_in_schema=False)

HOME_BY_ROLE = {Role.graduate: "/me", Role.employer: "/employer", Role.officer: "/officer", Role.admin: "/officer",
                Role.provider: "/provider"}


def start_session(request: Request, user: User) -> None:
    request.session.clear()
    request.session.update({"uid": user.id, "ep": user.session_epoch})


def safe_next(next_url: str | None, user: User) -> str:
    # "//host" and "/\\host" are both read by browsers as another site.
    if next_url and next_url.startswith("/") and not next_url.startswith(("//", "/\\")):
        return next_url
    return HOME_BY_ROLE[Role(user.role)]


@router.get("/")
def home(request: Request, user: OptionalUser):
    if user:
        return RedirectResponse(HOME_BY_ROLE[Role(user.role)], status_code=303)
    return render(request, "accounts/landing.html")


@router.get("/login")
def login_page(request: Request, user: OptionalUser, next: Annotated[str | None, Query(max_length=300)] = None):
    return render(request, "accounts/login.html", {"next": next, "errors": {}, "values": {}})


@router.post("/login")
async def login(request: Request, session: SessionDep, settings: SettingsDep):
    data = await form_dict(request)
    next_url = data.pop("next", None)
    credentials, errors = parse_form(Credentials, data)
    if credentials:
        try:
            user = service.authenticate(
                session, settings=settings, email=credentials.email, password=credentials.password, ip=client_ip(request)
            )
        except ServiceError as error:
            errors = {"__all__": gettext(error.message, **error.params)}
            status = error.status_code
        else:
            start_session(request, user)
            return redirect(request, safe_next(next_url, user))
    else:
        status = 422
    return render(
        request, "accounts/login.html", {"next": next_url, "errors": errors, "values": data}, status_code=status
    )


@router.post("/logout")
def logout(request: Request):
    request.session.clear()
    return redirect(request, "/")


@router.get("/signup")
def signup_choice(request: Request, user: OptionalUser):
    return render(request, "accounts/signup_choice.html")


@router.get("/signup/graduate")
def graduate_signup_page(request: Request, user: OptionalUser):
    return render(request, "accounts/signup_graduate.html", {"errors": {}, "values": {}})


@router.post("/signup/graduate")
async def graduate_signup(request: Request, session: SessionDep):
    data = await form_dict(request)
    signup, errors = parse_form(GraduateSignup, data)
    if signup:
        try:
            user = service.register_graduate(session, signup=signup)
        except ServiceError as error:
            errors = field_errors(error)
        else:
            start_session(request, user)
            return redirect(request, "/me/resume")
    return render(request, "accounts/signup_graduate.html", {"errors": errors, "values": data}, status_code=422)


@router.get("/account/password")
def password_page(request: Request, user: CurrentUser):
    return render(request, "accounts/password.html", {"errors": {}, "done": False})


@router.post("/account/password")
async def password_change(request: Request, user: CurrentUser, session: SessionDep):
    change, errors = parse_form(PasswordChange, await form_dict(request))
    if change:
        try:
            user = service.change_password(
                session, user=user, current_password=change.current_password, new_password=change.new_password
            )
        except ServiceError as error:
            errors = field_errors(error)
        else:
            start_session(request, user)
            return render(request, "accounts/password.html", {"errors": {}, "done": True})
    return render(request, "accounts/password.html", {"errors": errors, "done": False}, status_code=422)


@router.post("/lang/{locale}")
def switch_language(request: Request, locale: str):
    response = redirect(request, request.headers.get("Referer") or "/")
    if locale in LOCALES:
        response.set_cookie("lang", locale, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


from portal.accounts.oidc_routes import router as _sso_router; router.include_router(_sso_router)  # noqa: E402,E702
