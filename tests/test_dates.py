"""Partial dates: the window each precision and qualifier allows."""

from __future__ import annotations

import pandas as pd
import pytest

from timelines.dates import DateFormatError, PartialDate, describe, window

T = pd.Timestamp
NS = pd.Timedelta(1, "ns")


@pytest.mark.parametrize(("text", "qualifier", "until", "earliest", "latest"), [
    ("2016", "on", None, T("2016-01-01"), T("2017-01-01") - NS),
    ("2014-10", "on", None, T("2014-10-01"), T("2014-11-01") - NS),
    ("2014-12", "on", None, T("2014-12-01"), T("2015-01-01") - NS),
    ("2020-02", "on", None, T("2020-02-01"), T("2020-03-01") - NS),  # leap year: 29 days
    ("2021-10-15", "on", None, T("2021-10-15"), T("2021-10-16") - NS),
    ("2020-02", "about", None, T("2020-01-01"), T("2020-04-01") - NS),
    ("2016", "about", None, T("2015-01-01"), T("2018-01-01") - NS),
    ("2021-04", "between", "2021-06", T("2021-04-01"), T("2021-07-01") - NS),
    ("2014-11", "between", "2015-01-17", T("2014-11-01"), T("2015-01-18") - NS),
    ("2025-02-12", "before", None, None, T("2025-02-12") - NS),
    ("2019-12", "after", None, T("2020-01-01"), None),
])
def test_window(text, qualifier, until, earliest, latest):
    assert window(text, qualifier, until) == (earliest, latest)


@pytest.mark.parametrize(("text", "message"), [
    ("2019-13", "month 13"),
    ("2019-00", "month 00"),
    ("2021-02-29", "February 2021 has 28 days"),
    ("2019-04-31", "April 2019 has 30 days"),
    ("19-04", "not a date"),
    ("2019/04", "not a date"),
    ("April 2019", "not a date"),
])
def test_impossible_dates_are_refused(text, message):
    with pytest.raises(DateFormatError, match=message):
        PartialDate.parse(text)


def test_leap_day_is_a_date():
    assert PartialDate.parse("2020-02-29").precision == "day"


def test_precision_and_words():
    assert [PartialDate.parse(t).precision for t in ("2016", "2016-12", "2016-12-01")] == ["year", "month", "day"]
    assert describe("2014-10") == "October 2014"
    assert describe("2021-10-15") == "15 October 2021"
    assert describe("2020-02", "about") == "about February 2020"
    assert describe("2021-04", "between", "2021-06") == "between April 2021 and June 2021"
    assert describe("2025-02-12", "before") == "before 12 February 2025"
