"""CSRF: every state-changing request that rides on the session cookie must echo the session's token."""
from fastapi import Request

from portal.errors import Forbidden
from portal.security import csrf_token, csrf_token_matches, new_csrf_seed

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Trading a password for an API token uses no cookie, so there is no ambient authority to forge.
# Checking an agreement's signatures changes nothing and acts for no one, so anyone may post a file to it.
EXEMPT_PATHS = {"/api/v1/auth/token", "/api/v1/verify"}


def session_csrf_token(request: Request) -> str:
    seed = request.session.get("csrf")
    if not seed:
        seed = request.session["csrf"] = new_csrf_seed()
    return csrf_token(request.app.state.settings.secret_key, seed)


async def csrf_protect(request: Request) -> None:
    if request.method in SAFE_METHODS or request.url.path in EXEMPT_PATHS:
        return
    # A bearer token is not sent by browsers on their own, so it needs no CSRF token.
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return
    presented = request.headers.get("X-CSRF-Token")
    if presented is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        presented = (await request.form()).get("csrf_token")
    seed = request.session.get("csrf")
    if not seed or not csrf_token_matches(request.app.state.settings.secret_key, seed, presented):
        raise Forbidden("The form has expired or did not come from this site. Please reload the page and try again.")
