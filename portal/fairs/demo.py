"""Demo: a 津英就业 series with an on-site fair two days ahead (the demo employer at booth 8) and an online fair
that is on now, so a graduate can register, be checked in with the QR code, and chat with the employer."""
from datetime import timedelta

from sqlmodel import Session, select

from portal.accounts.models import User
from portal.clock import utcnow
from portal.fairs import service
from portal.fairs.models import Fair, FairSeries
from portal.fairs.schemas import ExhibitRequest, FairCreate, SeriesCreate
from portal.positions.models import Position, PositionStatus
from portal.settings import Settings

SERIES_TITLE = "津英就业·信息技术专场系列"


def seed(session: Session, *, settings: Settings, officer: User, employer: User) -> None:
    """Once: the series and its two fairs; again whenever the online fair is over, a new one for today."""
    series = session.exec(select(FairSeries).where(FairSeries.title == SERIES_TITLE)).first()
    if series is None:
        series = service.create_series(session, user=officer, create=SeriesCreate(
            title=SERIES_TITLE, description="面向信息技术行业的系列专场，每月一场，覆盖滨海新区与南开区。"))
        start = utcnow() + timedelta(days=2)
        fair = service.create_fair(session, user=officer, create=FairCreate(
            kind="on_site", title="津英就业·滨海新区信息技术专场招聘会", series_id=series.id, starts_at=start,
            ends_at=start + timedelta(hours=4), registration_deadline=start, venue="天津滨海新区文化中心",
            district="滨海新区", capacity=500, booths=40, sectors=["information_technology"],
            description="40 家信息技术企业现场招聘，凭电子入场券入场。"))
        _take_part(session, settings=settings, officer=officer, employer=employer, fair=fair, booth=8)
    now = utcnow()
    live = session.exec(select(Fair).where(Fair.series_id == series.id, Fair.kind == "online", Fair.ends_at > now)).first()
    if live is None:
        fair = service.create_fair(session, user=officer, create=FairCreate(
            kind="online", title="津英就业·线上双选会", series_id=series.id, starts_at=now + timedelta(minutes=1),
            ends_at=now + timedelta(hours=8), registration_deadline=now + timedelta(hours=8), capacity=2000,
            sectors=[], description="线上投递，与企业 HR 实时交流。"))
        _take_part(session, settings=settings, officer=officer, employer=employer, fair=fair, booth=None)


def _take_part(session: Session, *, settings: Settings, officer: User, employer: User, fair: Fair, booth: int | None):
    from portal.employers import service as employers

    organization = employers.organization_of(session, employer)
    position_ids = list(session.exec(select(Position.id).where(
        Position.organization_id == organization.id, Position.status == PositionStatus.published).limit(3)))
    if not position_ids:
        return
    exhibitor = service.request_to_exhibit(session, settings=settings, user=employer, fair_id=fair.id,
                                           request=ExhibitRequest(position_ids=position_ids, booth=booth))
    service.decide_exhibitor(session, settings=settings, user=officer, fair_id=fair.id, exhibitor_id=exhibitor.id,
                             approve=True)
