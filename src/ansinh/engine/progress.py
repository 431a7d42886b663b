"""The one shape in which a long job reports how far it has come, whatever door started it.

A job calls `progress(label, fraction)`: `label` says in Vietnamese what it is doing now, `fraction` how
much of the whole is done (0–1), or None when it cannot tell (a step of an engine pipeline: the engine
does not say how far into a query it is). The CLI draws a rich bar (a spinner for None), the web a
progress bar, a test a list; a job started without one reports to `no_progress`. One shape means a
door needs one adapter, not one per pipeline.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, label: str, fraction: float | None = None, /) -> None: ...


def no_progress(label: str, fraction: float | None = None, /) -> None:
    """Report to no one: the default of every job, so that none has to test for a missing callback."""


def suffixed(progress: Progress, suffix: str) -> Progress:
    """`progress` with `suffix` after each label: a part of a job run several times (" (2/3)" for the
    second of three slices) says which time it is."""

    def report(label: str, fraction: float | None = None, /) -> None:
        progress(label + suffix, fraction)

    return report
