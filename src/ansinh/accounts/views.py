"""The accounts pages: log-in with an optional second factor, the administrator's two-factor settings, and
the auditor's search of the audit log (read only: nothing in the app edits or deletes it)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from ansinh.accounts.models import User
from ansinh.accounts.security import LoginForm, client_address, lock_message, lock_minutes_left
from ansinh.audit.selectors import audit_search
from ansinh.accounts.twofactor import second_factor_check, setup_qr_svg, totp_begin, totp_confirm, totp_disable
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.web.views import form_day, page

PER_PAGE = 100
FILTERS = ("action", "username", "obj", "since", "until")


@require_GET
@page
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who did what, when: logins, failed logins, imports, edits, status changes, views and exports of
    personal data — filtered by action, user, object and days."""
    filters = {name: request.GET.get(name, "").strip() for name in FILTERS}
    found = audit_search(
        actor=request.user, action=filters["action"], username=filters["username"], obj=filters["obj"],
        since=form_day(filters["since"]), until=form_day(filters["until"]),
    )
    chosen = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "accounts/audit.html", {"events": chosen, "filters": filters, "query": query})


# ----------------------------------------------------------------------------- log-in and second factor

#: How long the code page waits after the password was accepted.
PENDING_SECONDS = 300
_PENDING = "ansinh_pending_second_factor"


class PasswordThenCodeLoginView(LoginView):
    """Django's log-in page; for an account with a second factor, the password only leads to the code page.

    Nothing is logged in until the code is right: the session holds the pending user for five minutes.
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if not user.has_second_factor:
            return super().form_valid(form)
        self.request.session[_PENDING] = {
            "user": user.pk, "backend": user.backend, "next": self.get_success_url(), "at": time.time(),
        }
        return redirect("accounts:login_code")


def _pending_user(request: HttpRequest) -> tuple[User, dict] | None:
    pending = request.session.get(_PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of a log-in: the six-digit code. A wrong code is a failed log-in (throttled)."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(_PENDING, None)
        return redirect("accounts:login")
    user, pending = found
    error = ""
    if request.method == "POST":
        address = client_address(request)
        if minutes := lock_minutes_left(username=user.username, address=address):
            request.session.pop(_PENDING, None)
            error = lock_message(minutes)
        else:
            try:
                second_factor_check(user=user, code=request.POST.get("code", ""), address=address)
            except PermissionDenied as denied:
                error = denied.message
            else:
                request.session.pop(_PENDING, None)
                login(request, user, backend=pending["backend"])
                return redirect(pending["next"])
    return render(request, "accounts/login_code.html", {"error": error}, status=422 if error else 200)


@require_http_methods(["GET", "POST"])
@page
def two_factor(request: HttpRequest) -> HttpResponse:
    """An administrator's second factor: turn it on (scan, then confirm a code) or off (password and code)."""
    user = request.user
    if not user.is_province_admin:
        raise PermissionDenied("Xác thực hai bước dành cho tài khoản quản trị.")
    error, done = "", ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "begin":
                totp_begin(actor=user)
            elif action == "confirm":
                totp_confirm(actor=user, code=request.POST.get("code", ""))
                done = "Đã bật xác thực hai bước. Từ lần đăng nhập sau, nhập thêm mã trên ứng dụng."
            elif action == "disable":
                totp_disable(actor=user, password=request.POST.get("password", ""), code=request.POST.get("code", ""))
                done = "Đã tắt xác thực hai bước."
        except ValidationFailed as invalid:
            error = invalid.message
    pending_setup = bool(user.totp_secret) and not user.has_second_factor
    context = {
        "error": error, "done": done, "pending_setup": pending_setup,
        "qr_svg": mark_safe(setup_qr_svg(user)) if pending_setup else "",  # noqa: S308 - segno's own SVG
        "secret": user.totp_secret if pending_setup else "",
    }
    return render(request, "accounts/two_factor.html", context, status=422 if error else 200)
