"""The pure working-day calendar: properties, and every holiday boundary of 2025–2026."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from resolvers.deadlines.calendar import WorkingCalendar, deadline
from resolvers.deadlines.calendars import compare, parse_schedule
from resolvers.errors import BadUserInput

CALENDAR = WorkingCalendar.from_chinesecalendar()
TZ = ZoneInfo("Asia/Shanghai")
DAYS = st.dates(min_value=date(2004, 1, 1), max_value=date(2099, 12, 31))
N = st.integers(min_value=0, max_value=80)


@settings(max_examples=300, deadline=None)
@given(DAYS, st.integers(min_value=1, max_value=80))
def test_a_deadline_is_a_working_day(start, n):
    due, _ = CALENDAR.working_days_after(start, n)
    assert CALENDAR.is_working_day(due)
    assert due > start


@settings(max_examples=200, deadline=None)
@given(DAYS, N, N)
def test_deadlines_never_go_backwards_as_n_grows(start, a, b):
    low, high = sorted((a, b))
    assert CALENDAR.working_days_after(start, low)[0] <= CALENDAR.working_days_after(start, high)[0]


@settings(max_examples=300, deadline=None)
@given(DAYS, N)
def test_exactly_n_working_days_lie_between_receipt_and_deadline(start, n):
    due, _ = CALENDAR.working_days_after(start, n)
    assert CALENDAR.working_days_between(start, due) == n
    if n:  # and the day before the deadline still had one to go
        assert CALENDAR.working_days_between(start, due - timedelta(days=1)) == n - 1


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9990, 1, 1)), N)
def test_no_date_crashes(start, n):
    due, provisional = CALENDAR.working_days_after(start, n)
    assert due >= start
    assert provisional == (not all(CALENDAR.is_official(start + timedelta(k))
                                   for k in range((due - start).days + 1))) or n == 0  # fmt: skip


# 日 (民法典 art. 201, 203), against the official calendar 2004–2026 as the chinesecalendar
# package publishes it (an oracle independent of the hub's own tables).
OFFICIAL_DAYS = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31))
LENGTHS = st.integers(min_value=0, max_value=400)


def _official_is_working(day: date) -> bool:
    import chinese_calendar

    return bool(chinese_calendar.is_workday(day))


@settings(max_examples=500, deadline=None)
@given(OFFICIAL_DAYS, LENGTHS)
def test_a_period_in_days_ends_on_a_working_day_never_before_the_plain_sum(start, n):
    plain = start + timedelta(days=n)
    assume(plain <= date(2026, 12, 20))  # its next working day is still in 2026
    end, provisional = CALENDAR.days_after(start, n)
    # the result is a working day, never earlier than the plain calendar sum,
    assert _official_is_working(end)
    assert end >= plain
    # equal to it when that day is a working day, else the first working day after it
    if _official_is_working(plain):
        assert end == plain
    else:
        skipped = (plain + timedelta(k) for k in range((end - plain).days))
        assert not any(_official_is_working(day) for day in skipped)
    assert provisional is False


@settings(max_examples=200, deadline=None)
@given(OFFICIAL_DAYS, st.integers(0, 200), st.integers(0, 200))
def test_a_longer_period_in_days_never_ends_earlier(start, a, b):
    low, high = sorted((a, b))
    assert CALENDAR.days_after(start, low)[0] <= CALENDAR.days_after(start, high)[0]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9990, 1, 1)), LENGTHS)
def test_a_period_in_days_beyond_the_known_years_is_provisional(start, n):
    end, provisional = CALENDAR.days_after(start, n)
    assert end >= start + timedelta(days=n) and CALENDAR.is_working_day(end)
    known = all(CALENDAR.is_official(start + timedelta(days=n) + timedelta(k))
                for k in range((end - start).days - n + 1))  # fmt: skip
    assert provisional is (not known)


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        ("2026-08-03", 60, "2026-10-08"),  # accepted: 60 日 land on 10-02, inside National Day
        ("2026-07-20", 15, "2026-08-04"),  # received: the acceptance decision, a Tuesday
        ("2026-01-16", 15, "2026-02-02"),  # lands on Saturday 01-31 → Monday 02-02
        ("2026-02-01", 13, "2026-02-14"),  # lands on a make-up working Saturday: stays
        ("2026-02-02", 13, "2026-02-24"),  # lands in the Spring Festival (02-15..02-23)
        ("2025-09-01", 30, "2025-10-09"),  # lands on 10-01 (National Day + Mid-Autumn 2025)
    ],
)
def test_periods_in_days_across_2025_and_2026(start, n, end):
    assert CALENDAR.days_after(date.fromisoformat(start), n) == (date.fromisoformat(end), False)


def test_a_period_in_days_counts_in_working_days_or_days_by_unit():
    from db.models import TimeUnit

    start = date(2026, 8, 3)
    assert CALENDAR.count(start, 60, TimeUnit.CALENDAR_DAYS)[0] == date(2026, 10, 8)
    working = CALENDAR.count(start, 60, TimeUnit.WORKING_DAYS)
    assert working == CALENDAR.working_days_after(start, 60)
    # a limit, then an extension of 30 日 from that deadline, then 5 日 suspended
    days = TimeUnit.CALENDAR_DAYS
    parts = [(60, days), (30, days), (5, days)]
    assert CALENDAR.count_all(start, parts)[0] == date(2026, 11, 16)  # 10-08, 11-09, 11-16
    due = deadline(datetime(2026, 12, 28, 10, tzinfo=TZ), 15, CALENDAR, TZ, days)
    assert due.provisional is True and due.due_at.date() == date(2027, 1, 12)


CONSULTATION, SUGGESTION, COMPLAINT = 1, 3, 7

# (received, working days, due): each crosses a holiday of 2025 or 2026.
BOUNDARIES = [
    # 2025 New Year: 01-01 (Wed) off
    ("2024-12-31", CONSULTATION, "2025-01-02"),
    ("2024-12-31", COMPLAINT, "2025-01-10"),
    # 2025 Spring Festival: 01-28..02-04 off; Sun 01-26 and Sat 02-08 working
    ("2025-01-24", CONSULTATION, "2025-01-26"),
    ("2025-01-26", CONSULTATION, "2025-01-27"),
    ("2025-01-27", CONSULTATION, "2025-02-05"),
    ("2025-01-27", COMPLAINT, "2025-02-12"),
    ("2025-02-07", CONSULTATION, "2025-02-08"),
    # 2025 Qingming: 04-04..04-06 off
    ("2025-04-03", CONSULTATION, "2025-04-07"),
    # 2025 Labour Day: 05-01..05-05 off; Sun 04-27 working
    ("2025-04-25", CONSULTATION, "2025-04-27"),
    ("2025-04-30", CONSULTATION, "2025-05-06"),
    ("2025-04-30", SUGGESTION, "2025-05-08"),
    # 2025 Dragon Boat: 05-31..06-02 off
    ("2025-05-30", CONSULTATION, "2025-06-03"),
    # 2025 National Day + Mid-Autumn: 10-01..10-08 off; Sun 09-28 and Sat 10-11 working
    ("2025-09-26", CONSULTATION, "2025-09-28"),
    ("2025-09-30", CONSULTATION, "2025-10-09"),
    ("2025-09-30", SUGGESTION, "2025-10-11"),
    ("2025-09-30", COMPLAINT, "2025-10-16"),
    # 2026 New Year: 01-01..01-03 off; Sun 01-04 working
    ("2025-12-31", CONSULTATION, "2026-01-04"),
    ("2025-12-31", SUGGESTION, "2026-01-06"),
    # 2026 Spring Festival: 02-15..02-23 off; Sat 02-14 and Sat 02-28 working
    ("2026-02-13", CONSULTATION, "2026-02-14"),
    ("2026-02-13", SUGGESTION, "2026-02-25"),
    ("2026-02-13", COMPLAINT, "2026-03-02"),
    ("2026-02-14", CONSULTATION, "2026-02-24"),
    ("2026-02-18", CONSULTATION, "2026-02-24"),
    # 2026 Qingming: 04-04..04-06 off
    ("2026-04-03", CONSULTATION, "2026-04-07"),
    # 2026 Labour Day: 05-01..05-05 off; Sat 05-09 working
    ("2026-04-30", CONSULTATION, "2026-05-06"),
    ("2026-04-30", SUGGESTION, "2026-05-08"),
    ("2026-05-08", CONSULTATION, "2026-05-09"),
    # 2026 Dragon Boat: 06-19..06-21 off
    ("2026-06-18", CONSULTATION, "2026-06-22"),
    # 2026 Mid-Autumn: 09-25..09-27 off; Sun 09-20 working
    ("2026-09-18", CONSULTATION, "2026-09-20"),
    ("2026-09-24", CONSULTATION, "2026-09-28"),
    # 2026 National Day: 10-01..10-07 off; Sat 10-10 working
    ("2026-09-30", CONSULTATION, "2026-10-08"),
    ("2026-09-30", SUGGESTION, "2026-10-10"),
    ("2026-09-30", COMPLAINT, "2026-10-15"),
]


@pytest.mark.parametrize(("received", "days", "due"), BOUNDARIES)
def test_every_holiday_boundary_of_2025_and_2026(received, days, due):
    received_at = datetime.fromisoformat(received + "T10:00:00+08:00")

    result = deadline(received_at, days, CALENDAR, TZ)

    assert result.due_at.date().isoformat() == due
    assert result.due_at.isoformat().endswith("T23:59:59+08:00")
    assert result.provisional is False


def test_late_december_2026_gets_a_provisional_deadline():
    received_at = datetime.fromisoformat("2026-12-28T09:00:00+08:00")

    result = deadline(received_at, 7, CALENDAR, TZ)

    # 12-29..12-31, then 2027: 01-01 (元旦, by law) is skipped, weekends skipped
    assert result.due_at.date() == date(2027, 1, 7)
    assert result.provisional is True
    assert deadline(received_at, 1, CALENDAR, TZ).provisional is False


def test_an_imported_year_makes_deadlines_official_and_moves_them():
    schedule = parse_schedule(
        '{"year": 2027, "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},'
        ' {"name": "春节", "from": "2027-02-05", "to": "2027-02-13"}],'
        ' "workdays": [{"name": "春节调休", "date": "2027-02-20"}]}'
    )
    official = CALENDAR.with_year(2027, schedule.overrides())

    before = CALENDAR.working_days_after(date(2027, 2, 4), 3)
    after = official.working_days_after(date(2027, 2, 4), 3)

    assert before == (date(2027, 2, 11), True)  # estimate: only 02-05..02-08 off
    assert after == (date(2027, 2, 17), False)
    changed = {c.day for c in compare(CALENDAR, official, 2027)}
    assert date(2027, 2, 20) in changed and date(2027, 2, 9) in changed


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("not json", "not JSON"),
        ('{"year": "2027", "holidays": []}', "year"),
        ('{"year": 2027, "holidays": [{"name": "x", "from": "2027-02-30"}]}', "not a real date"),
        ('{"year": 2027, "holidays": [{"name": "x", "from": "2028-01-01"}]}', "not in 2027"),
        ('{"year": 2027, "holidays": [{"name": "x", "from": "2027-01-03", "to": "2027-01-01"}]}',
         "before"),
        ('{"year": 2027, "holidays": [{"name": "x", "from": "2027-01-01"}],'
         ' "workdays": [{"name": "y", "date": "2027-01-04"}]}', "weekday"),
        ('{"year": 2027, "holidays": [{"name": "x", "from": "2027-01-01", "to": "2027-01-03"}],'
         ' "workdays": [{"name": "y", "date": "2027-01-02"}]}', "also listed as a holiday"),
        ('{"year": 2027, "holidays": []}', "lists its holidays"),
    ],
)  # fmt: skip
def test_a_bad_schedule_file_is_refused_with_the_reason(text, complaint):
    with pytest.raises(BadUserInput, match=complaint):
        parse_schedule(text)
