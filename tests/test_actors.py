"""Every write knows who did it (STYLE rule 4): a rule over the code itself, so new code keeps it.

A test that a service refuses to run without an actor would test Python (a missing keyword argument is a
TypeError). What can slip is the signature: an `actor=None` default, an `actor: User | None` that lets a
caller skip the permission check and write an audit row naming nobody, or a new write that writes an
audit row and takes no actor at all. So every public function of every module is read here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ansinh

#: Functions whose `actor` may be None, and why: there is nobody to name.
ACTOR_MAY_BE_NONE = {
    # The failed log-in's row (accounts.security, accounts.twofactor) has no user; it keeps the name tried.
    "ansinh.audit.services.audit_record",
}
#: Public functions that write an audit row without taking an actor, and why.
NO_ACTOR_PARAMETER = {
    # The actor is the user whose password it checks: there is nobody before that.
    "ansinh.accounts.services.token_issue",
    # At log-in, before anyone is logged in: a wrong code's row is a failed log-in, which names nobody.
    "ansinh.accounts.twofactor.second_factor_check",
    # A restore into an empty database must find it empty, so the operator's `system` account cannot be
    # created first; its row is written afterwards by the restored account (see its docstring).
    "ansinh.ops.backup.backup_restore_as_operator",
}
#: Modules not imported: process entry points, and the schema's history.
SKIPPED = ("ansinh.wsgi", "ansinh.asgi", "ansinh.settings")


def _modules():
    for info in pkgutil.walk_packages(ansinh.__path__, "ansinh."):
        if ".migrations" in info.name or info.name.startswith(SKIPPED):
            continue
        yield importlib.import_module(info.name)


def _public_functions():
    """(dotted name, function) of every public function defined in an `ansinh` module."""
    for module in _modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{module.__name__}.{name}", function


def _writes_audit_row(function) -> bool:
    try:
        return "audit_record(" in inspect.getsource(function)
    except (OSError, TypeError):
        return False


def test_the_walk_sees_the_write_services():
    names = {name for name, _ in _public_functions()}
    assert {"ansinh.targets.services.target_set", "ansinh.ops.backup.backup_restore",
            "ansinh.accounts.twofactor.totp_reset", "ansinh.demo.services.demo_load"} <= names


def test_every_actor_is_a_required_keyword_and_never_none():
    wrong = []
    for name, function in _public_functions():
        actor = inspect.signature(function).parameters.get("actor")
        if actor is None:
            continue
        if actor.kind is not inspect.Parameter.KEYWORD_ONLY:
            wrong.append(f"{name}: `actor` must be keyword-only (after `*`)")
        if actor.default is not inspect.Parameter.empty:
            wrong.append(f"{name}: `actor` has a default ({actor.default!r}): every caller names who acts")
        if "None" in str(actor.annotation) and name not in ACTOR_MAY_BE_NONE:
            wrong.append(f"{name}: `actor: {actor.annotation}`: pass the operator's `User.objects.system()` instead")
    assert not wrong, "\n".join(wrong)


def test_every_function_that_writes_an_audit_row_takes_an_actor():
    missing = [
        name for name, function in _public_functions()
        if _writes_audit_row(function) and "actor" not in inspect.signature(function).parameters
        and name not in NO_ACTOR_PARAMETER
    ]
    assert not missing, f"audit rows written without an actor parameter: {missing}"


def test_the_exceptions_are_still_there():
    """An exception that no longer exists (renamed, removed, or fixed) leaves this list."""
    found = dict(_public_functions())
    assert ACTOR_MAY_BE_NONE | NO_ACTOR_PARAMETER <= set(found)
    assert all("actor" not in inspect.signature(found[name]).parameters for name in NO_ACTOR_PARAMETER)


def test_the_demo_writes_every_row_as_someone(db):
    """The session's demo (units, actuals, plan, targets, users) ran as the operator: no audit row, import
    batch or target names nobody. Only a failed log-in may, and the demo has none."""
    from ansinh.audit.models import AuditEvent
    from ansinh.targets.models import ImportBatch, Target

    nameless = AuditEvent.objects.filter(actor__isnull=True).exclude(action="login.failed")
    assert AuditEvent.objects.exists() and not nameless.exists()
    assert set(AuditEvent.objects.filter(action="actuals.import").values_list("actor__username", flat=True)) == {"system"}
    assert not ImportBatch.objects.filter(actor__isnull=True).exists()
    assert not Target.objects.filter(updated_by__isnull=True).exists()
