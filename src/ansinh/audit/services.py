"""Writing the audit log: one call, inside the transaction of the change it records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansinh.audit.models import AuditEvent

if TYPE_CHECKING:
    from ansinh.accounts.models import User


def audit_record(*, actor: User | None, action: str, obj: object | None = None, **detail: object) -> AuditEvent:
    """Write one audit row; call it inside the transaction of the change it records.

    `actor` is who did it: every write service passes the real user it was given (the operator's
    `system` account for the CLI without `--as`, the demo and scheduled jobs). None only where there is
    nobody to name: a failed log-in (`accounts.security`, `accounts.twofactor`), whose row keeps the
    user name that was tried."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or "") if obj is not None else "",
        detail={key: _jsonable(value) for key, value in detail.items()},
    )


def _jsonable(value: object) -> object:
    if isinstance(value, (str, int, float, bool, type(None), list, dict)):
        return value
    return str(value)
