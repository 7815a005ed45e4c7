# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A pack's account in plain functions: the moves of its hours, in the order
they count, with a running balance over a period."""

from datetime import date
from typing import Any, NamedTuple

# what comes first on a day: the hours given, then those taken, then what
# the pack hands over at its end
PURCHASE, CREDIT, USAGE, ROLLOVER, EXPIRY = range(5)


class LedgerMove(NamedTuple):
    """One move of a pack's hours: ``hours`` signed (added > 0), dated
    ``date`` (shown) and counted on ``on`` (its place in the ledger)."""

    on: date
    kind: int
    date: date
    label: str
    hours: float
    # the timesheet entry of a usage, the credit note of a refund, …
    record: Any = None

    @property
    def entry(self):
        """The timesheet entry of a usage, else None."""
        return self.record if self.kind == USAGE else None


def running_balance(moves, date_from=None, date_to=None):
    """``(opening, [(move, balance)], closing)``: the ``moves`` counted before
    ``date_from`` make the opening balance; those up to ``date_to`` are
    listed in order, each with the balance after it."""
    opening, rows = 0.0, []
    for move in sorted(moves, key=lambda move: (move.on, move.kind)):
        if date_from and move.on < date_from:
            opening += move.hours
        elif not date_to or move.on <= date_to:
            rows.append(move)
    balance, listed = opening, []
    for move in rows:
        balance += move.hours
        listed.append((move, balance))
    return opening, listed, balance
