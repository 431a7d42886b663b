"""What every web page shares: a login, and domain errors answered kindly in one place.

The web door turns `AnSinhError` into a page (or, for htmx, a fragment) with its Vietnamese message and
the error's status (403, 404, 422 …): never a trace. Every app's views use `page`, so this is the one place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ansinh.core.errors import AnSinhError


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
