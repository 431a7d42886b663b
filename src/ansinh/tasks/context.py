"""The count of duties waiting on the user, shown beside "Nhiệm vụ" in the navigation on every page."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest

#: Days ahead a duty counts as waiting (as in the reminder e-mails).
SOON_DAYS = 7


def waiting_duties(request: HttpRequest) -> dict:
    """Overdue or due within a week of the reporting day (the period asked for, else the last month with
    data), not handed in, for the user's agencies (one COUNT query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from ansinh.core.errors import ValidationFailed
    from ansinh.tasks.selectors import as_of, occurrences_visible

    try:
        day = as_of(actor=user, period=request.GET.get("period", ""))
    except ValidationFailed:  # a bad period is the page's to refuse; the count falls back to the default
        day = as_of(actor=user)
    waiting = occurrences_visible(actor=user).filter(submitted_on__isnull=True, due_on__lte=day + timedelta(days=SOON_DAYS))
    return {"waiting_duties": waiting.count()}
