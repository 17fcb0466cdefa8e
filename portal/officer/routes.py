"""The officer's home page (/officer): the panels of portal/officer/panels.py, in order."""
from fastapi import APIRouter, Request
from markupsafe import Markup

from portal.deps import OfficerUser, SessionDep
from portal.officer.panels import Panel, panels_for
from portal.web import render

router = APIRouter(tags=["pages: officer"], include_in_schema=False)


def _rendered(request: Request, panel: Panel) -> Markup:
    template = request.app.state.templates.env.get_template(panel.template)
    return Markup(template.render({"request": request, **panel.context}))


@router.get("/officer")
def officer_home(request: Request, user: OfficerUser, session: SessionDep):
    return render(request, "officer/home.html", {"panels": [_rendered(request, p) for p in panels_for(session, user)]})
