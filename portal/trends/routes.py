"""The officers' trends page: the week-by-week charts, each with its numbers as a table."""
from fastapi import APIRouter, Request

from portal.deps import OfficerUser, SessionDep
from portal.trends import service
from portal.web import render

router = APIRouter(tags=["pages: trends"], include_in_schema=False)


@router.get("/officer/trends")
def trends_page(request: Request, user: OfficerUser, session: SessionDep):
    return render(request, "trends/page.html", {"series": service.weekly_trends(session, officer=user)})
