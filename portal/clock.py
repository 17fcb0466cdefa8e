"""One notion of 'now' for the whole portal: timezone-aware UTC."""
from datetime import UTC, date, datetime, timedelta, timezone


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def today() -> date:
    # Deadlines are Tianjin calendar days (UTC+8).
    return (datetime.now(UTC) + timedelta(hours=8)).date()


TIANJIN = timezone(timedelta(hours=8))


def from_local(moment: datetime) -> datetime:
    """A time typed on a page (naive, Tianjin wall-clock) as UTC; an aware time is only converted."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=TIANJIN)
    return aware.astimezone(UTC).replace(microsecond=0)
