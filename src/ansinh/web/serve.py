"""Serving the web door with waitress (the `serve` and `demo` commands): one place that starts the server."""

from __future__ import annotations

from collections.abc import Callable


def serve_web(*, host: str, port: int, threads: int = 8, say: Callable[[str], None] = print) -> None:
    """Serve the WSGI application until interrupted (Ctrl+C)."""
    from django.core.wsgi import get_wsgi_application
    from waitress import serve

    application = get_wsgi_application()
    say(f"Đang phục vụ tại http://{host}:{port}/ (Ctrl+C để dừng)")
    serve(application, host=host, port=port, threads=threads, ident="ansinh")
