"""The site under Streamlit's AppTest: every page opens, the chart holds one marker per visible event,
a URL restores the view, widget changes reach the URL, and hostile or broken input gets a message."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.charts import sent_charts
from tests.conftest import DATA, REPO, write_library
from tests.sample_library import CONTEXT_EVENTS, DEMO_EVENTS, write_sample
from timelines import load_library
from timelines.figures import event_key, filter_events

APP = str(REPO / "app.py")
PAGES = {
    "home": "components/home_page.py",
    "case": "components/case_page.py",
    "compare": "components/compare_page.py",
    "gaps": "components/gap_analysis_page.py",
    "walkthrough": "components/walkthrough_page.py",
    "sources": "components/sources_page.py",
}


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """st.cache_data and st.cache_resource outlive an AppTest: start every test without them."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    return write_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture
def sample(sample_dir, monkeypatch) -> Path:
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(sample_dir))
    return sample_dir


def _real_data_usable() -> bool:
    lib = load_library(DATA)
    return bool(lib.cases) and not lib.broken_files


@pytest.fixture
def site_data(sample_dir, monkeypatch) -> Path:
    """The bundled data/ when it loads, else the sample library."""
    root = DATA if _real_data_usable() else sample_dir
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(root))
    return root


def open_page(page: str, **params: str | list[str]) -> AppTest:
    """Run the app, go to ``page`` with URL ``params``, and return the finished run."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    for name, value in params.items():
        at.query_params[name] = value
    if page != "home":
        at.switch_page(PAGES[page])
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def chart_spec(at: AppTest, n: int = 0) -> dict:
    return sent_charts(at)[n].spec


def drawn_keys(spec: dict) -> list[str]:
    return [k for t in spec["data"] if t.get("meta", {}).get("role") == "event" for k in t.get("customdata", [])]


def url(at: AppTest, name: str) -> list[str]:
    """Every value of a URL parameter after the run (AppTest gives one value as a str)."""
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning] + [e.value for e in at.error]
    parts += [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(parts)


# --- every page --------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_opens_without_exception(site_data, page):
    at = open_page(page)
    assert at.title, "each page has a title"
    assert not at.exception


def test_the_home_page_has_a_card_per_case_with_its_key_figures(sample):
    at = open_page("home")
    labels = [m.label for m in at.metric]
    n_cases = len(load_library(sample).cases)
    assert labels.count("Referrals to Prevent") == n_cases
    assert labels.count("Missed opportunities found by reviews") == n_cases
    values = {(m.label, m.value) for m in at.metric}
    assert ("Time in Channel", "6 to 7 months") in values
    assert ("Time in Channel", "Never adopted") in values
    assert "Content note" in texts(at)
    assert "Data last updated" in texts(at)


def test_the_table_opens_from_the_url_and_stays_in_it(sample):
    closed = open_page("case")
    assert not closed.dataframe, "the table is built only when asked for"
    opened = open_page("case", table="open")
    assert len(opened.dataframe[0].value) == DEMO_EVENTS + CONTEXT_EVENTS
    assert url(opened, "table") == ["open"]
    labels = [d.label for d in opened.get("download_button")]
    assert labels.count("Download this table (CSV)") == 1
    assert not [d for d in closed.get("download_button") if "CSV" in d.label]


def test_every_chart_offers_server_rendered_slide_images(sample):
    from timelines import export

    if not export.available():
        pytest.skip("no chromium: the page says slide images need it")
    for page in ("case", "compare", "gaps", "walkthrough"):
        at = open_page(page)
        labels = [d.label for d in at.get("download_button")]
        # Each chart is sent twice, wide and compact (CSS shows one); only the wide one makes slides.
        n_charts = len([c for c in sent_charts(at) if not c.spec["layout"]["meta"].get(
            "compact")])
        assert n_charts and labels.count("Slide image, PNG 2560 x 1440") == n_charts, page
        assert labels.count("Slide image, SVG (16:9)") == n_charts, page


def test_every_chart_says_its_hover_summary_stays_and_the_table_holds_the_same(sample):
    """WCAG 1.4.13: Plotly's hover summary cannot be dismissed with Esc, so each chart says so and points
    to the table that holds the same information, on every page and at either width."""
    from components.widgets import HOVER_NOTE

    for page in ("case", "compare", "walkthrough", "gaps", "sources"):
        for params in ({}, {"layout": "narrow"}):
            at = open_page(page, **params)
            notes = [c for c in at.caption if c.value == HOVER_NOTE]
            assert len(notes) == len(sent_charts(at)), (page, params)
    assert "Esc" in HOVER_NOTE and "table" in HOVER_NOTE


def test_each_chart_is_sent_in_the_one_variant_the_width_needs(sample):
    """The compact layout follows the width the page has, as the browser's probe reports it (the media
    query of the CSS), not the browser's User-Agent; only that variant is sent, in its width container."""
    from components import a11y

    for page in ("case", "compare", "walkthrough", "gaps", "sources"):
        wide = open_page(page)
        assert [c.spec["layout"]["meta"].get("compact", False)
                for c in sent_charts(wide)] == [False] * len(sent_charts(wide)), page
        narrow = open_page(page, layout="narrow")
        compact = [c.spec["layout"]["meta"] for c in sent_charts(narrow)]
        assert all(m.get("compact") or m.get("vertical") for m in compact), page
        assert len(compact) == len(sent_charts(wide)), f"{page}: the same charts at either width"
        assert compact or page == "sources", page  # the sample library has no national statistics
    case = [c.spec["layout"]["meta"] for c in sent_charts(open_page("case", layout="narrow"))]
    assert [m.get("vertical", False) for m in case] == [True], "a phone gets the vertical timeline"
    assert f"@media (max-width: {a11y.NARROW_PX}px)" in a11y.SITE_CSS
    assert f"matchMedia('(max-width: {a11y.NARROW_PX}px)')" in a11y.PROBE, "the probe asks what the CSS asks"
    assert '[class*="st-key-wide-"] { display: none' in a11y.SITE_CSS


