"""Markdown and HTML from the data are shown literally in every Streamlit text: titles, captions, errors."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.widgets import md
from tests.conftest import CASE, REPO, write_library

HOSTILE = "<script>alert(1)</script> [click](javascript:alert(1)) **bold** $x$ <img src=x onerror=alert(1)>"


@pytest.mark.parametrize("text", [HOSTILE, "- a list", "1. a list", "# a heading", "> a quote", "`code`"])
def test_md_leaves_no_markup(text):
    out = md(text)
    unescaped = re.sub(r"\\.", "", out)  # drop every escaped character: what remains is plain text
    assert not re.search(r"[<>\[\]*`$#|~]", unescaped), out
    assert not re.match(r"^\s*(\d+[.)]|[-+>])\s", unescaped), out


def test_hostile_case_text_is_escaped_on_every_page(tmp_path, monkeypatch):
    case = (CASE.replace("title: Demo case", f"title: {HOSTILE!r}".replace("'", '"', 1)[:-1] + '"')
            .replace("summary: A case for tests.", f'summary: "{HOSTILE}"'))
    root = write_library(tmp_path / "lib", case)
    (root / "cases" / "broken.yaml").write_text("id: broken\nevents: [\n")  # and a problem message
    monkeypatch.setenv("TIMELINES_DATA_DIR", str(root))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    texts += [h.value for h in at.subheader] + [t.value for t in at.title]
    joined = "\n".join(texts)
    assert "alert(1)" in joined  # the text is there ...
    inert = re.sub(r"\\.", "", joined)  # ... and with every escaped character dropped, no markup is left
    assert "<script" not in inert and "<img" not in inert and "](javascript:" not in inert
    assert "**bold**" not in inert
    st.cache_resource.clear()
