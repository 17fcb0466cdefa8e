"""Page rendering: one template serves the full page and, for HTMX requests, the block it names."""
from pathlib import Path
from contextvars import ContextVar
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from portal import i18n, labels, localtime, reference

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


_current_request: ContextVar[Request | None] = ContextVar("current_request", default=None)


def bind_request(request: Request) -> None:
    """Makes the request reachable from template globals, which imported macros see without context."""
    _current_request.set(request)


def absolute_url(settings, path: str) -> str:
    """A link to put in a PDF, an email or a QR code: under the configured base URL, else under the address the
    current request came to (the demo on any port, a server behind a proxy), else just the path."""
    request = _current_request.get()
    base = settings.base_url or (str(request.base_url) if request is not None else "")
    return base.rstrip("/") + path


def _csrf_token() -> str:
    from portal.csrf import session_csrf_token

    return session_csrf_token(_current_request.get())


def _current_user():
    request = _current_request.get()
    return getattr(request.state, "user", None) if request else None


def template_gettext(message: str, **params: object) -> Markup:
    return Markup(i18n.catalogue(i18n.current_locale()).get(message, message)) % params


def build_templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, extensions=["jinja2.ext.i18n"])
    templates = Jinja2Templates(env=env)
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    # Jinja's own `_` goes through the context on every call; a busy page makes hundreds of them (a third of the
    # recommendations page's rendering). Same result: the translation is trusted markup, its parameters escaped.
    env.globals["_"] = template_gettext
    # {{ position.updated_at|local }}, {{ case.opened_at|local_date }}: Tianjin's clock, the portal's one format.
    env.filters["local"] = localtime.format_datetime
    env.filters["local_date"] = localtime.format_date
    env.globals.update(
        reference=reference, current_locale=i18n.current_locale, label=labels.label, options=labels.options,
        label_or_text=labels.label_or_text,
        csrf_token=_csrf_token, current_user=_current_user,
    )
    return templates


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def render(
    request: Request,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The full page, or just `block` of the same template when HTMX asks for it."""
    templates: Jinja2Templates = request.app.state.templates
    full_context = {"request": request, "settings": request.app.state.settings, **(context or {})}
    if block and is_htmx(request):
        template = templates.env.get_template(template_name)
        html = "".join(template.blocks[block](template.new_context(full_context)))
        return HTMLResponse(html, status_code=status_code, headers=headers)
    return templates.TemplateResponse(
        request, template_name, full_context, status_code=status_code, headers=headers
    )


def redirect(request: Request, url: str) -> RedirectResponse | HTMLResponse:
    """A redirect that HTMX follows as a whole-page navigation."""
    if request.headers.get("HX-Request") == "true":
        return HTMLResponse("", headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)

