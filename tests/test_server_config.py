"""The Streamlit server's own settings that the site's speed depends on (.streamlit/config.toml)."""

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def test_no_full_garbage_collection_after_every_run():
    """A full collection after each run walks the whole loaded library: it was most of a case page run's
    server time under load (README, Benchmarks). Python's generational collector still runs."""
    runner = tomllib.loads(CONFIG.read_text())["runner"]
    assert runner["postScriptGC"] is False


def test_the_app_serves_its_static_folder():
    """The pages' charts load plotly.js's basic bundle from static/ (components/plotly_view.py)."""
    server = tomllib.loads(CONFIG.read_text())["server"]
    assert server["enableStaticServing"] is True


def test_the_settings_are_ones_streamlit_knows():
    from streamlit import config

    assert {"runner.postScriptGC", "server.enableStaticServing"} <= set(config._config_options_template)
