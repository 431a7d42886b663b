"""What every web page shares: a login, and domain errors answered kindly in one place.

The web door turns `AnSinhError` into a page (or, for htmx, a fragment) with its Vietnamese message and
the error's status (403, 404, 422 …): never a trace. Every app's views use `page`, so this is the one place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ansinh.core.errors import AnSinhError, ValidationFailed
from ansinh.core.numbers import parse_day, parse_int


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def friendly_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Show a domain error as a page (or an htmx fragment) with its Vietnamese message, never a trace."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except AnSinhError as error:
            template = "partials/error.html" if is_htmx(request) else "error.html"
            context = {"error": error, "row_errors": getattr(error, "errors", None)}
            return render(request, template, context, status=error.status_code)

    return wrapped


def page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every page needs a login and shows domain errors kindly."""
    return login_required(friendly_errors(view))


def form_day(text: str) -> date | None:
    """A day as a form writes it (dd/mm/yyyy, the Vietnamese way) or as links carry it (YYYY-MM-DD)."""
    if not text.strip():
        return None
    try:
        return parse_day(text)
    except ValueError as error:
        raise ValidationFailed(str(error)) from None


def form_whole(text: str, default: int, label: str) -> int:
    """A whole number from a form field (empty: `default`); `label` names the field in the message.

    Only the shape is checked here: the range (1–366 days, …) is the selector's rule, with its own message."""
    text = text.strip()
    if not text:
        return default
    try:
        number = parse_int(text)
    except ValueError:
        number = -1
    if number < 0 or text.startswith("-"):
        raise ValidationFailed(f"{label} “{text}” không phải số nguyên dương.")
    return number
