"""A real headless Chromium (Debian's), driven by Playwright, for the page tests.

Locally, without chromium, the browser tests are skipped with a message saying
how to install it; in CI (CI set) a missing browser fails them instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    reason = None
    if not (shutil.which("chromium") or Path(CHROMIUM).exists()):
        reason = f"no chromium at {CHROMIUM}; install it with `apt-get install -y chromium`"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed; `pip install -e '.[test]'`"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
