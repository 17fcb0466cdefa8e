"""Personnel files' panel on the officer's home (portal/officer): what an agency's officer has to do, and the way to
the agencies for city-wide officers."""
from sqlmodel import Session

from portal.accounts.models import User
from portal.archives import service
from portal.officer.panels import Panel
from portal.scope import scope_of


def agency_work(session: Session, officer: User) -> Panel:
    agency = service.agency_of(session, officer)
    return Panel("archives/_panel.html", {
        "agency": agency, "counts": service.waiting_counts(session, officer=officer) if agency else {},
        "manages_agencies": scope_of(session, officer).city})
