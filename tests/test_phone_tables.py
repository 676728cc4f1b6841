"""A table on a phone: a grid when its columns fit the screen, else a list of records read down the page."""

from __future__ import annotations

import html
import re

import pandas as pd

from components.widgets import fits_a_phone, records_html

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def test_a_table_fits_a_phone_only_when_every_column_does():
    assert fits_a_phone(pd.DataFrame({"Year": [2019, 2020], "Referrals": ["6,119", "4,915"]}))
    assert not fits_a_phone(pd.DataFrame({"Event": ["Referred to Prevent by his school or college"],
                                          "Date": ["October 2014"]}))
    assert not fits_a_phone(pd.DataFrame({"A": ["x"], "Shortest (days)": [1], "Longest (days)": [2],
                                          "Time to the attack": ["y"]})), "headings count too"


def test_each_row_is_a_record_headed_by_its_first_column_with_every_filled_column_under_it():
    table = pd.DataFrame({
        "Event": ["Referral", "Home visit"],
        "Date": ["October 2014", "November 2014"],
        "Found by": ["Learning review", None],
        "Shortest (days)": [12.0, float("nan")],
        "Note": ["", "  "],
    })
    out = records_html(table)
    items = re.findall(r"<li>(.*?)</li>", out)
    assert len(items) == 2
    first, second = items
    assert '<span class="sr-only">Event: </span>Referral</p>' in first, "the heading says which column it is"
    assert "<dt>Date</dt> <dd>October 2014</dd>" in first and "<dt>Found by</dt> <dd>Learning review</dd>" in first
    assert "<dt>Shortest (days)</dt> <dd>12.0</dd>" in first
    assert "Found by" not in second and "Shortest" not in second, "an empty value is left out, not shown blank"
    assert "Note" not in out


def test_a_record_shows_the_data_as_text_and_links_only_web_addresses():
    table = pd.DataFrame({"Title": [HOSTILE, "Plain"], "Link": ["javascript:alert(1)", "https://www.gov.uk/x?a=1&b=2"]})
    out = records_html(table, links={"Link"})
    assert "<script" not in out and "<img" not in out
    assert html.escape(HOSTILE) in out, "the text is all there, escaped"
    assert out.count("<a ") == 1 and '<a href="https://www.gov.uk/x?a=1&amp;b=2">' in out
    assert "<dd>javascript:alert(1)</dd>" in out, "an address that is not a web page stays text"
