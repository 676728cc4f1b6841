"""Browser fixtures: the site served by `streamlit run` on a free port, and pages in Debian's Chromium.

No pytest-playwright plugin: the session's one browser (``chromium`` in tests/conftest.py), a fresh
context per test. Without chromium the browser tests are skipped, except in CI (CI set), where they fail.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO, need_chromium
from tests.sample_library import write_sample

ARTIFACTS = REPO / "test-artifacts"
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/126.0.0.0 Mobile Safari/537.36"}
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHART = '[data-testid="stPlotlyChart"] .main-svg'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer {base}/_stcore/health within {timeout:.0f} s")


def serve(app: Path, data: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run app` on a free port; return the process and its base URL."""
    port = free_port()
    env = {**os.environ, "TIMELINES_DATA_DIR": str(data)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=app.parent, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
    except RuntimeError:
        proc.terminate()
        raise
    return proc, base


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium: skipped without it, except in CI (CI set), where it fails."""
    return need_chromium()


@pytest.fixture(scope="session")
def site_data(tmp_path_factory) -> Path:
    """The bundled data/ when it loads with at least one case, else the sample library."""
    from timelines import load_library

    lib = load_library(DATA)
    if lib.cases and not lib.broken_files:
        return DATA
    return write_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def site(chromium_path, site_data) -> str:
    """The running site's base URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    proc, base = serve(REPO / "app.py", site_data, ARTIFACTS / "streamlit.log")
    yield base
    stop(proc)


@pytest.fixture(scope="session")
def browser(chromium):
    """The session's one headless chromium (tests/conftest.py): Playwright's sync API runs once a process."""
    return chromium


@pytest.fixture
def desktop(browser):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
