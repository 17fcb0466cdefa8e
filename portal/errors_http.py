"""Turns errors into a JSON problem for the API and a readable page (or fragment) for browsers."""
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import inspect
from sqlalchemy.exc import DataError
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from portal.deps import get_optional_user
from portal.errors import NotAuthenticated, ServiceError
from portal.i18n import gettext
from portal.security_headers import security_headers
from portal.web import is_htmx, redirect, render

_HTTP_TITLES = {
    400: "The request could not be understood.",
    401: "Please sign in first.",
    403: "This page is not available to your account.",
    404: "We could not find that page.",
    405: "That action is not allowed here.",
    409: "That conflicts with the current state.",
    413: "The upload is too large.",
    422: "Some of the information is not valid.",
    429: "Too many attempts. Please wait a few minutes and try again.",
    500: "Something went wrong on our side.",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def problem(status: int, title: str, detail: str, errors: list | None = None, code: str | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"type": f"about:blank#{code or status}", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


def _recognise_user(request: Request) -> None:
    """Errors raised before any route dependency ran (an unknown URL) still show who is signed in.

    Only from a handler that runs in the thread pool: the look-up waits for a database connection, and on the
    event loop that wait once wedged a whole process under a burst.
    """
    user = getattr(request.state, "user", None)
    if user is not None and inspect(user).expired:  # its session rolled back after a failed write: look again
        del request.state.user
    if hasattr(request.state, "user") or "session" not in request.scope:
        return
    try:
        with Session(request.app.state.engine, expire_on_commit=False) as session:
            get_optional_user(request, session, request.app.state.settings)
    except ServiceError:
        pass


def error_page(request: Request, status: int, message: str, *, recognise_user: bool = True,
               headers: dict[str, str] | None = None):
    if recognise_user:
        _recognise_user(request)
    if is_htmx(request):
        headers = {**(headers or {}), "HX-Retarget": "#flash", "HX-Reswap": "innerHTML"}
    return render(
        request, "error.html", {"status": status, "message": message}, block="message", status_code=status, headers=headers
    )


def install_error_handlers(app: FastAPI) -> None:
    # Plain `def` handlers: Starlette runs them in the thread pool, so rendering a page (and looking up who is
    # signed in) never blocks the event loop.
    @app.exception_handler(ServiceError)
    def service_error(request: Request, error: ServiceError):
        message = gettext(error.message, **error.params)
        retry_after = error.params.get("retry_after")
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        if wants_json(request):
            errors = [{"field": error.field, "message": message}] if error.field else None
            return problem(error.status_code, gettext(_HTTP_TITLES.get(error.status_code, "Error")), message, errors,
                           error.code, headers)
        if isinstance(error, NotAuthenticated):
            return redirect(request, f"/login?next={request.url.path}")
        return error_page(request, error.status_code, message, headers=headers)

    @app.exception_handler(RequestValidationError)
    def validation_error(request: Request, error: RequestValidationError):
        errors = [
            {"field": ".".join(str(part) for part in item["loc"]), "message": item["msg"]} for item in error.errors()
        ]
        title = gettext(_HTTP_TITLES[422])
        if wants_json(request):
            return problem(422, title, title, errors, "invalid")
        # A page's query or path values come from a link, not a form the user can correct: say so plainly.
        return error_page(request, 422, gettext("This link is incomplete or not valid. Please go back and try again."))

    @app.exception_handler(DataError)
    @app.exception_handler(OverflowError)
    def out_of_range(request: Request, error: Exception):
        # A value the database cannot hold (an id beyond any row, say 10**20) is bad input, not a server fault.
        title = gettext(_HTTP_TITLES[422])
        if wants_json(request):
            return problem(422, title, title, None, "invalid")
        return error_page(request, 422, title)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException):
        title = gettext(_HTTP_TITLES.get(error.status_code, "Error"))
        # Starlette fills in the bare HTTP phrase; only a detail the portal wrote itself is worth showing.
        own_detail = isinstance(error.detail, str) and error.detail != HTTPStatus(error.status_code).phrase
        detail = error.detail if own_detail and error.status_code != 404 else title
        if wants_json(request):
            return problem(error.status_code, title, detail)
        return error_page(request, error.status_code, detail)

    @app.exception_handler(Exception)
    def unexpected_error(request: Request, error: Exception):
        # Answered outside the middleware stack, so this answer carries the security headers itself.
        headers = security_headers(request.url.scheme, request.app.state.settings)
        title = gettext(_HTTP_TITLES[500])
        if wants_json(request):
            return problem(500, title, title, headers=headers)
        # The fault may be the database itself (an exhausted pool, say): do not ask it who is signed in.
        return error_page(request, 500, title, recognise_user=False, headers=headers)
