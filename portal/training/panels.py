"""Training's panel on the officer's home (portal/officer): providers waiting for approval."""
from sqlmodel import Session

from portal.accounts.models import User
from portal.officer.panels import Panel
from portal.training import service
from portal.training.models import ProviderStatus


def pending_providers(session: Session, officer: User) -> Panel:
    return Panel("training/_providers_panel.html",
                 {"providers": service.list_providers(session, officer=officer, status=ProviderStatus.pending)})