def test_a_phone_reads_the_gap_summary_a_measure_a_row(sample):
    """On a phone, the cases at a glance are turned: a measure a row and a case a column, every figure on
    the screen; on a wide screen, the sortable table with a row a case. Both hold the same figures."""
    wide = open_page("gaps").dataframe[0].value
    narrow_page = open_page("gaps", layout="narrow")
    turned = narrow_page.table[0].value
    assert list(turned.columns) == list(wide["Case"])
    assert list(turned.index) == list(wide.columns[1:])
    for case in wide["Case"]:
        row = wide[wide["Case"] == case].iloc[0]
        assert [str(v) for v in turned[case]] == [str(v) for v in row.iloc[1:]]
    assert len(narrow_page.table) == 1, "only the summary is turned"


def _lists(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if 'class="tl-records"' in h.proto.body]


def test_on_a_phone_every_table_too_wide_for_it_is_read_a_row_at_a_time(site_data):
    """The gap page on a phone: each table the wide page shows as a grid, and whose columns would not fit a
    phone, comes as records holding every value of the grid; a table that fits stays a grid."""
    from components.widgets import OPEN_RECORDS, fits_a_phone

    wide, narrow = open_page("gaps"), open_page("gaps", layout="narrow")
    grids = [d.value for d in wide.dataframe[1:]]  # the first, the cases at a glance, is turned on a phone
    too_wide = [g for g in grids if not fits_a_phone(g)]
    lists = _lists(narrow)
    assert too_wide and len(lists) == len(too_wide)
    assert len(narrow.dataframe) == len(grids) - len(too_wide)
    assert not _lists(wide), "a wide page keeps its grids"
    labels = [e.label for e in narrow.expander if "a row at a time" in e.label]
    assert len(labels) == len(too_wide)
    for grid, body, label in zip(too_wide, lists, labels, strict=True):
        assert body.count("<li>") == len(grid) and f"({len(grid)} row" in label
        for value in grid.to_numpy().ravel():
            text = "" if pd.isna(value) else str(value).strip()
            assert html.escape(text) in body, text
    opened = [e.proto.expanded for e in narrow.expander if "a row at a time" in e.label]
    assert opened == [len(g) <= OPEN_RECORDS for g in too_wide], "a short list starts open, a long one closed"


