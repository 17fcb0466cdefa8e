"""Single sign-on pages: start a sign-in (or a link), the provider's callback, sign-up after SSO, linked identities."""
import time
from typing import Annotated

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from joserfc.errors import JoseError
from starlette.concurrency import run_in_threadpool

from portal.accounts import oidc, service
from portal.accounts.models import Role
from portal.accounts.schemas import GraduateSignup
from portal.deps import CurrentUser, OptionalUser, SessionDep, SettingsDep, client_ip
from portal.errors import NotFound, ServiceError
from portal.forms import FormData, FormPage, submit
from portal.i18n import gettext
from portal.labels import label
from portal.signin import safe_next, start_session
from portal.web import redirect, render

router = APIRouter(tags=["pages: single sign-on"], include_in_schema=False)

INTENT_KEY = "oidc_intent"
PENDING_KEY = "oidc_pending"


def _problem(request: Request, reason: str, message: str, status_code: int = 400, **params: object):
    if "role" in params:
        params["role"] = label(params["role"])
    return render(
        request, "accounts/oidc_error.html",
        {"reason": reason, "message": gettext(message, **params)}, status_code=status_code,
    )


def _unreachable(request: Request):
    return _problem(request, "unreachable", "We could not reach the identity provider. Please try again later, "
                                            "or sign in with your password.", status_code=502)


def callback_url(request: Request, settings) -> str:
    """The redirect URI registered at the provider: explicit, else under PORTAL_BASE_URL outside local use."""
    if settings.oidc_redirect_uri:
        return settings.oidc_redirect_uri
    if settings.environment != "local" and settings.base_url:
        return f"{settings.base_url.rstrip('/')}/auth/oidc/callback"
    return str(request.url_for("oidc_callback"))


async def _start(request: Request, *, next_url: str | None, link_user_id: int | None):
    settings = request.app.state.settings
    client = oidc.client(request.app)
    redirect_uri = callback_url(request, settings)
    try:
        flow = await client.create_authorization_url(redirect_uri)
    except (httpx.HTTPError, ValueError, KeyError, RuntimeError):
        return _unreachable(request)
    await client.save_authorize_data(request, redirect_uri=redirect_uri, **flow)
    request.session[INTENT_KEY] = {"state": flow["state"], "next": next_url, "link": link_user_id}
    return RedirectResponse(flow["url"], status_code=302 if request.method == "GET" else 303)


@router.get("/auth/oidc/login")
async def oidc_login(
    request: Request, user: OptionalUser, settings: SettingsDep,
    next: Annotated[str | None, Query(max_length=300)] = None,
):
    oidc.require_enabled(settings)
    return await _start(request, next_url=next, link_user_id=None)


@router.post("/auth/oidc/link")
async def oidc_link_start(request: Request, user: CurrentUser, settings: SettingsDep):
    oidc.require_enabled(settings)
    oidc.require_linkable(user, settings)
    return await _start(request, next_url="/account/sso", link_user_id=user.id)


@router.get("/auth/oidc/callback", name="oidc_callback")
async def oidc_callback(request: Request, user: OptionalUser, session: SessionDep, settings: SettingsDep):
    oidc.require_enabled(settings)
    state = request.query_params.get("state")
    intent = request.session.get(INTENT_KEY) or {}
    if intent.get("state") == state:
        request.session.pop(INTENT_KEY, None)
    else:
        intent = {}
    if oidc.flow_expired(request.session, state):
        request.session.pop(f"_state_{oidc.CLIENT_NAME}_{state}", None)
        return _problem(request, "expired", "The sign-in took too long and has expired. Please start again.")
    client = oidc.client(request.app)
    try:
        token = await client.authorize_access_token(request)
    except MismatchingStateError:
        return _problem(request, "state", "This sign-in was not started from this browser, or it was already "
                                          "used. Please start again.")
    except AuthlibBaseError as error:
        if error.error == "access_denied":
            return _problem(request, "denied", "Sign-in was cancelled at the identity provider.")
        return _problem(request, "provider", "The identity provider refused the sign-in (%(error)s).",
                        error=error.error or error.description or "error")
    except JoseError:
        return _problem(request, "token", "The identity provider's answer could not be verified. Please start again.")
    except (httpx.HTTPError, ValueError):
        return _unreachable(request)
    claims = dict(token.get("userinfo") or {})
    if not claims or claims.get("iss", "").rstrip("/") != settings.oidc_issuer.rstrip("/"):
        return _problem(request, "token", "The identity provider's answer could not be verified. Please start again.")
    if "email" not in claims and token.get("access_token"):
        try:
            extra = await client.userinfo(token=token)
        except (httpx.HTTPError, AuthlibBaseError, ValueError):
            extra = {}
        if extra.get("sub") == claims["sub"]:
            claims.update({k: v for k, v in extra.items() if k in ("email", "email_verified", "name")})
    # The provider's answer is in: what is left reads and writes the database, off the event loop.
    return await run_in_threadpool(_finish, request, user, session, settings, intent, claims)


