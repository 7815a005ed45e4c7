# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The arithmetic of where an hour goes, in plain functions: no record, no
database. The models find and lock the packs, then hand these functions
numbers (hours) and keys (the packs, in the order they are drawn on)."""

from typing import NamedTuple

from odoo.tools import float_round

# hours below this are rounding noise, not time to allocate
HOURS_PRECISION = 0.0001


def round_billed_hours(spent, increment=0.0, minimum=0.0):
    """Hours billed for an entry of ``spent`` hours: rounded up to the
    ``increment``, and at least the ``minimum``. No time (or negative time,
    which the timesheet refuses) is billed as it is."""
    if spent <= 0:
        return spent
    if increment:
        spent = float_round(spent, precision_rounding=increment, rounding_method="UP")
    return max(spent, minimum)


class BillingTerms(NamedTuple):
    """How the hours spent on an entry are billed: multiplied (1.5 after
    hours; 0: no charge), then rounded up to the ``increment`` and at least
    the ``minimum``; ``outside_pack``: billed as overage even while a pack has
    hours left."""

    multiplier: float = 1.0
    increment: float = 0.0
    minimum: float = 0.0
    outside_pack: bool = False

    def bill(self, spent):
        """Hours billed for an entry of ``spent`` hours."""
        if spent <= 0:
            return spent
        # no charge (0 h) is below any minimum: round_billed_hours keeps it
        return round_billed_hours(spent * self.multiplier, self.increment, self.minimum)


def take_hours(hours, packs_left):
    """Draw ``hours`` on packs in order. ``packs_left``: [(pack, hours left)].
    Returns ``(parts, rest)``: [(pack, hours taken)], each pack giving what it
    has left, and the hours that no pack could take (0.0 when they all fit).
    What is below the precision is no part, and no rest."""
    parts, rest = [], hours
    for pack, left in packs_left:
        take = min(left, rest)
        if take > HOURS_PRECISION:
            parts.append((pack, take))
            rest -= take
    return parts, (rest if rest > HOURS_PRECISION else 0.0)


def add_to_last(parts, pack, hours):
    """``parts`` with ``hours`` more on ``pack`` (the customer's last pack,
    which goes negative under the *allow* policy): added to its part when it
    is the last one already, else a part of its own."""
    if parts and parts[-1][0] == pack:
        return parts[:-1] + [(pack, parts[-1][1] + hours)]
    return parts + [(pack, hours)]


def share_spent_hours(spent, parts):
    """The hours ``spent`` on an entry split into ``parts`` ([(pack, hours
    billed)]), shared between the parts like the billed hours: rounded to the
    hundredth, the first part taking the remainder, so that they add up to
    ``spent``."""
    billed = sum(hours for _pack, hours in parts)
    shares = [
        float_round(spent * hours / billed, precision_digits=2) if billed else 0.0
        for _pack, hours in parts[1:]
    ]
    return [spent - sum(shares)] + shares


def refunded_hours(sold, invoiced, refunded):
    """Hours that a pack's credit notes take off it: the hours ``refunded``,
    less those invoiced again beyond the hours ``sold`` (a credit note that
    cancels an invoice issued again takes none)."""
    return max(0.0, refunded - max(0.0, invoiced - sold))