def test_the_width_reported_by_the_browser_is_kept_for_the_session_and_left_out_of_the_url(sample):
    from components.a11y import LAYOUT_KEY

    at = open_page("case", layout="narrow")
    assert "layout" not in at.query_params, "the URL stays the view's, shareable at any width"
    assert at.session_state[LAYOUT_KEY] == "narrow"
    at.run()  # a rerun without the parameter keeps the session's layout
    assert [c.spec["layout"]["meta"].get("vertical") for c in sent_charts(at)] == [True]
    at.query_params["layout"] = "wide"  # the window widened: the probe says so
    at.run()
    assert [c.spec["layout"]["meta"].get("vertical", False)
            for c in sent_charts(at)] == [False]
    at.query_params["layout"] = "sideways"  # a value the site does not know changes nothing
    at.run()
    assert at.session_state[LAYOUT_KEY] == "wide" and not at.exception


def test_the_sources_page_lists_every_source_with_its_events(sample):
    at = open_page("sources")
    table = at.dataframe[0].value
    assert set(table["Publisher"]) == {"Home Office", "A newspaper"}
    assert set(table["Primary or secondary"]) == {"Primary", "Secondary"}
    assert "Demo: The attack" in " ".join(table["Events"])
    gaps = at.dataframe[1].value
    assert list(gaps["Sources state"]) == ["at least 6"] and list(gaps["Recorded here"]) == [4]
    assert list(gaps["Stated by"]) == ["Home Office"]


# --- the case page: one marker per visible event ----------------------------------------------------

CASE_VIEWS = [
    pytest.param({}, id="default"),
    pytest.param({"case": "other"}, id="other-case"),
    pytest.param({"context": "false"}, id="no-context"),
    pytest.param({"kind": ["referral", "decision"]}, id="two-kinds"),
    pytest.param({"agency": "ctp_prevent", "context": "false"}, id="one-agency"),
    pytest.param({"years": ["2019", "2020"]}, id="years"),
]


@pytest.mark.parametrize("params", CASE_VIEWS)
def test_the_chart_holds_one_marker_per_visible_event(sample, params):
    at = open_page("case", table="open", **params)
    lib = load_library(sample)
    kinds = params.get("kind", [])
    agencies = [params["agency"]] if "agency" in params else []
    years = tuple(int(y) for y in params["years"]) if "years" in params else None
    rows = filter_events(lib.events, case_id=params.get("case", "demo"), kinds=kinds, agencies=agencies,
                         years=years, show_context=params.get("context") != "false")
    expected = Counter(event_key(e, layer=layer) for e, layer in zip(rows["event_id"], rows["layer"], strict=True))
    assert Counter(drawn_keys(chart_spec(at))) == expected
    n_case = int((rows["layer"] == "case").sum())
    total = DEMO_EVENTS if params.get("case", "demo") == "demo" else 2
    assert f"Showing {n_case} of {total} events" in texts(at)
    assert len(at.dataframe[0].value) == len(rows)  # the table beside the chart: the same events


def test_the_real_case_charts_hold_one_marker_per_event(site_data):
    lib = load_library(site_data)
    for case_id in lib.cases:
        at = open_page("case", case=case_id)
        rows = filter_events(lib.events, case_id=case_id)
        keys = drawn_keys(chart_spec(at))
        assert len(keys) == len(set(keys)) == len(rows)


# --- shareable views ---------------------------------------------------------------------------------

