"""The pure working-day calendar: properties, and every holiday boundary of 2025–2026."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
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
