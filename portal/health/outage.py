"""While the database is unreachable (restarting, failing over), requests fail cleanly and briefly: a 503 problem
for the API, a readable page for browsers, and a Retry-After. The pool checks connections before use
(pool_pre_ping), so the first request after the database returns gets a fresh connection: no restart needed."""
from fastapi import FastAPI, Request
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, TimeoutError as PoolTimeout

from portal.errors_http import problem, wants_json
from portal.i18n import gettext
from portal.web import render

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "The service is briefly unavailable. Please try again in a minute."


def install_outage_handler(app: FastAPI) -> None:
    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(DisconnectionError)
    @app.exception_handler(PoolTimeout)
    def database_unavailable(request: Request, error: Exception):
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
        message = gettext(UNAVAILABLE)
        if wants_json(request):
            response = problem(503, message, message)
            response.headers.update(headers)
            return response
        # Rendered without asking the database who is signed in: it is the database that is missing.
        return render(request, "error.html", {"status": 503, "message": message}, block="message",
                      status_code=503, headers=headers)
