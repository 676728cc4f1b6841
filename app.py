"""Prevent case timelines: the site. Run with ``make run`` or ``streamlit run app.py``.

The pages live in ``components/``; this file only sets the page up and lists the pages.
"""

from __future__ import annotations

import streamlit as st

from components import a11y, plotly_view

PAGES = (
    # (script, title, url path)
    ("components/home_page.py", "Home", ""),
    ("components/case_page.py", "Case timeline", "case"),
    ("components/compare_page.py", "Compare", "compare"),
    ("components/gap_analysis_page.py", "Gap analysis", "gaps"),
    ("components/walkthrough_page.py", "Walkthrough", "walkthrough"),
    ("components/sources_page.py", "Sources and method", "sources"),
)

# No icons: the open page's icon becomes the favicon, and a Material icon there is fetched from
# fonts.gstatic.com by every visitor's browser (a request to Google, and a failed one offline).
page = st.navigation(
    [st.Page(script, title=title, url_path=path or None, default=not path) for script, title, path in PAGES],
    position="top",
)
# Each page its own document title (WCAG 2.4.2); the shared focus, header and width-switch CSS.
# With them, plotly.js's basic bundle starts loading with the page's first element, not after its first
# chart has mounted; Home, which has no chart, loads it when idle, for the next page.
a11y.site_chrome("" if page.title == "Home" else page.title,
                 script=plotly_view.preload_script(idle=page.title == "Home"))
page.run()