def test_a_url_restores_the_whole_view(sample):
    at = open_page("case", case="demo", kind=["referral", "decision"], agency=["school", "ctp_prevent"],
                   years=["2019", "2021"], context="false", event="closed")
    assert at.selectbox(key="case").value == "demo"
    assert at.multiselect(key="kind").value == ["referral", "decision"]
    assert at.multiselect(key="agency").value == ["school", "ctp_prevent"]
    assert at.slider(key="years").value == (2019, 2021)
    assert at.toggle(key="context").value is False
    assert at.selectbox(key="event").value == "closed"
    spec = chart_spec(at)
    assert sorted(drawn_keys(spec)) == ["closed", "referral", "second-referral"]
    (ring,) = [t for t in spec["data"] if t["meta"]["role"] == "selected"]
    assert ring["meta"]["keys"] == ["closed"]
    assert "Referral closed" in [h.value for h in at.subheader]
    assert "The referral should not have been closed." in texts(at)
    assert not at.warning


def test_the_filters_are_built_when_opened_and_keep_their_values_when_closed(sample):
    at = open_page("case")
    assert not at.multiselect and not at.slider, "a closed filter box sends no widget"
    at.session_state["filters"] = True  # the reader opens the box
    at.run()
    at.multiselect(key="kind").set_value(["referral"]).run()
    at.slider(key="years").set_value((2019, 2021)).run()
    filtered = drawn_keys(chart_spec(at))
    at.session_state["filters"] = False  # and closes it again
    at.run()
    assert not at.multiselect and not at.slider and not at.exception
    at.run()
    assert drawn_keys(chart_spec(at)) == filtered and url(at, "kind") == ["referral"]
    at.session_state["filters"] = True
    at.run()
    assert at.multiselect(key="kind").value == ["referral"] and at.slider(key="years").value == (2019, 2021)


def test_changing_a_widget_changes_the_url(sample):
    at = open_page("case")
    at.session_state["filters"] = True
    at.run()
    at.multiselect(key="kind").set_value(["referral", "attack"]).run()
    assert url(at, "kind") == ["referral", "attack"]
    at.toggle(key="context").set_value(False).run()
    assert url(at, "context") == ["false"]
    at.slider(key="years").set_value((2019, 2022)).run()
    assert url(at, "years") == ["2019", "2022"]
    at.selectbox(key="event").set_value("second-referral").run()
    assert url(at, "event") == ["second-referral"]
    at.selectbox(key="case").set_value("other").run()
    assert url(at, "case") == ["other"]
    assert "event" not in at.query_params  # the event belonged to the other case
    at.multiselect(key="kind").set_value([]).run()
    assert "kind" not in at.query_params  # defaults stay out of the URL


def test_an_event_shows_its_sources_findings_and_disputes(sample):
    at = open_page("case", event="referral")
    shown = texts(at)
    assert "Where the sources disagree" in shown
    assert "December 2019" in shown and "January 2020" in shown
    assert "Home Office" in shown and "A newspaper" in shown
    # Markup in the data is shown as text: no bold, link or maths from it.
    assert "\\*starred\\*" in shown and "\\[link\\]" in shown and "\\$maths\\$" in shown


def test_the_compare_page_restores_its_alignment_and_event(sample):
    at = open_page("compare", align="first_referral", selected="demo:closed")
    assert at.radio(key="align").value == "first_referral"
    spec = chart_spec(at)
    xs = {k: x for t in spec["data"] if t["meta"]["role"] == "event" for k, x in
          zip(t["customdata"], t["x"], strict=True)}
    assert xs["demo:referral"] == pytest.approx(0, abs=1e-9)
    assert "Referral closed" in [h.value for h in at.subheader]
    assert at.table, "the key measures side by side"


# --- hostile and broken input -------------------------------------------------------------------------

