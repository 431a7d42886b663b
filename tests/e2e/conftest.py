"""Browser fixtures: one headless Debian Chromium per session, and the demo data a live server needs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DEMO_PASSWORD = "demo-password-123"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`: no browser download)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_data(live_server):
    """The session's demo data; loaded again if an earlier browser test's flush removed it."""
    from ansinh.targets.models import Plan

    if not Plan.objects.filter(number="53/KH-UBND").exists():
        from ansinh.demo.services import demo_load

        demo_load(password=DEMO_PASSWORD, months=10)
    return live_server


def log_in(browser, url: str, username: str, *, path: str = "/", **options):
    """A new browser context logged in as `username` (the demo password), on `path`; returns (context, page).
    The login form is where any page sends a stranger, so `path` is reached right after logging in."""
    options = {"viewport": {"width": 1400, "height": 900}, "locale": "vi-VN", **options}
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(f"{url}{path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit].primary")  # not the VI/EN buttons: they submit too
    page.wait_for_selector("nav.nav")
    return context, page
