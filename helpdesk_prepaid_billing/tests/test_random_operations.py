# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import random
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PrepaidBillingCommon

PRECISION = 0.001


@tagged("post_install", "-at_install")
class TestRandomOperations(PrepaidBillingCommon):
    """A few hundred everyday operations in random order (fixed seed); after
    each one the billing invariants hold and every pack's Delivered and hours
    left equal what a plain sum of its entries says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.third_customer = cls.env["res.partner"].create(
            {"name": "Durand SAS", "is_company": True}
        )
        cls.customers = cls.customer | cls.other_customer | cls.third_customer
        cls.plain_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Internal",
                "allow_timesheet": True,
                "default_project_id": cls.project.id,
            }
        )
        cls.product_overage = cls.env["product.product"].create(
            {
                "name": "Overage",
                "type": "service",
                "list_price": 100.0,
                "uom_id": cls.uom_hour.id,
                "uom_po_id": cls.uom_hour.id,
                "service_policy": "delivered_timesheet",
                "taxes_id": [Command.clear()],
            }
        )
        cls.team.overage_product_id = cls.product_overage

    def _run(self, policy, seed, steps=200):
        rng = random.Random(seed)
        self.team.prepaid_overage_policy = policy
        today = fields.Date.context_today(self.env.user)
        packs = self.env["sale.order.line"]
        for customer, hours, days in ((self.customer, 4, 40), (self.customer, 6, 20)):
            packs |= self._sell(
                customer,
                hours,
                order_date=fields.Datetime.now() - timedelta(days=days),
            )
        tickets = self.env["helpdesk.ticket"]
        for customer in self.customers:
            tickets |= self._create_ticket(customer) | self._create_ticket(customer)

        def log():
            self._log(
                rng.choice(tickets),
                rng.choice([0.25, 0.5, 1, 1.5, 2, 3.5]),
                date=today - timedelta(days=rng.randint(0, 10)),
            )

        def entry():
            return rng.choice(tickets.timesheet_ids or self._log(tickets[0], 1))

        def sell():
            nonlocal packs
            if len(packs) < 8:
                packs |= self._sell(rng.choice(self.customers), rng.choice([2, 5, 8]))

        def cancel():
            confirmed = packs.filtered(lambda p: p.state == "sale")
            if len(confirmed) > 2:
                rng.choice(confirmed).order_id._action_cancel()

        def shorten():
            oldest = packs.filtered(lambda p: p.state == "sale")[:1]
            if oldest:
                oldest.prepaid_end_date = max(
                    today - timedelta(days=rng.randint(2, 8)),
                    oldest.order_id.date_order.date(),
                )

        def invoice():
            orders = packs.order_id.filtered(
                lambda o: o.state == "sale" and not o.invoice_ids
            )
            if orders:
                orders[:1]._create_invoices().action_post()

        def switch_settings():
            self.team.write(
                rng.choice(
                    [
                        {"use_helpdesk_sale_timesheet": False},
                        {"use_helpdesk_sale_timesheet": True},
                        {"use_helpdesk_sale_timesheet": True},
                        {"prepaid_rounding_unit": 0.25},
                        {"prepaid_rounding_unit": 0.0},
                        {"prepaid_alert_thresholds": "50,100"},
                    ]
                )
            )

        operations = [
            (log, 8),
            (lambda: entry().write({"unit_amount": rng.choice([0.5, 1, 2.5])}), 3),
            (
                lambda: entry().write(
                    {"date": today - timedelta(days=rng.randint(0, 10))}
                ),
                2,
            ),
            (lambda: entry().unlink(), 2),
            (
                lambda: rng.choice(tickets).write(
                    {"partner_id": rng.choice(self.customers).id}
                ),
                1,
            ),
            (
                lambda: rng.choice(tickets).write(
                    {"team_id": rng.choice([self.team, self.team, self.plain_team]).id}
                ),
                1,
            ),
            (sell, 2),
            (cancel, 1),
            (shorten, 1),
            (invoice, 1),
            (lambda: self._adjust_one(rng, packs), 2),
            (lambda: self._refund_one(rng, packs), 2),
            (lambda: self._cancel_one_refund(rng, packs), 1),
            (switch_settings, 1),
        ]
        population = [op for op, weight in operations for _i in range(weight)]
        for step in range(steps):
            operation = rng.choice(population)
            before = self._allocation_snapshot()
            operation()
            if operation is switch_settings:
                self.assertEqual(
                    self._allocation_snapshot(), before, "settings rewrote history"
                )
            self._check_invariants(policy, packs, step)
        # the run went through adjustments, credit notes posted and cancelled
        self.assertTrue(packs.prepaid_adjustment_ids)
        self.assertIn(
            "cancel",
            packs.order_id.invoice_ids.filtered(
                lambda move: move.move_type == "out_refund"
            ).mapped("state"),
        )

    def _adjust_one(self, rng, packs):
        """Add hours to a pack or remove some; removing more than is left is
        refused, and writes nothing."""
        confirmed = packs.filtered(lambda p: p.state == "sale")
        if not confirmed:
            return
        pack = rng.choice(confirmed)
        hours = rng.choice([-3, -1, 0.5, 2, 4])
        vals = {"sale_line_id": pack.id, "hours": hours, "reason": "Random"}
        if hours < 0 and -hours > pack.remaining_hours:
            with self.assertRaises(ValidationError):
                self.env["prepaid.hours.adjustment"].create(vals)
        else:
            self.env["prepaid.hours.adjustment"].create(vals)

    def _refund_one(self, rng, packs):
        """A credit note of one or two hours on an invoice not refunded yet."""
        invoices = packs.order_id.invoice_ids.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and set(move.reversal_move_ids.mapped("state")) <= {"cancel"}
            )
        )
        if invoices:
            credit_note = rng.choice(invoices)._reverse_moves()
            credit_note.invoice_line_ids.quantity = rng.choice([1, 2])
            credit_note.action_post()

    def _cancel_one_refund(self, rng, packs):
        credit_notes = packs.order_id.invoice_ids.filtered(
            lambda move: move.move_type == "out_refund" and move.state == "posted"
        )
        if credit_notes:
            credit_note = rng.choice(credit_notes)
            credit_note.button_draft()
            credit_note.button_cancel()

    def _allocation_snapshot(self):
        timesheets = self.env["account.analytic.line"].search(
            [("ticket_id", "!=", False)]
        )
        return {t.id: (t.so_line.id, t.billed_hours) for t in timesheets}

    def _check_invariants(self, policy, packs, step):
        timesheets = self.env["account.analytic.line"].search(
            [("ticket_id", "!=", False), ("so_line", "!=", False)]
        )
        for timesheet in timesheets:
            ticket, line = timesheet.ticket_id, timesheet.so_line
            self.assertTrue(
                ticket._is_prepaid_line_allowed(line) or not timesheet._is_not_billed(),
                f"step {step}: entry {timesheet.id} on another customer's line",
            )
            if not line.order_id.is_prepaid_overage:
                self.assertTrue(
                    line._is_prepaid_pack_valid(timesheet.date),
                    f"step {step}: entry {timesheet.id} after its pack's end",
                )
            self.assertGreaterEqual(timesheet.prepaid_rounding_delta, -PRECISION)
        for pack in packs.filtered(lambda p: p.state == "sale"):
            billed = sum(
                timesheets.filtered(lambda t, p=pack: t.so_line == p).mapped(
                    "billed_hours"
                )
            )
            self.assertAlmostEqual(pack.qty_delivered, billed, 3, f"step {step}")
            # sold + adjustments - refunds - used = left
            adjusted = sum(pack.prepaid_adjustment_ids.mapped("hours"))
            refunded = sum(
                pack.invoice_lines.filtered(
                    lambda aml: (
                        aml.move_id.move_type == "out_refund"
                        and aml.parent_state == "posted"
                    )
                ).mapped("quantity")
            )
            self.assertAlmostEqual(
                pack.remaining_hours,
                pack.product_uom_qty + adjusted - refunded - billed,
                3,
                f"step {step}",
            )
        confirmed = packs.filtered(lambda p: p.state == "sale")
        for customer in self.customers:
            own = confirmed.filtered(
                lambda p, c=customer: p.order_partner_id.commercial_partner_id == c
            ).sorted(lambda p: (p.order_id.date_order, p.id))
            negative = own.filtered(lambda p: p.remaining_hours < -PRECISION)
            if policy == "bill":
                self.assertFalse(negative, f"step {step}: a pack went negative")
            else:
                self.assertLessEqual(
                    negative, own[-1:], f"step {step}: not the last pack"
                )

    def test_random_operations_allow(self):
        """Allow: only each customer's last pack may go negative."""
        self._run("allow", seed=20261128)

    def test_random_operations_bill(self):
        """Bill the overage: no pack ever goes negative."""
        self._run("bill", seed=7)