def _finish(request: Request, user, session, settings, intent: dict, claims: dict):
    """Links the identity (a signed-in user started a link) or signs in with it."""
    issuer = claims["iss"]
    if intent.get("link"):
        if user is None or user.id != intent["link"]:
            return _problem(request, "state", "This sign-in was not started from this browser, or it was already "
                                              "used. Please start again.")
        try:
            oidc.link(session, settings=settings, user=user, issuer=issuer, claims=claims, ip=client_ip(request))
        except oidc.SsoRefused as refused:
            return _problem(request, refused.reason, refused.message, status_code=403, **refused.params)
        except ServiceError as error:
            return _problem(request, error.code, error.message, status_code=error.status_code, **error.params)
        return RedirectResponse("/account/sso?linked=1", status_code=303)

    try:
        account = oidc.sign_in(session, settings=settings, issuer=issuer, claims=claims, ip=client_ip(request))
    except oidc.SsoRefused as refused:
        return _problem(request, refused.reason, refused.message, status_code=403, **refused.params)
    except oidc.UnknownAccount as unknown:
        request.session[PENDING_KEY] = {
            "issuer": issuer, "subject": claims["sub"], "email": unknown.email, "name": unknown.name,
            "exp": time.time() + settings.oidc_flow_max_age_seconds,
        }
        return render(
            request, "accounts/oidc_no_account.html",
            {"email": unknown.email, "graduates_allowed": Role.graduate in oidc.allowed_roles(settings)},
            status_code=403,
        )
    start_session(request, account)
    return RedirectResponse(safe_next(intent.get("next"), account), status_code=303)


def _pending(request: Request, settings) -> dict:
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("exp", 0) < time.time() or Role.graduate not in oidc.allowed_roles(settings):
        raise NotFound("The sign-in took too long and has expired. Please start again.")
    return pending


# The graduate sign-up form posting here, its email the one the provider verified.
SIGNUP_PAGE = FormPage("accounts/signup_graduate.html",
                       context=lambda errors: {"action": "/auth/oidc/signup", "email_locked": True})


@router.get("/auth/oidc/signup")
def oidc_signup_page(request: Request, user: OptionalUser, settings: SettingsDep):
    oidc.require_enabled(settings)
    pending = _pending(request, settings)
    return SIGNUP_PAGE.show(request, {"email": pending["email"], "display_name": pending["name"]})


@router.post("/auth/oidc/signup")
def oidc_signup(request: Request, user: OptionalUser, session: SessionDep, settings: SettingsDep, data: FormData):
    """A graduate whose verified email has no account signs up; the provider identity is linked at once."""
    oidc.require_enabled(settings)
    pending = _pending(request, settings)
    data["email"] = pending["email"]  # the one address the provider verified

    def register(signup: GraduateSignup):
        account = service.register_graduate(session, signup=signup)
        oidc.link(session, settings=settings, user=account, issuer=pending["issuer"],
                  claims={"sub": pending["subject"]}, ip=client_ip(request))
        return account

    def signed_up(account):
        start_session(request, account)
        return redirect(request, "/me/resume")

    return submit(request, session, GraduateSignup, data, register, done=signed_up, again=SIGNUP_PAGE)


@router.get("/account/sso")
def sso_page(request: Request, user: CurrentUser, session: SessionDep, settings: SettingsDep,
             linked: Annotated[bool, Query()] = False):
    return _sso_page(session, settings, user, linked).show(request)


def _sso_page(session, settings, user, linked: bool = False) -> FormPage:
    """The account's sign-in providers, with the forms linking and unlinking them."""
    return FormPage("accounts/sso.html", context=lambda errors: {
        "identities": oidc.identities_of(session, user_id=user.id),
        "can_link": settings.oidc_enabled and Role(user.role) in oidc.allowed_roles(settings), "linked": linked})


@router.post("/account/sso/{identity_id}/unlink")
def sso_unlink(request: Request, identity_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    try:
        oidc.unlink(session, user=user, identity_id=identity_id, ip=client_ip(request))
    except ServiceError as error:
        if error.status_code == 404:
            raise
        return _sso_page(session, settings, user).again(
            request, {"__all__": gettext(error.message, **error.params)}, {}, status_code=error.status_code)
    return redirect(request, "/account/sso")
