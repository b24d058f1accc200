"""A table of date expressions and their resolutions against a story date."""

from __future__ import annotations

from datetime import date

import pytest

from dateline.context.dates import find_dates, is_historical, resolve

STORY = "2018-03-23"  # a Friday

# (expression, tense is future, day-first locale, expected value, expected precision)
TABLE = [
    # relative to the story date
    ("today", False, False, "2018-03-23", "day"),
    ("yesterday", False, False, "2018-03-22", "day"),
    ("tomorrow", True, False, "2018-03-24", "day"),
    ("the day before yesterday", False, False, "2018-03-21", "day"),
    ("last night", False, False, "2018-03-22", "day"),
    ("this morning", False, False, "2018-03-23", "day"),
    ("two days ago", False, False, "2018-03-21", "day"),
    ("10 days ago", False, False, "2018-03-13", "day"),
    ("three months ago", False, False, "2017-12", "month"),
    ("five years ago", False, False, "2013", "year"),
    ("last Tuesday", False, False, "2018-03-20", "day"),
    ("on Tuesday", False, False, "2018-03-20", "day"),
    ("on Friday", False, False, "2018-03-23", "day"),
    ("on Friday", True, False, "2018-03-30", "day"),
    ("on Monday", True, False, "2018-03-26", "day"),
    ("next Monday", False, False, "2018-03-26", "day"),
    ("last Friday", False, False, "2018-03-16", "day"),
    ("next week", True, False, "2018-03", "month"),
    ("last week", False, False, "2018-03", "month"),
    ("earlier this month", False, False, "2018-03", "month"),
    ("last month", False, False, "2018-02", "month"),
    ("next month", True, False, "2018-04", "month"),
    ("last year", False, False, "2017", "year"),
    ("earlier this year", False, False, "2018", "year"),
    ("next year", True, False, "2019", "year"),
    # partial: month or day without a year
    ("In February", False, False, "2018-02", "month"),
    ("in March", False, False, "2018-03", "month"),
    ("in December", False, False, "2017-12", "month"),
    ("in February", True, False, "2019-02", "month"),
    ("in May", False, False, "2017-05", "month"),
    ("in late January", False, False, "2018-01", "month"),
    ("mid-March", False, False, "2018-03", "month"),
    ("March 5", False, False, "2018-03-05", "day"),
    ("on March 25", False, False, "2017-03-25", "day"),
    ("on March 25", True, False, "2018-03-25", "day"),
    ("Sept. 16", False, False, "2017-09-16", "day"),
    ("the 5th of March", False, False, "2018-03-05", "day"),
    # absolute
    ("in August 2016", False, False, "2016-08", "month"),
    ("5 March 2018", False, False, "2018-03-05", "day"),
    ("March 5, 2018", False, False, "2018-03-05", "day"),
    ("Monday, March 5, 2018", False, False, "2018-03-05", "day"),
    ("Jan. 3, 2017", False, False, "2017-01-03", "day"),
    ("2018-03-05", False, False, "2018-03-05", "day"),
    ("2017-11", False, False, "2017-11", "month"),
    ("in 2016", False, False, "2016", "year"),
    ("since 1998", False, False, "1998", "year"),
    # numeric, with locale
    ("3/4/2018", False, False, "2018-03-04", "day"),
    ("3/4/2018", False, True, "2018-04-03", "day"),
    ("25/3/2018", False, False, "2018-03-25", "day"),
    ("12/31/17", False, False, "2017-12-31", "day"),
    ("3.4.2018", False, False, "2018-04-03", "day"),
    # ranges resolve to their start
    ("from March 3 to 5", False, False, "2018-03-03", "day"),
    ("March 3-5, 2017", False, False, "2017-03-03", "day"),
    ("between 3 and 5 March 2016", False, False, "2016-03-03", "day"),
    ("from 2014 to 2016", False, False, "2014", "year"),
]


@pytest.mark.parametrize("expr,future,day_first,value,precision", TABLE)
def test_expression_resolves_against_story_date(expr, future, day_first, value, precision):
    assert resolve(expr, STORY, future=future, day_first=day_first) == (value, precision)


def test_table_has_at_least_forty_expressions():
    assert len(TABLE) >= 40


def test_range_reports_its_end():
    (m,) = find_dates("The talks ran from March 3 to 5 in Geneva.", STORY)
    assert m.kind == "range" and m.value == "2018-03-03" and m.range_end == "2018-03-05"


@pytest.mark.parametrize("text", [
    "Two American men may face charges.",
    "Protesters march through the city.",
    "An average of 253,000 firearms cross each year.",
    "He is 45 years old.",
    "They will meet at 10:30.",
])
def test_non_dates_are_not_found(text):
    assert [m.text for m in find_dates(text, STORY) if m.value] == []


def test_relative_dates_need_a_story_date():
    assert resolve("yesterday", None) == (None, None)
    assert resolve("in August 2016", None) == ("2016-08", "month")


def test_historical_when_clearly_before_story_date():
    story = date(2018, 3, 23)
    assert is_historical("2018-02", "month", story)
    assert is_historical("2016-08", "month", story)
    assert not is_historical("2018-03-22", "day", story)
    assert not is_historical("2018-03", "month", story)
    assert not is_historical(None, None, story)
