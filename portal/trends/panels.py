"""The trends panel on the officer's home (portal/officer)."""
from sqlmodel import Session

from portal.accounts.models import User
from portal.officer.panels import Panel
from portal.trends import service


def weekly(session: Session, officer: User) -> Panel:
    return Panel("trends/_panel.html", {"series": service.weekly_trends(session, officer=officer)})
