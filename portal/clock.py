"""One notion of 'now' for the whole portal: timezone-aware UTC."""
from datetime import UTC, date, datetime, timedelta


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def today() -> date:
    # Deadlines are Tianjin calendar days (UTC+8).
    return (datetime.now(UTC) + timedelta(hours=8)).date()
