"""Working days (Monday to Friday) for answering referrals; bank holidays are not counted out."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def working_days_between(start: date, end: date) -> int:
    """Whole working days after `start` up to and including `end` (0 when end is not later)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def subtract_working_days(moment: datetime, working_days: int) -> datetime:
    """The moment `working_days` working days before `moment` (weekends skipped)."""
    result = moment
    if working_days > 0 and moment.weekday() >= 5:  # no working time passes at a weekend: count from Friday's end
        result = (moment - timedelta(days=moment.weekday() - 5)).replace(hour=0, minute=0, second=0, microsecond=0)
    remaining = working_days
    while remaining > 0:
        result -= timedelta(days=1)
        if result.weekday() < 5:
            remaining -= 1
    return result
