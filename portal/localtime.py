"""Times as people read them: stored in UTC, shown on Tianjin's clock (Asia/Shanghai) in one format on pages,
PDFs and exports, so an event between 00:00 and 08:00 falls on the same day everywhere.

The portal stores no user's own time zone, so everyone reads Tianjin's clock, the one forms are typed in
(portal.clock.from_local).
"""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PORTAL_ZONE = ZoneInfo("Asia/Shanghai")
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def to_local(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything the portal stores is UTC.
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(PORTAL_ZONE)


def format_datetime(moment: datetime | None) -> str:
    return to_local(moment).strftime(DATETIME_FORMAT) if moment else ""


def format_date(value: date | datetime | None) -> str:
    """A calendar day; a moment becomes the day it fell on in Tianjin."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime(DATE_FORMAT)


def format_cell(value):
    """An export cell: moments and days in the one format, everything else as it is."""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return value