HOSTILE = [
    pytest.param("case", {"case": "nope"}, id="unknown-case"),
    pytest.param("case", {"case": "../../etc/passwd"}, id="path-like-case"),
    pytest.param("case", {"case": "<script>alert(1)</script>"}, id="markup-case"),
    pytest.param("case", {"kind": ["referral", "<img src=x onerror=alert(1)>"]}, id="markup-kind"),
    pytest.param("case", {"agency": "../../../root"}, id="path-like-agency"),
    pytest.param("case", {"years": ["twenty", "2020"]}, id="malformed-years"),
    pytest.param("case", {"years": ["1066", "2020"]}, id="years-out-of-range"),
    pytest.param("case", {"years": "2019"}, id="one-year"),
    pytest.param("case", {"context": "maybe"}, id="malformed-flag"),
    pytest.param("case", {"event": "<script>x</script>"}, id="markup-event"),
    pytest.param("case", {"case": ["demo", "other"]}, id="two-cases"),
    pytest.param("compare", {"align": "sideways"}, id="unknown-alignment"),
    pytest.param("compare", {"selected": "demo:../../x"}, id="path-like-selection"),
]


@pytest.mark.parametrize("page, params", HOSTILE)
def test_hostile_parameters_get_a_friendly_message(sample, page, params):
    at = open_page(page, **params)
    assert at.warning, "the reader is told the link was not understood"
    for warning in at.warning:
        assert "<" not in warning.value and ">" not in warning.value
        assert "alert(1)" not in warning.value.replace("`", "") or "script" not in warning.value
    assert sent_charts(at), "the page still shows its chart"


def test_backwards_years_are_turned_round(sample):
    at = open_page("case", years=["2021", "2019"], context="false")
    assert at.slider(key="years").value == (2019, 2021)
    assert at.info and "runs backwards" in at.info[0].value


def test_a_broken_case_file_is_named_while_the_other_cases_show(tmp_path, monkeypatch):
    root = write_sample(tmp_path / "lib")
    (root / "cases" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(root))
    at = open_page("case")
    errors = " ".join(e.value for e in at.error)
    assert "problem" in errors and "broken.yaml" in errors
    assert "cases/broken.yaml:3: (file): YAML syntax error" in " ".join(c.value for c in at.code)
    assert at.selectbox(key="case").options == ["Demo: two referrals, one missed chance",
                                                 "Other: adopted, exited quickly"]
    assert drawn_keys(chart_spec(at))


def test_pages_open_with_no_data_at_all(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(tmp_path / "missing"))
    for page in PAGES:
        at = open_page(page)
        assert not at.exception
    assert at.error  # the problem (no data folder) is named


def test_one_case_library_opens(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(write_library(tmp_path / "one")))
    for page in ("home", "case", "compare"):
        assert not open_page(page).exception


# --- a click on the chart ------------------------------------------------------------------------------

def _click_script():
    import streamlit as st

    from components import widgets

    st.session_state["chart"] = {"selection": {"points": [{"curve_number": 3, "customdata": "attack"}]}}
    st.session_state["empty"] = {"selection": {"points": []}}
    st.write(widgets.selected_key("chart"), widgets.selected_key("empty"), widgets.selected_key("absent"))


def test_a_click_reads_the_event_key_from_customdata():
    at = AppTest.from_function(_click_script).run()
    assert at.markdown[0].value == "attack `None` `None`"


def test_a_phone_gets_the_table_in_the_columns_that_fit(sample):
    from components.widgets import narrow_table

    wide = open_page("case", table="open").dataframe
    narrow = open_page("case", table="open", layout="narrow").dataframe
    assert len(wide) == len(narrow) == 1, "one table sent, in the variant the width needs"
    wide, narrow = wide[0].value, narrow[0].value
    assert len(narrow) == len(wide) and list(narrow.columns) == ["Date", "Event", "Missed"]
    assert all(len(short) <= len(full) for short, full in zip(narrow["Date"], wide["Date"], strict=True))
    table = pd.DataFrame({"Date": ["between December 2019 and March 2020"], "Event": ["x"],
                          "Missed opportunity": ["Yes"], "Kind": ["k"]})
    assert narrow_table(table).to_dict("records") == [{"Date": "between Dec 2019 and Mar 2020", "Event": "x",
                                                       "Missed": "Yes"}]
