"""Builds the FastAPI application; everything else lives in the domain packages."""
import importlib
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.middleware.sessions import SessionMiddleware

from portal import api_contract, api_docs, i18n, models, realtime  # noqa: F401  (models registers every table)
from portal.body_limit import FORM_OVERHEAD_BYTES, BodySizeLimit
from portal import idempotency
from portal.crypto import install_keyring
from portal.csrf import csrf_protect
from portal.db import make_engine
from portal.events import register_listeners
from portal.errors_http import install_error_handlers
from portal.health.outage import install_outage_handler
from portal.scheduler import run_scheduler
from portal.security_headers import SecurityHeaders
from portal.settings import Settings, get_settings, require_strong_secret
from portal.web import STATIC_DIR, bind_request, build_templates
from search.factory import build_backend

# Each domain package offers `routes.router` (pages) and, where it has one, `api.router` (JSON).
DOMAINS = (
    "portal.accounts",
    "portal.employers",
    "portal.positions",
    "portal.resumes",
    "portal.applications",
    "portal.invitations",
    "portal.notifications",
    "portal.agreements",
    "portal.destinations",
    "portal.enrolment",
    "portal.ledger",
    "portal.training",
    "portal.subsidies",
    "portal.traineeships",
    "portal.officer",
    "portal.trends",
    "portal.site",
    "portal.fairs",
    "portal.presentations",
    "portal.interviews",
    "portal.notices",
    "portal.guidance",
    "portal.archives",
    "portal.competitions",
    "search",
    "portal.health",
    "portal.privacy",
)


def create_app(
    settings: Settings | None = None, *, engine: Engine | None = None, run_background_jobs: bool = True
) -> FastAPI:
    settings = settings or require_strong_secret(get_settings())
    engine = engine or make_engine(settings.resolved_database_url, request_threads=settings.request_threads)
    install_keyring(engine, settings)
    register_listeners()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Route threads never outnumber the database connections (make_engine sizes the pool to cover them).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        stop = run_scheduler(app) if run_background_jobs and settings.run_scheduled_jobs else None
        yield
        if stop:
            await stop()
        realtime.close(app)

    app = FastAPI(
        title="Jinying 津英就业 API",
        version="1.0",
        lifespan=lifespan,
        dependencies=[Depends(csrf_protect)],
        docs_url=None,  # served by portal/api_docs.py from vendored files
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.templates = build_templates()
    app.state.search = build_backend(settings, engine)

    app.add_middleware(PageContext)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="jinying_session",
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.upload_max_bytes + FORM_OVERHEAD_BYTES,
        upload_max_bytes=settings.upload_max_bytes,
    )
    app.add_middleware(SecurityHeaders, settings=settings)
    install_error_handlers(app)
    install_outage_handler(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api_docs.router)
    for domain in DOMAINS:
        for module_name in ("routes", "api"):
            try:
                module = importlib.import_module(f"{domain}.{module_name}")
            except ModuleNotFoundError as error:
                if error.name != f"{domain}.{module_name}":
                    raise
                continue
            app.include_router(module.router)
    idempotency.install(app)
    api_contract.install(app)
    return app


class PageContext:
    """Sets the request's language and binds the request for the templates (plain ASGI, so errors raised
    while a body streams reach the exception handlers unwrapped)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            request = Request(scope, receive)
            settings: Settings = request.app.state.settings
            i18n.set_locale(
                i18n.pick_locale(
                    request.cookies.get("lang"), request.headers.get("Accept-Language"), settings.default_locale
                )
            )
            bind_request(request)
        await self.app(scope, receive, send)
