# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..models.allocation import (
    BillingTerms,
    add_to_last,
    round_billed_hours,
    share_spent_hours,
    take_hours,
)

# a pack of 2 days, in hours (1 day = 8 h)
DAYS_2 = 2 * 8.0


@tagged("post_install", "-at_install")
class TestAllocationArithmetic(BaseCase):
    """The boundaries of where an hour goes, on plain numbers."""

    def test_round_billed_hours(self):
        rows = [
            # spent, increment, minimum, billed
            (1.0, 0.0, 0.0, 1.0),
            (0.1, 0.25, 0.0, 0.25),
            (0.25, 0.25, 0.0, 0.25),
            (0.26, 0.25, 0.0, 0.5),
            (0.1, 0.0, 0.5, 0.5),
            (0.6, 0.25, 0.5, 0.75),
            (0.0, 0.25, 0.5, 0.0),
            (-1.0, 0.25, 0.5, -1.0),
        ]
        for spent, increment, minimum, billed in rows:
            with self.subTest(spent=spent, increment=increment, minimum=minimum):
                self.assertAlmostEqual(
                    round_billed_hours(spent, increment, minimum), billed
                )

    def test_billing_terms(self):
        rows = [
            # spent, multiplier, increment, minimum, billed
            ("plain", 1.0, 1.0, 0.0, 0.0, 1.0),
            ("after hours", 1.0, 1.5, 0.0, 0.0, 1.5),
            ("on site, rounded after", 0.1, 2.0, 0.25, 0.0, 0.25),
            ("on site, minimum", 0.1, 2.0, 0.0, 1.0, 1.0),
            ("no charge beats the minimum", 2.0, 0.0, 0.25, 1.0, 0.0),
            ("no time", 0.0, 2.0, 0.25, 1.0, 0.0),
        ]
        for label, spent, multiplier, increment, minimum, billed in rows:
            with self.subTest(label):
                terms = BillingTerms(multiplier, increment, minimum)
                self.assertAlmostEqual(terms.bill(spent), billed)

    def test_take_hours(self):
        rows = [
            # hours, [(pack, left)], parts, rest
            ("exact fit", 3.0, [("A", 3.0)], [("A", 3.0)], 0.0),
            ("within one", 1.0, [("A", 3.0), ("B", 10.0)], [("A", 1.0)], 0.0),
            (
                "crossing one",
                5.0,
                [("A", 3.0), ("B", 10.0)],
                [("A", 3.0), ("B", 2.0)],
                0.0,
            ),
            (
                "crossing several",
                8.0,
                [("A", 1.0), ("B", 2.0), ("C", 10.0)],
                [("A", 1.0), ("B", 2.0), ("C", 5.0)],
                0.0,
            ),
            ("used up pack skipped", 2.0, [("A", 0.0), ("B", 5.0)], [("B", 2.0)], 0.0),
            (
                "overdrawn pack skipped",
                2.0,
                [("A", -1.0), ("B", 5.0)],
                [("B", 2.0)],
                0.0,
            ),
            (
                "beyond the packs",
                5.0,
                [("A", 1.0), ("B", 2.0)],
                [("A", 1.0), ("B", 2.0)],
                2.0,
            ),
            ("no pack", 2.0, [], [], 2.0),
            ("leftover below the precision", 3.00005, [("A", 3.0)], [("A", 3.0)], 0.0),
            (
                "part below the precision",
                1.0,
                [("A", 0.00005), ("B", 5.0)],
                [("B", 1.0)],
                0.0,
            ),
            (
                "pack in days",
                17.0,
                [("D", DAYS_2), ("B", 5.0)],
                [("D", 16.0), ("B", 1.0)],
                0.0,
            ),
        ]
        for label, hours, packs_left, parts, rest in rows:
            with self.subTest(label):
                got_parts, got_rest = take_hours(hours, packs_left)
                self.assertEqual(
                    [pack for pack, _h in got_parts], [p for p, _h in parts]
                )
                for (_p, got), (_q, want) in zip(got_parts, parts, strict=True):
                    self.assertAlmostEqual(got, want)
                self.assertAlmostEqual(got_rest, rest)

    def test_add_to_last(self):
        """The last pack goes negative under the allow policy."""
        rows = [
            (
                "last pack took a part",
                [("A", 1.0), ("B", 2.0)],
                "B",
                3.0,
                [("A", 1.0), ("B", 5.0)],
            ),
            ("last pack was used up", [("A", 1.0)], "B", 3.0, [("A", 1.0), ("B", 3.0)]),
            ("nothing taken", [], "B", 3.0, [("B", 3.0)]),
        ]
        for label, parts, pack, hours, result in rows:
            with self.subTest(label):
                self.assertEqual(add_to_last(parts, pack, hours), result)

    def test_share_spent_hours(self):
        rows = [
            # spent, [(pack, billed)], shares
            (3.0, [("A", 3.0)], [3.0]),
            (5.0, [("A", 3.0), ("B", 2.0)], [3.0, 2.0]),
            # rounding: 1 h spent billed 1.5 h, 0.5 h on A, 1 h on B
            (1.0, [("A", 0.5), ("B", 1.0)], [0.33, 0.67]),
            # a third each: the first part takes the remainder
            (1.0, [("A", 1.0), ("B", 1.0), ("C", 1.0)], [0.34, 0.33, 0.33]),
            (0.0, [("A", 0.0)], [0.0]),
        ]
        for spent, parts, shares in rows:
            with self.subTest(spent=spent, parts=parts):
                got = share_spent_hours(spent, parts)
                self.assertAlmostEqual(sum(got), spent)
                for got_share, share in zip(got, shares, strict=True):
                    self.assertAlmostEqual(got_share, share)
