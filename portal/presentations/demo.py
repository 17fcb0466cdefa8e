"""Demo: an approved online presentation by the demo employer that is on (or about to be), with the demo graduate
registered, so presenting from one browser and watching and asking from another can be tried at once."""
from datetime import timedelta

from sqlmodel import Session, select

from portal.accounts.models import User
from portal.clock import utcnow
from portal.employers import service as employers
from portal.positions.models import Position, PositionStatus
from portal.presentations import service
from portal.presentations.models import Presentation, PresentationStatus
from portal.presentations.schemas import PresentationCreate
from portal.settings import Settings

DURATION_MINUTES = 240


def seed(session: Session, *, settings: Settings, officer: User, employer: User, graduate: User) -> None:
    """A new presentation whenever the demo employer has none that is still open to watch."""
    organization = employers.organization_of(session, employer)
    now = utcnow()
    current = session.exec(select(Presentation).where(
        Presentation.organization_id == organization.id, Presentation.status == PresentationStatus.approved,
        Presentation.starts_at > now - timedelta(minutes=DURATION_MINUTES))).first()
    if current is not None:
        return
    positions = list(session.exec(select(Position.id).where(
        Position.organization_id == organization.id, Position.status == PositionStatus.published).limit(2)))
    presentation = service.schedule(session, user=employer, create=PresentationCreate(
        topic=f"{organization.name} 2026 届校园宣讲会", starts_at=now + timedelta(minutes=5),
        duration_minutes=DURATION_MINUTES, position_ids=positions,
        description="介绍公司业务、培养体系和今年的校招岗位，现场答疑。"))
    service.decide(session, settings=settings, officer=officer, presentation_id=presentation.id, approve=True)
    service.register(session, settings=settings, user=graduate, presentation_id=presentation.id)
