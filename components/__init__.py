"""The site's pages and shared widgets. Only ``app.py`` and this package import streamlit.

One module per page (``home_page``, ``case_page``, ``compare_page``, ``sources_page``; ``gaps_page``
draws the gap analysis), each with ``render(library)``; a page module is also the script
``st.navigation`` runs (under ``if __name__ == "__main__"``). Shared pieces: ``data`` (the library,
loaded once), ``state`` (URL parameters, checked), ``widgets`` (event detail, table and CSV, cards).
"""
