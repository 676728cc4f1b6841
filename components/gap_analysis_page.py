"""The page script for the gap analysis: ``gaps_page.render`` drawn from the shared library."""

from __future__ import annotations

from components.data import library

if __name__ == "__main__":
    from components.gaps_page import render

    render(library())
