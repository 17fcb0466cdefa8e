"""The panels of the officer's home: what needs doing first, each contributed by its domain.

A panel is a function `panel(session, officer) -> Panel` named in PANELS ("module:function", like the scheduler's
jobs), so the home depends on no domain and a new domain adds its panel with one line.
"""
import importlib
from dataclasses import dataclass, field

from sqlmodel import Session

from portal.accounts.models import User

# In the order they stand on the page: the ledger's shortfall list first.
PANELS = (
    "portal.ledger.panels:shortfall",
    "portal.ledger.panels:overdue_measures",
    "portal.ledger.panels:support_requests",
    "portal.trends.panels:weekly",
    "portal.subsidies.panels:claims_to_decide",
    "portal.training.panels:pending_providers",
    "portal.archives.panels:agency_work",
)


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)


def panels_for(session: Session, officer: User) -> list[Panel]:
    panels = []
    for entry in PANELS:
        module_name, _, function_name = entry.partition(":")
        panels.append(getattr(importlib.import_module(module_name), function_name)(session, officer))
    return panels
