"""The offers' jobs: the decision letters (after a signed decision, and every five minutes
for any left over), and the offers that lapse at their deadline (every fifteen minutes)."""

from __future__ import annotations

from datetime import datetime

from app.jobs import enqueue, periodic
from app.offers.services import lapse_offers, send_letters


@periodic("offers.send_letters", minute="*/5")
def letters(now: datetime) -> int:
    return send_letters(now)


@periodic("offers.lapse_offers", minute="*/15")
def lapses(now: datetime) -> int:
    return lapse_offers(now)


def letters_soon() -> None:
    """After the commit of a signed decision: the letters go out within seconds."""
    enqueue(letters.name)
