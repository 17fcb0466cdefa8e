"""The ledger's panels on the officer's home (portal/officer): the shortfall list first, then overdue measures and
graduates' applications for support."""
from sqlmodel import Session

from portal.accounts.models import User
from portal.ledger import service
from portal.officer.panels import Panel


def shortfall_context(session: Session, officer: User) -> dict:
    """What templates/ledger/_shortfall.html needs; the ledger's pages re-render it after each change."""
    rows = service.shortfall_list(session, officer=officer, limit=200)
    return {
        "shortfall": rows,
        "proposals": service.proposals(session, case_ids=[row.case.id for row in rows]),
        "shortfall_message": service.shortfall_message,
        "categories": {c.code: c for c in service.list_categories(session, active_only=False)},
    }


def shortfall(session: Session, officer: User) -> Panel:
    return Panel("ledger/_shortfall.html", shortfall_context(session, officer))


def overdue_measures(session: Session, officer: User) -> Panel:
    return Panel("ledger/_overdue.html", {"overdue": service.overdue_measures(session, officer=officer)})


def support_requests(session: Session, officer: User) -> Panel:
    return Panel("ledger/_requests_panel.html", {"requests": service.requests_for_officer(session, officer=officer)})
