"""Subsidies' panel on the officer's home (portal/officer): claims waiting for a decision."""
from sqlmodel import Session

from portal.accounts.models import User
from portal.officer.panels import Panel
from portal.subsidies import service


def claims_to_decide(session: Session, officer: User) -> Panel:
    return Panel("subsidies/_claims_panel.html", {"waiting": service.waiting_count(session, officer=officer)})
