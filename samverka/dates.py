"""Date arithmetic as Swedish law counts it."""

import calendar
from datetime import date, datetime, time

from django.utils import timezone


def add_years(day: date, years: int) -> date:
    """The same date ``years`` later; 29 February becomes 28 February in a
    common year, as lagen (1930:173) om beräkning av lagstadgad tid counts a
    period that would end on a day the month lacks."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day``."""
    years = day.year - birth_date.year
    return years if day >= add_years(birth_date, years) else years - 1


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day
    (lagen 1930:173, as for years)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def local_midnight(day: date) -> datetime:
    """The first moment of ``day`` in the site's time zone (settings.TIME_ZONE), aware."""
    return timezone.make_aware(datetime.combine(day, time.min))
