"""Sign-in, sign-up, sign-out, password change and the language switch."""
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse

from portal.accounts import service
from portal.accounts.models import Role, User
from portal.accounts.schemas import Credentials, GraduateSignup, PasswordChange
from portal.deps import SESSION_KEY, CurrentUser, OptionalUser, SessionDep, SettingsDep, client_ip
from portal.forms import FormData, FormPage, submit
from portal.i18n import LOCALES
from portal.signin import HOME_BY_ROLE, safe_next, signup_sent, start_session
from portal.web import redirect, render

router = APIRouter(tags=["pages: accounts"], include_in_schema=False)

@router.get("/")
def home(request: Request, user: OptionalUser):
    if user:
        return RedirectResponse(HOME_BY_ROLE[Role(user.role)], status_code=303)
    return render(request, "accounts/landing.html")


def _login_page(next_url: str | None) -> FormPage:
    """The sign-in form, which goes on to `next_url` (kept in a hidden field)."""
    return FormPage("accounts/login.html", context=lambda errors: {"next": next_url})


@router.get("/login")
def login_page(request: Request, user: OptionalUser, next: Annotated[str | None, Query(max_length=300)] = None):
    return _login_page(next).show(request)


@router.post("/login")
def login(request: Request, session: SessionDep, settings: SettingsDep, data: FormData):
    next_url = data.pop("next", None)

    def signed_in(user: User):
        start_session(request, user)
        return redirect(request, safe_next(next_url, user))

    return submit(
        request, session, Credentials, data,
        lambda credentials: service.authenticate(session, settings=settings, email=credentials.email,
                                                 password=credentials.password, ip=client_ip(request)),
        done=signed_in, again=_login_page(next_url),
    )


@router.post("/logout")
def logout(request: Request, session: SessionDep):
    token = request.session.get(SESSION_KEY)
    if token:
        service.close_session(session, token=token)
    request.session.clear()
    return redirect(request, "/")


@router.get("/signup")
def signup_choice(request: Request, user: OptionalUser):
    return render(request, "accounts/signup_choice.html")


GRADUATE_SIGNUP_PAGE = FormPage("accounts/signup_graduate.html")


@router.get("/signup/graduate")
def graduate_signup_page(request: Request, user: OptionalUser):
    return GRADUATE_SIGNUP_PAGE.show(request)


@router.post("/signup/graduate")
def graduate_signup(request: Request, session: SessionDep, settings: SettingsDep, data: FormData):
    if service.confirms_by_mail(settings):
        # The address confirms the sign-up: the page says the same whether or not it has an account.
        return submit(request, session, GraduateSignup, data,
                      lambda signup: service.request_graduate_signup(session, settings=settings, signup=signup,
                                                                     ip=client_ip(request)),
                      done=lambda _: signup_sent(request, data), again=GRADUATE_SIGNUP_PAGE)

    def signed_up(user: User):
        start_session(request, user)
        return redirect(request, "/me/resume")

    return submit(request, session, GraduateSignup, data,
                  lambda signup: service.register_graduate(session, signup=signup, settings=settings,
                                                           ip=client_ip(request)),
                  done=signed_up, again=GRADUATE_SIGNUP_PAGE)


# Where a newly confirmed account starts (its home otherwise).
FIRST_PAGE = {Role.graduate: "/me/resume", Role.employer: "/employer?welcome=1"}


SignupToken = Annotated[str, Path(max_length=100)]
CONFIRM_PAGE = "accounts/signup_confirm.html"


# The link in the sign-up email opens a page that changes nothing (mail scanners open links before people do);
# its button confirms. A link that can no longer be used says so, and what to do.
@router.get("/signup/confirm/{token}")
def confirm_signup_page(request: Request, token: SignupToken, user: OptionalUser, session: SessionDep):
    pending = service.signup_link(session, token=token)
    return render(request, CONFIRM_PAGE, {"pending": pending, "token": token},
                  status_code=200 if pending else 404, headers={"Cache-Control": "no-store"})


@router.post("/signup/confirm/{token}")
def confirm_signup(request: Request, token: SignupToken, user: OptionalUser, session: SessionDep):
    """Makes the account (the link works once) and signs the browser in to it."""
    made = service.confirm_signup(session, token=token)
    if made is None:
        return render(request, CONFIRM_PAGE, {"pending": None, "token": token}, status_code=404)
    start_session(request, made)
    return redirect(request, FIRST_PAGE.get(Role(made.role), HOME_BY_ROLE[Role(made.role)]))


def _password_page(done: bool = False) -> FormPage:
    """The password form; `done` once the password is changed."""
    return FormPage("accounts/password.html", context=lambda errors: {"done": done})


@router.get("/account/password")
def password_page(request: Request, user: CurrentUser):
    return _password_page().show(request)


@router.post("/account/password")
def password_change(request: Request, user: CurrentUser, session: SessionDep, data: FormData):
    def changed(user: User):
        start_session(request, user)
        return _password_page(done=True).show(request)

    return submit(
        request, session, PasswordChange, data,
        lambda change: service.change_password(session, user=user, current_password=change.current_password,
                                               new_password=change.new_password),
        done=changed, again=_password_page(),
    )


@router.get("/account/tokens")
def tokens_page(request: Request, user: CurrentUser, session: SessionDep):
    return render(request, "accounts/tokens.html", {"tokens": service.api_tokens(session, user=user)})


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: int, user: CurrentUser, session: SessionDep):
    service.revoke_api_token(session, user=user, token_id=token_id)
    return redirect(request, "/account/tokens")


@router.post("/lang/{locale}")
def switch_language(request: Request, locale: str):
    response = redirect(request, request.headers.get("Referer") or "/")
    if locale in LOCALES:
        response.set_cookie("lang", locale, max_age=365 * 24 * 3600, httponly=True, samesite="lax",
                            secure=request.app.state.settings.secure_cookies)
    return response


from portal.accounts.oidc_routes import router as _sso_router; router.include_router(_sso_router)  # noqa: E402,E702
from portal.accounts.staff_routes import router as _staff_router; router.include_router(_staff_router)  # noqa: E402,E702
from portal.accounts.invitation_routes import router as _invitation_router; router.include_router(_invitation_router)  # noqa: E402,E702
