"""After the decision: which places are free, who is offered them next, and whether an
offer may still be answered. Pure: neither Flask nor the database.

A call's places are held by its accepted applicants (offered, not answered yet) and its
confirmed ones. A decline or a lapse gives a place back; the waitlist then offers it, in
its order, to the first one whom one more place keeps within the quotas
(`quotas.next_offer`): a country whose cap is reached is passed over, and the one after
is offered the place instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from app.calls.quotas import Candidate, next_offer

HOLDING = ("accepted", "confirmed")  # states that hold a place
SELECTED = ("accepted", "confirmed", "declined", "lapsed")  # ever offered a place
# Which letter each decided state is owed (a confirmed, declined or lapsed applicant was
# offered a place: their letter is the acceptance).
LETTER_OF = {"accepted": "acceptance", "confirmed": "acceptance", "declined": "acceptance",
             "lapsed": "acceptance", "waitlisted": "waitlist", "regretted": "regret"}


def free_places(places: int, holding: int) -> int:
    """Places nobody holds: never below nought (an override may have offered more)."""
    return max(0, places - holding)


def offers_to_make(places: int, holding: Sequence[Candidate], waitlist: Sequence[Candidate],
                   quotas: Mapping[str, Any]) -> list[Candidate]:
    """Whom to offer the free places to, in order: each next one keeps to the quotas given
    those holding a place and those offered before them. `waitlist` is in rank order."""
    held = list(holding)
    waiting = list(waitlist)
    offered: list[Candidate] = []
    while free_places(places, len(held)) > 0:
        chosen = next_offer(waiting, held, quotas)
        if chosen is None:
            break
        offered.append(chosen)
        held.append(chosen)
        waiting.remove(chosen)
    return offered


def respond_by(now: datetime, confirm_days: int) -> datetime:
    """The deadline of a place offered now."""
    return now + timedelta(days=max(1, confirm_days))


def may_answer(state: str, deadline: datetime | None, now: datetime) -> bool:
    """An offer is confirmed or declined while it is open: accepted and before its
    deadline."""
    return state == "accepted" and deadline is not None and now < deadline


def overdue(state: str, deadline: datetime | None, now: datetime) -> bool:
    return state == "accepted" and deadline is not None and now >= deadline


def letter_kind(state: str) -> str | None:
    return LETTER_OF.get(state)
