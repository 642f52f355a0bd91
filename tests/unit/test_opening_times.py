from datetime import UTC, date, datetime, time

from referral_app.models import Schedule
from referral_app.services.opening_times import opening, runs_on, weekly_table

# Tuesday 24 November 2026, 11:00 in London (GMT in winter).
TUESDAY_11 = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


def period(byday, opens, closes, **fields):
    return Schedule(byday=byday, opens_at=time.fromisoformat(opens), closes_at=time.fromisoformat(closes), **fields)


def test_open_now_in_the_first_of_two_periods_on_a_day():
    schedules = [period("TU", "10:00", "12:30"), period("TU", "13:30", "16:00")]
    assert opening(schedules, TUESDAY_11).open_now
    assert opening(schedules, TUESDAY_11).closes_at == time(12, 30)


def test_between_periods_the_next_opening_is_the_same_afternoon():
    schedules = [period("TU", "10:00", "12:30"), period("TU", "13:30", "16:00")]
    lunchtime = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    result = opening(schedules, lunchtime)
    assert not result.open_now
    assert (result.day, result.opens_at) == (date(2026, 11, 24), time(13, 30))


def test_next_opening_on_a_later_day():
    result = opening([period("MO,TH", "09:00", "12:00")], TUESDAY_11)
    assert (result.day, result.opens_at) == (date(2026, 11, 26), time(9, 0))


def test_summer_time_is_respected():
    # 10:30 UTC on a July Tuesday is 11:30 in London.
    summer = datetime(2026, 7, 7, 10, 30, tzinfo=UTC)
    assert opening([period("TU", "11:00", "12:00")], summer).open_now


def test_validity_dates_and_monthly_schedules():
    expired = period("TU", "10:00", "12:00", valid_to=date(2026, 11, 1))
    assert not runs_on(expired, date(2026, 11, 24))
    monthly = period(None, "10:00", "12:00", freq="MONTHLY", bymonthday="24")
    assert opening([monthly], TUESDAY_11).open_now


def test_no_schedules_means_unknown():
    result = opening([], TUESDAY_11)
    assert (result.open_now, result.day) == (False, None)


def test_weekly_table_lists_periods_per_day():
    table = dict(weekly_table([period("MO,WE", "09:00", "12:00"), period("MO", "13:00", "15:00")]))
    assert table["MO"] == [(time(9), time(12)), (time(13), time(15))]
    assert table["WE"] == [(time(9), time(12))]
    assert table["SU"] == []
