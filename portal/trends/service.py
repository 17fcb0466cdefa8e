"""Week-by-week counts of what happened to the graduates an officer looks after."""
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from portal.accounts.models import User
from portal.agreements.models import Agreement
from portal.applications.models import Application, ApplicationEvent, ApplicationStatus
from portal.clock import today as tianjin_today
from portal.destinations.models import DestinationChange, DestinationStatus
from portal.localtime import PORTAL_ZONE, to_local
from portal.scope import scope_of

WEEKS = 12


@dataclass
class Series:
    key: str  # applications | offers | signings | destinations
    title: str  # msgid
    weeks: list[tuple[date, int]]  # (Monday of the week, count), oldest first

    @property
    def total(self) -> int:
        return sum(count for _, count in self.weeks)

    @property
    def peak(self) -> int:
        return max((count for _, count in self.weeks), default=0)

    @property
    def latest(self) -> int:
        return self.weeks[-1][1] if self.weeks else 0


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _by_week(moments, first_monday: date, weeks: int) -> list[tuple[date, int]]:
    counts = Counter(monday_of(to_local(moment).date()) for moment in moments if moment is not None)
    return [(first_monday + timedelta(weeks=n), counts[first_monday + timedelta(weeks=n)]) for n in range(weeks)]


def weekly_trends(session: Session, *, officer: User, weeks: int = WEEKS, today: date | None = None) -> list[Series]:
    """The last `weeks` weeks (this one included) for the graduates in the officer's scope."""
    first_monday = monday_of(today or tianjin_today()) - timedelta(weeks=weeks - 1)
    since = datetime.combine(first_monday, time.min, tzinfo=PORTAL_ZONE)
    scope = scope_of(session, officer)
    applications = session.exec(select(Application.created_at).where(
        Application.created_at >= since, scope.graduate_ids(Application.graduate_id)))
    offers = session.exec(
        select(ApplicationEvent.created_at).join(Application, Application.id == ApplicationEvent.application_id)
        .where(ApplicationEvent.status == ApplicationStatus.offer, ApplicationEvent.created_at >= since,
               scope.graduate_ids(Application.graduate_id)))
    signings = session.exec(select(Agreement.signed_at).where(
        Agreement.signed_at >= since, scope.graduate_ids(Agreement.graduate_id)))
    destinations = session.exec(select(DestinationChange.created_at).where(
        DestinationChange.status == DestinationStatus.reported, DestinationChange.created_at >= since,
        scope.graduate_ids(DestinationChange.graduate_id)))
    return [
        Series("applications", "New applications", _by_week(applications, first_monday, weeks)),
        Series("offers", "Offers made", _by_week(offers, first_monday, weeks)),
        Series("signings", "Agreements signed", _by_week(signings, first_monday, weeks)),
        Series("destinations", "Destinations reported", _by_week(destinations, first_monday, weeks)),
    ]
