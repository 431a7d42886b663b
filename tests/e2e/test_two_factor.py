"""A real browser: an administrator turns on the second factor, logs out, and logs in with password and code."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pyotp
import pytest

from tests.e2e.conftest import CHROMIUM, DEMO_PASSWORD, log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's sync API runs an event loop

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium"),
]


def _code(secret: str, steps_from_now: int) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(datetime.now(timezone.utc)) + steps_from_now)


def test_turn_on_the_second_factor_and_log_in_with_it(browser, demo_data):
    context, page = log_in(browser, demo_data.url, "tinh")
    page.click("#two-factor-link")
    page.click("button:has-text('Bật xác thực hai bước')")
    page.wait_for_selector("#two-factor-qr svg")
    secret = page.inner_text("#two-factor-secret").strip()
    page.fill("input[name=code]", _code(secret, 0))
    page.click("button:has-text('Xác nhận và bật')")
    assert "Đã bật xác thực hai bước" in page.inner_text("#two-factor-done")
    page.click("form button.link:has-text('Đăng xuất')")
    context.close()

    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{demo_data.url}/")
    page.fill("input[name=username]", "tinh")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_url("**/accounts/login/code/")
    page.fill("input[name=code]", "000000")
    page.click("button:has-text('Xác nhận')")
    assert "không đúng" in page.inner_text("#code-error")
    page.fill("input[name=code]", _code(secret, 1))
    page.click("button:has-text('Xác nhận')")
    page.wait_for_selector("#children-table")
    assert page.locator("#children-table tbody tr").count() == 103
    context.close()
