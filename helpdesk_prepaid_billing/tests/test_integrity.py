# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestIntegrity(PrepaidBillingCommon):
    """Holes found from outside: who may put time on a ticket, what a pack
    is, what the customer's balance says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_agent = new_test_user(
            cls.env,
            login="hpb_own_agent",
            name="Own Tickets Agent",
            groups="helpdesk_mgmt.group_helpdesk_user_own,"
            "hr_timesheet.group_hr_timesheet_user",
        )
        cls.env["hr.employee"].create(
            {"name": "Own Tickets Agent", "user_id": cls.own_agent.id}
        )
        cls.timesheet_user = new_test_user(
            cls.env,
            login="hpb_timesheet_user",
            name="Timesheet Only",
            groups="hr_timesheet.group_hr_timesheet_user",
        )
        cls.env["hr.employee"].create(
            {"name": "Timesheet Only", "user_id": cls.timesheet_user.id}
        )

    def _entry(self, ticket, hours=4.0):
        return {"ticket_id": ticket.id, "name": "Work", "unit_amount": hours}

    # who may put time on a ticket

    def test_time_on_a_ticket_the_user_cannot_read_is_refused(self):
        """An agent limited to their own tickets, and an employee with no
        helpdesk rights, cannot log time on another agent's ticket: refused,
        the pack untouched."""
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer, user_id=self.agent.id)
        for user in self.own_agent | self.timesheet_user:
            with self.assertRaises(AccessError):
                self.env["account.analytic.line"].with_user(user).create(
                    self._entry(ticket)
                )
        self.assertEqual(pack.qty_delivered, 0.0)
        self.assertFalse(ticket.timesheet_ids)
        # the own agent logs on a ticket of theirs, as before
        own_ticket = self._create_ticket(self.customer, user_id=self.own_agent.id)
        self.env["account.analytic.line"].with_user(self.own_agent).create(
            self._entry(own_ticket, 1.5)
        )
        self.assertEqual(pack.qty_delivered, 1.5)

    def test_moving_time_to_a_ticket_the_user_cannot_read_is_refused(self):
        """An entry of the agent's own ticket cannot be moved to another
        agent's ticket with a write; nothing moves."""
        pack = self._sell(self.customer, 10)
        own_ticket = self._create_ticket(self.customer, user_id=self.own_agent.id)
        other_ticket = self._create_ticket(self.customer, user_id=self.agent.id)
        timesheet = (
            self.env["account.analytic.line"]
            .with_user(self.own_agent)
            .create(self._entry(own_ticket, 2.0))
        )
        with self.assertRaises(AccessError):
            timesheet.write({"ticket_id": other_ticket.id})
        self.assertEqual(timesheet.sudo().ticket_id, own_ticket)
        self.assertEqual(pack.qty_delivered, 2.0)

    def test_import_on_a_ticket_the_user_cannot_read_is_refused(self):
        """An import of time on another agent's ticket reports the error and
        creates nothing."""
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer, user_id=self.agent.id)
        result = (
            self.env["account.analytic.line"]
            .with_user(self.own_agent)
            .load(
                ["ticket_id/.id", "name", "unit_amount"],
                [[str(ticket.id), "Imported", "3"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertEqual([m["type"] for m in result["messages"]], ["error"])
        self.assertEqual(pack.qty_delivered, 0.0)

    # what a pack is

    def test_lines_of_no_hours_are_no_packs(self):
        """Lines of 0 and -5 hours of a prepaid product are no packs: a ticket
        does not take them, and under *allow* the hours beyond the real pack
        go negative on it, not on them."""
        pack = self._sell(self.customer, 2, order_date="2026-01-10 09:00:00")
        zero = self._sell(self.customer, 0, order_date="2026-02-10 09:00:00")
        negative = self._sell(self.customer, -5, order_date="2026-03-10 09:00:00")
        self.assertFalse(any((zero | negative).mapped("is_prepaid_pack")))
        ticket = self._create_ticket(self.customer)
        self.assertEqual(ticket.sale_line_id, pack)
        self._log(ticket, 3)
        self.assertEqual(
            (pack.qty_delivered, zero.qty_delivered, negative.qty_delivered),
            (3.0, 0.0, 0.0),
        )
        with self.assertRaises(ValidationError):
            ticket.sale_line_id = zero

    def test_pack_follows_its_customer_and_product(self):
        """A pack sold to a contact counts, with the time logged on it, in
        the contact's company's balance, analysis and tickets; the contact
        moved to another company, it counts in that one's; its product no
        longer sold prepaid, it is no pack at all."""
        pack = self._sell(self.customer_contact, 10)
        self._log(self._create_ticket(self.customer_contact), 2)
        Report = self.env["prepaid.hours.report"]

        def sold_by_customer():
            # as the analysis is filtered by customer, and grouped by it
            return {
                customer: (sold, used)
                for customer, sold, used in Report._read_group(
                    [("partner_id", "in", (self.customer + self.other_customer).ids)],
                    ["partner_id"],
                    ["hours_sold:sum", "hours_used:sum"],
                )
            }

        self.assertEqual(self.customer.prepaid_hours_sold, 10.0)
        self.assertEqual(sold_by_customer(), {self.customer: (10.0, 2.0)})
        self.customer_contact.parent_id = self.other_customer
        # the customers' forms opened again: a new request, a new cache
        self.env.invalidate_all()
        self.assertEqual(
            (self.customer.prepaid_pack_count, self.other_customer.prepaid_pack_count),
            (0, 1),
        )
        self.assertEqual(sold_by_customer(), {self.other_customer: (10.0, 2.0)})
        self.assertEqual(self._create_ticket(self.other_customer).sale_line_id, pack)
        self.assertFalse(self._create_ticket(self.customer).sale_line_id)
        self.product_pack.service_policy = "delivered_timesheet"
        self.env.invalidate_all()
        self.assertEqual(self.other_customer.prepaid_pack_count, 0)
        self.assertEqual(sold_by_customer(), {})

    def test_alert_thresholds_are_percentages(self):
        """nan and inf are no percentages."""
        for value in ("nan", "80,inf", "-inf", "80,NaN"):
            with self.assertRaises(ValidationError):
                self.team.prepaid_alert_thresholds = value
        self.team.prepaid_alert_thresholds = "50, 100,150"
        self.assertEqual(
            self.team._get_prepaid_alert_thresholds(), [50.0, 100.0, 150.0]
        )

    def test_resized_pack(self):
        """Packs A (10 h, 6 h used on two entries) and B (10 h): A shortened
        to 4 h hands its latest entry on to B; A set to 0 h is no pack any
        more, its ticket and time move to B; A back to 10 h serves a new
        ticket of the customer waiting for hours."""
        pack_a = self._sell(self.customer, 10, order_date="2026-01-10 09:00:00")
        pack_b = self._sell(self.customer, 10, order_date="2026-02-10 09:00:00")
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 3, date="2026-03-01")
        self._log(ticket, 3, date="2026-03-02")
        self.assertEqual((pack_a.qty_delivered, pack_b.qty_delivered), (6.0, 0.0))

        def used_by_pack():
            # the analysis of the customer's hours used, by pack
            return dict(
                self.env["prepaid.hours.report"]._read_group(
                    [("partner_id", "=", self.customer.id)],
                    ["pack_id"],
                    ["hours_used:sum"],
                )
            )

        pack_a.product_uom_qty = 4
        self.assertEqual((pack_a.qty_delivered, pack_b.qty_delivered), (4.0, 2.0))
        self.assertEqual(pack_a.prepaid_hours_remaining, 0.0)
        pack_a.product_uom_qty = 0
        self.assertFalse(pack_a.is_prepaid_pack)
        self.assertEqual((pack_a.qty_delivered, pack_b.qty_delivered), (0.0, 6.0))
        self.assertEqual(ticket.sale_line_id, pack_b)
        self.assertEqual(used_by_pack(), {pack_b: 6.0}, "A: no pack, no row")
        # B used up then cancelled: no hours, until A is given some again
        self._log(ticket, 4)
        waiting = self._create_ticket(self.customer)
        self.assertFalse(waiting.sale_line_id)
        pack_b.order_id.with_context(disable_cancel_warning=True).action_cancel()
        self.assertFalse(ticket.timesheet_ids.so_line, "no pack: not billed")
        self.assertEqual(used_by_pack(), {})
        pack_a.product_uom_qty = 10
        self.assertEqual(waiting.sale_line_id, pack_a)
        self.assertEqual(pack_a.qty_delivered, 10.0, "the time on B moved to A")
        self.assertEqual(used_by_pack(), {pack_a: 10.0})

    # what the balance says

    def test_pack_that_rolled_over_cannot_be_cancelled_alone(self):
        """A 10 h pack with 3 h used rolls 7 h over to its renewal; cancelling
        the old order alone is refused (the 7 h would stay free on the
        renewal); cancelled with its renewal, nothing is left of either."""
        self.product_pack.prepaid_rollover = True
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 3.0)
        renewal = pack._get_prepaid_renewal()
        renewal.action_confirm()
        rollover = renewal.order_line.filtered("prepaid_rollover_from_id")
        self.assertEqual(rollover.product_uom_qty, 7.0)
        with self.assertRaises(UserError) as error:
            pack.order_id.action_cancel()
        self.assertIn(renewal.name, str(error.exception))
        with self.assertRaises(UserError):
            pack.product_uom_qty = 5
        self.assertEqual((pack.order_id.state, pack.product_uom_qty), ("sale", 10.0))
        self.assertEqual(
            self.customer.prepaid_hours_remaining,
            17.0,
            "10 h paid for, 7 h rolled over of the 7 h left",
        )
        (pack.order_id | renewal).with_context(
            disable_cancel_warning=True
        ).action_cancel()
        self.assertEqual((pack.state, rollover.state), ("cancel", "cancel"))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.prepaid_hours_remaining, 0.0)

    def _days_product(self):
        product = self._create_pack_product("Support pack (days)", self.uom_day)
        product.prepaid_rollover = True
        return product

    def test_renewal_confirmed_again_rolls_over_once(self):
        """A renewal cancelled, set back to quotation and confirmed again keeps
        its one rollover line: the unused hours are not given twice."""
        self.product_pack.prepaid_rollover = True
        pack = self._sell(self.customer, 10)
        self._log(self._create_ticket(self.customer), 3.0)
        renewal = pack._get_prepaid_renewal()
        renewal.action_confirm()
        renewal.with_context(disable_cancel_warning=True).action_cancel()
        renewal.action_draft()
        renewal.action_confirm()
        rollover = renewal.order_line.filtered("prepaid_rollover_from_id")
        self.assertEqual(rollover.mapped("product_uom_qty"), [7.0])
        self.assertEqual(pack.prepaid_hours_remaining, 0.0)

    def test_pack_sold_in_days_is_exact_in_hours(self):
        """3 h logged on a 2-day pack (16 h): 3 h used and 13 h left, not the
        3.04 h that Delivered rounded in days says; 13 h roll over."""
        pack = self._sell(self.customer, 2, product=self._days_product())
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 3.0)
        self.assertEqual(pack.qty_delivered, 0.38, "Odoo's Delivered, in days")
        self.assertEqual(
            (pack.prepaid_hours_sold, pack.prepaid_hours_used),
            (16.0, 3.0),
        )
        self.assertEqual(pack.prepaid_hours_remaining, 13.0)
        self.assertEqual(ticket.remaining_hours_so, 13.0)
        # a 13 h entry fits exactly: nothing beyond the pack
        self._log(ticket, 13.0)
        self.assertEqual(pack.prepaid_hours_remaining, 0.0)
        self.assertEqual(len(ticket.timesheet_ids.so_line), 1)
        renewal = pack._get_prepaid_renewal()
        pack.invalidate_recordset()
        self.assertFalse(
            renewal.order_line._prepare_prepaid_rollover_vals(),
            "nothing left to roll over",
        )

    def test_minutes_are_counted_exactly(self):
        """Three entries of 20 minutes on a 1 h pack: the pack is used up
        exactly, none is split to the next pack (Delivered says 1.00 h, each
        entry is 0.3333 h)."""
        pack = self._sell(self.customer, 1)
        next_pack = self._sell(self.customer, 1)
        ticket = self._create_ticket(self.customer)
        for _i in range(3):
            self._log(ticket, 1 / 3)
        self.assertEqual(ticket.timesheet_ids.so_line, pack)
        self.assertEqual(len(ticket.timesheet_ids), 3)
        self.assertAlmostEqual(pack.prepaid_hours_remaining, 0.0, places=6)
        self.assertEqual(next_pack.prepaid_hours_remaining, 1.0)

    def test_rollover_of_a_pack_sold_in_days(self):
        """3 h used of a 2-day pack: 13 h roll over, not 12.96."""
        pack = self._sell(self.customer, 2, product=self._days_product())
        self._log(self._create_ticket(self.customer), 3.0)
        renewal = pack._get_prepaid_renewal()
        renewal.action_confirm()
        rollover = renewal.order_line.filtered("prepaid_rollover_from_id")
        self.assertEqual(rollover.product_uom_qty, 13.0)

    # time and materials

    def _time_and_materials_line(self, partner):
        product = self.env["product.product"].create(
            {
                "name": "Support on time and materials",
                "type": "service",
                "list_price": 95.0,
                "uom_id": self.uom_hour.id,
                "uom_po_id": self.uom_hour.id,
                "service_policy": "delivered_timesheet",
                "taxes_id": [Command.clear()],
            }
        )
        return self._sell(partner, 1, product=product)

    def test_ticket_billed_on_time_and_materials(self):
        """A ticket billed by hand to its customer's time-and-materials line
        keeps it: its time is delivered there whole, never split onto the
        packs, also when a pack is sold later; another customer's line is
        refused."""
        pack = self._sell(self.customer, 2)
        line = self._time_and_materials_line(self.customer)
        ticket = self._create_ticket(self.customer)
        self.assertEqual(ticket.sale_line_id, pack, "packs are picked by themselves")
        ticket.sale_line_id = line
        timesheet = (
            self.env["account.analytic.line"]
            .with_user(self.agent)
            .create(self._entry(ticket, 5.0))
        )
        self.assertEqual(timesheet.sudo().so_line, line)
        self.assertEqual(len(ticket.timesheet_ids), 1, "not split")
        self.assertEqual((line.qty_delivered, pack.qty_delivered), (5.0, 0.0))
        self._sell(self.customer, 10)
        self._log(ticket, 1.0)
        self.assertEqual(ticket.sale_line_id, line)
        self.assertEqual(line.qty_delivered, 6.0)
        # the overage order's line takes hours beyond the packs, entry by
        # entry: it is no ticket's own line
        self.team.overage_product_id = line.product_id
        overage = self.env["sale.order"]._get_prepaid_overage_line(
            self.customer, self.company, self.team
        )
        with self.assertRaises(ValidationError):
            ticket.sale_line_id = overage
        foreign = self._time_and_materials_line(self.other_customer)
        with self.assertRaises(ValidationError):
            ticket.sale_line_id = foreign
        # the agent chooses no sales order item for the time
        with self.assertRaises(AccessError):
            timesheet.write({"so_line": foreign.id})
        # back to the packs: the time follows the ticket, oldest pack first
        ticket.sale_line_id = pack
        self.assertEqual(pack.qty_delivered, 2.0)
        self.assertEqual(line.qty_delivered, 0.0)
