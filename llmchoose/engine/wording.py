"""Words whose tense depends on the date: one home, so the engine's reasons, reports,
ADRs and checks say the same thing."""

from __future__ import annotations

import datetime as dt

__all__ = ["retirement_phrase"]


def retirement_phrase(retires: dt.date | None, today: dt.date) -> str | None:
    """``retired on D`` for a past date, ``retires today (D)``, else ``is scheduled to
    retire on D``; None when no date is announced."""
    if retires is None:
        return None
    if retires < today:
        return f"retired on {retires.isoformat()}"
    if retires == today:
        return f"retires today ({retires.isoformat()})"
    return f"is scheduled to retire on {retires.isoformat()}"
