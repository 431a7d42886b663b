"""`ansinh bench web`: N simulated officers using the dashboard and the API of a running An Sinh.

Loopback only and bounded in time: the server (`ansinh serve`, the same WSGI server as production) runs in
a child process on a free local port against the configured database (the demo province must be loaded);
each simulated user logs in once, then loops for the given seconds: the province dashboard, a commune's
page, the attainment API, with a think time between requests, as an officer reading the dashboard does.
Users arrive spread over a ramp (by default one think time), as locust's spawn rate does: officers do not
all click at the same instant, and a generator that starts them in lockstep measures its own burst.
The figures are per page: requests and errors over the whole run; p50, p95 and the slowest once the
warm-up is over (the first seconds, while a fresh server computes each dashboard once); and p95 over the
whole run too, so the warm-up's cost is shown, not hidden. The dashboard's steady p95 is held against the
target (300 ms at 50 users).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass

from ansinh.core.errors import ValidationFailed

TARGET_P95_MS = 300
#: What a simulated officer opens, in turn (name → path).
PAGES = {"dashboard": "/", "commune": "/units/31135/", "api.attainment": "/api/v1/attainment?unit=92"}


@dataclass(frozen=True)
class PageFigures:
    page: str
    requests: int  # the whole run, warm-up included
    errors: int  # the whole run, warm-up included
    p50_ms: float  # after the warm-up, as the three below
    p95_ms: float
    max_ms: float
    p95_whole_run_ms: float


@dataclass(frozen=True)
class LoadResult:
    users: int
    seconds: float
    think_seconds: float
    ramp_seconds: float
    warmup_seconds: float
    pages: list[PageFigures]
    target_p95_ms: int = TARGET_P95_MS

    @property
    def dashboard(self) -> PageFigures:
        return next(page for page in self.pages if page.page == "dashboard")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            why = server.stderr.read().decode(errors="replace")[-500:]
            raise ValidationFailed(f"Máy chủ web dừng trước khi trả lời: {why}")
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise ValidationFailed("Máy chủ web không trả lời sau 60 giây.")


def _session(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    """A browser-like session: the log-in form read for its CSRF token, then posted."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=body, headers={"Referer": f"{base}/accounts/login/"})
    answer = opener.open(request, timeout=30)
    if "/accounts/login/" in answer.geturl():
        raise ValidationFailed(f"Không đăng nhập được bằng tài khoản “{username}” (kiểm tra ANSINH_DEMO_PASSWORD).")
    return opener


def _user(base: str, opener, start: float, until: float, think: float, seed: int, samples: dict, lock: threading.Lock) -> None:
    """One officer: each page in turn, a think time after each; samples[page] gets (when, ms, failed)."""
    rng = random.Random(seed)
    time.sleep(max(0.0, start - time.monotonic()))
    while time.monotonic() < until:
        for name, path in PAGES.items():
            started = time.perf_counter()
            try:
                with opener.open(f"{base}{path}", timeout=60) as answer:
                    answer.read()
                    failed = answer.status >= 400
            except (urllib.error.URLError, OSError):
                failed = True
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                samples[name].append((time.monotonic(), elapsed, failed))
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            if time.monotonic() >= until:
                return


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def load_test(
    *, users: int, seconds: float, think: float, username: str, password: str, threads: int = 8, ramp: float | None = None,
    warmup: float = 5.0,
) -> LoadResult:
    """Start the server, run `users` simulated officers for `seconds` (arriving over `ramp` seconds, one
    think time unless given; the first `warmup` seconds reported apart), stop the server, return the figures."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-c", "from ansinh.cli import main; main()", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--threads", str(threads)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ},
    )
    try:
        _wait_until_up(base, server)
        sessions = [_session(base, username, password) for _ in range(users)]
        samples: dict[str, list[tuple[float, float, bool]]] = defaultdict(list)
        lock = threading.Lock()
        began = time.monotonic()
        until = began + seconds
        ramp = think if ramp is None else ramp
        workers = [
            threading.Thread(
                target=_user, args=(base, session, began + ramp * seed / users, until, think, seed, samples, lock),
                daemon=True,
            )
            for seed, session in enumerate(sessions)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=seconds + 120)
    finally:
        server.terminate()
        server.wait(timeout=30)
    pages = [_figures(name, samples[name], began + warmup) for name in PAGES]
    return LoadResult(users, seconds, think, ramp, warmup, pages)


def _figures(name: str, samples: list[tuple[float, float, bool]], warm_from: float) -> PageFigures:
    answered = [ms for _, ms, failed in samples if not failed]
    steady = [ms for when, ms, failed in samples if not failed and when >= warm_from]
    return PageFigures(
        name, len(samples), sum(1 for *_, failed in samples if failed),
        round(statistics.median(steady), 1) if steady else 0.0, round(_percentile(steady, 0.95), 1),
        round(max(steady, default=0.0), 1), round(_percentile(answered, 0.95), 1),
    )


def as_json(result: LoadResult) -> str:
    from dataclasses import asdict

    return json.dumps({**asdict(result), "dashboard_p95_over_target": round(result.dashboard.p95_ms / TARGET_P95_MS, 2)}, ensure_ascii=False)
