"""Log-in protection: throttling and lockout of password guessing, and the audit rows of every log-in,
failed log-in and log-out. Wired in once (the authentication backend, the log-in form, Django's auth
signals), so the web page, the API's token route and any future door are covered alike."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.dispatch import receiver
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.utils import timezone

from ansinh.accounts.models import LoginFailure
from ansinh.audit.services import audit_record

#: Failed log-ins of one address before it is refused too (many user names guessed from one place).
ADDRESS_FACTOR = 4


def client_address(request) -> str | None:
    """The caller's address as the server sees it (a reverse proxy must pass the real one through)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


def lock_minutes_left(*, username: str, address: str | None) -> int:
    """Whole minutes until log-ins for this user name (or from this address) are accepted again; 0 when
    not locked. Locked after ANSINH_LOGIN_MAX_FAILURES failures within ANSINH_LOGIN_LOCK_MINUTES."""
    window = timedelta(minutes=settings.ANSINH_LOGIN_LOCK_MINUTES)
    since = timezone.now() - window
    recent = LoginFailure.objects.filter(at__gte=since)
    limits = [(recent.filter(username=username.strip().lower()), settings.ANSINH_LOGIN_MAX_FAILURES)]
    if address:
        limits.append((recent.filter(address=address), settings.ANSINH_LOGIN_MAX_FAILURES * ADDRESS_FACTOR))
    left = 0
    for failures, limit in limits:
        times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:
            # Locked until the window has passed since the failure that reached the limit.
            unlock = times[limit - 1] + window
            left = max(left, int((unlock - timezone.now()).total_seconds() // 60) + 1)
    return left


def lock_message(minutes: int) -> str:
    return f"Đăng nhập sai quá nhiều lần: tạm khóa, thử lại sau {minutes} phút."


class ThrottledBackend(ModelBackend):
    """Django's password check, refused outright while the user name or address is locked (so a
    correct password guessed during a lockout still fails)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and lock_minutes_left(username=username, address=client_address(request)):
            raise DjangoPermissionDenied("locked")
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginForm(AuthenticationForm):
    """The log-in form, which says when an account is locked instead of "wrong password"."""

    locked = False

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        minutes = lock_minutes_left(username=username, address=client_address(self.request)) if username else 0
        if minutes:
            self.locked = True
            raise forms.ValidationError(lock_message(minutes), code="locked")
        return super().clean()


@receiver(user_login_failed)
def _failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    address = client_address(request)
    LoginFailure.objects.create(username=username.strip().lower(), address=address)
    audit_record(actor=None, action="login.failed", username=username, address=address)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    LoginFailure.objects.filter(username=user.username.lower()).delete()
    audit_record(actor=user, action="login", address=client_address(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="logout", address=client_address(request))
