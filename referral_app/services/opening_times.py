"""When a service is open, from its ORUK schedules (weekly `byday` and monthly `bymonthday` periods)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from referral_app.models import Schedule

UK_TIME = ZoneInfo("Europe/London")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # date.weekday() order


@dataclass(frozen=True)
class Opening:
    """Open now (until `closes_at`), or when it next opens (`day`, `opens_at`); both None if unknown."""

    open_now: bool
    day: date | None = None
    opens_at: time | None = None
    closes_at: time | None = None


def local_today(now: datetime) -> date:
    return now.astimezone(UK_TIME).date()


@cache  # a handful of distinct values ("MO,WE,FR"), read for every schedule on every results page
def day_codes(byday: str | None) -> frozenset[str]:
    return frozenset(part.strip()[-2:].upper() for part in (byday or "").split(",") if part.strip())


def runs_on(schedule: Schedule, day: date) -> bool:
    """Whether the schedule has a period on this date."""
    if schedule.valid_from and day < schedule.valid_from:
        return False
    if schedule.valid_to and day > schedule.valid_to:
        return False
    if (schedule.freq or "WEEKLY").upper() == "MONTHLY":
        days = {part.strip() for part in (schedule.bymonthday or "").split(",")}
        return str(day.day) in days
    return DAY_CODES[day.weekday()] in day_codes(schedule.byday)


def opening(schedules: Iterable[Schedule], now: datetime, *, look_ahead_days: int = 7) -> Opening:
    """Whether the service is open at `now` (UK time), or its next opening within `look_ahead_days`."""
    local = now.astimezone(UK_TIME)
    periods = [s for s in schedules if s.opens_at is not None and s.closes_at is not None]
    today, clock = local.date(), local.time().replace(tzinfo=None)
    for schedule in sorted(periods, key=lambda s: s.opens_at):
        if runs_on(schedule, today) and schedule.opens_at <= clock < schedule.closes_at:
            return Opening(open_now=True, closes_at=schedule.closes_at)
    for offset in range(look_ahead_days + 1):
        day = today + timedelta(days=offset)
        starts = sorted(s.opens_at for s in periods if runs_on(s, day) and (offset > 0 or s.opens_at > clock))
        if starts:
            return Opening(open_now=False, day=day, opens_at=starts[0])
    return Opening(open_now=False)


def weekly_table(schedules: Iterable[Schedule]) -> list[tuple[str, list[tuple[time, time]]]]:
    """Each day code with its opening periods, Monday first, for the service page."""
    table = []
    for code in DAY_CODES:
        periods = sorted(
            (s.opens_at, s.closes_at)
            for s in schedules
            if s.opens_at and s.closes_at and (s.freq or "WEEKLY").upper() == "WEEKLY" and code in day_codes(s.byday)
        )
        table.append((code, periods))
    return table
