# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestBillingInvariants(PrepaidBillingCommon):
    """The everyday paths that could bill hours wrongly, as users hit them."""

    def test_switching_time_billing_keeps_history(self):
        """Turning the team's Time Billing (or its timesheets) off and on again
        leaves the time already on a pack where it is."""
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        timesheet = self._log(ticket, 4)
        pack.order_id._create_invoices().action_post()
        self.team.use_helpdesk_sale_timesheet = False
        self.assertEqual(timesheet.so_line, pack)
        self.assertEqual(pack.qty_delivered, 4.0)
        self.team.use_helpdesk_sale_timesheet = True
        self.team.allow_timesheet = False
        self.assertEqual((timesheet.so_line, pack.qty_delivered), (pack, 4.0))
        self.team.write({"allow_timesheet": True, "use_helpdesk_sale_timesheet": True})
        self.assertEqual((timesheet.so_line, pack.qty_delivered), (pack, 4.0))

    def test_allow_policy_only_last_pack_goes_negative(self):
        """Packs of 10 h and 20 h: X logs 1 h, Y 29 h, X 1 h more; the first
        pack ends at 10/10 and only the last one goes negative, at 21/20."""
        first = self._sell(self.customer, 10, order_date="2026-01-10 09:00:00")
        last = self._sell(self.customer, 20, order_date="2026-02-10 09:00:00")
        ticket_x = self._create_ticket(self.customer)
        ticket_y = self._create_ticket(self.customer)
        self._log(ticket_x, 1)
        self._log(ticket_y, 29)
        self._log(ticket_x, 1)
        self.assertEqual((first.qty_delivered, last.qty_delivered), (10.0, 21.0))
        self.assertEqual((first.remaining_hours, last.remaining_hours), (0.0, -1.0))
        self.assertEqual(ticket_x.sale_line_id, first, "no pack has hours left")

    def test_agent_cannot_bill_another_customers_pack(self):
        """An agent without sales rights cannot put a ticket's time on another
        customer's pack, neither when logging nor in the list; nothing moves."""
        own = self._sell(self.customer, 10)
        foreign = self._sell(self.other_customer, 10)
        ticket = self._create_ticket(self.customer, user_id=self.agent.id)
        Timesheet = self.env["account.analytic.line"].with_user(self.agent)
        self.assertFalse(self.agent.has_group("sales_team.group_sale_salesman"))
        with self.assertRaises(AccessError):
            Timesheet.create(
                {
                    "ticket_id": ticket.id,
                    "name": "Billed elsewhere",
                    "unit_amount": 1,
                    "so_line": foreign.id,
                    "is_so_line_edited": True,
                }
            )
        with self.assertRaises(ValidationError):
            Timesheet.create(
                {
                    "ticket_id": ticket.id,
                    "name": "As the screen sends it",
                    "unit_amount": 1,
                    "so_line": foreign.id,
                }
            )
        timesheet = Timesheet.create(
            {"ticket_id": ticket.id, "name": "Fine", "unit_amount": 2}
        )
        # nor on none: the time would leave the pack unbilled
        for so_line in (foreign.id, False):
            with self.assertRaises(AccessError):
                timesheet.write({"so_line": so_line})
        self.assertEqual(timesheet.sudo().so_line, own)
        self.assertEqual((own.qty_delivered, foreign.qty_delivered), (2.0, 0.0))
        # a salesperson who may choose it is held to the customer's packs
        with self.assertRaises(ValidationError) as error:
            timesheet.with_user(self._create_salesperson()).write(
                {"so_line": foreign.id}
            )
        self.assertIn("cannot be billed to", str(error.exception))

    def test_only_packs_as_ticket_sales_order_item(self):
        """A goods line, a quotation line or a cancelled order's line of the
        customer is refused as the ticket's sales order item."""
        pack = self._sell(self.customer, 10)
        goods = self.env["product.product"].create(
            {"name": "Printer", "type": "consu", "list_price": 300.0}
        )
        goods_line = self._sell(self.customer, 1, product=goods)
        quotation_line = self._sell(self.customer, 5, confirm=False)
        cancelled_line = self._sell(self.customer, 5)
        cancelled_line.order_id._action_cancel()
        ticket = self._create_ticket(self.customer)
        timesheet = self._log(ticket, 1)
        for line in goods_line | quotation_line | cancelled_line:
            with self.assertRaises(ValidationError):
                ticket.sale_line_id = line
        self.assertEqual((ticket.sale_line_id, timesheet.so_line), (pack, pack))
        self.assertEqual(ticket.remaining_hours_so, 9.0)

    def test_split_entry_returns_one_record(self):
        """Logging one entry returns one record, as JSON-RPC's create expects,
        even when it is split over two packs."""
        self._sell(self.customer, 1, order_date="2026-01-10 09:00:00")
        self._sell(self.customer, 10, order_date="2026-02-10 09:00:00")
        ticket = self._create_ticket(self.customer)
        timesheet = self._log(ticket, 3)
        self.assertEqual(len(timesheet), 1)
        self.assertEqual(len(ticket.timesheet_ids), 2)
        self.assertEqual(sum(ticket.timesheet_ids.mapped("unit_amount")), 3.0)

    def test_negative_time_refused(self):
        """No entry gives hours back to a pack beyond what was sold."""
        self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        with self.assertRaises(ValidationError):
            self._log(ticket, -3)

    def test_rounding_is_the_servers(self):
        """A client cannot write what rounding bills."""
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        timesheet = self._log(ticket, 1, prepaid_rounding_delta=-1)
        self.assertEqual(timesheet.billed_hours, 1.0)
        timesheet.write({"prepaid_rounding_delta": 5})
        self.assertEqual((timesheet.billed_hours, pack.qty_delivered), (1.0, 1.0))

    def test_rounding_holds_on_a_sales_order_item_set_by_hand(self):
        """An entry put on its pack by hand, as a client may send it, is
        billed by the team's increment all the same, when logged and when
        corrected."""
        self.team.prepaid_rounding_unit = 0.5
        pack = self._sell(self.customer, 10)
        salesperson = self._create_salesperson()
        ticket = self._create_ticket(self.customer, user_id=salesperson.id)
        timesheet = (
            self.env["account.analytic.line"]
            .with_user(salesperson)
            .create(
                {
                    "ticket_id": ticket.id,
                    "name": "On the pack by hand",
                    "unit_amount": 0.2,
                    "so_line": pack.id,
                    "is_so_line_edited": True,
                }
            )
        )
        self.assertEqual((timesheet.billed_hours, pack.qty_delivered), (0.5, 0.5))
        timesheet.with_user(salesperson).unit_amount = 0.7
        self.assertEqual((timesheet.billed_hours, pack.qty_delivered), (1.0, 1.0))

    def test_moved_time_is_billed_by_its_new_team(self):
        """An entry moved to a ticket of a team that bills by the hour is
        billed by that team's increment."""
        pack = self._sell(self.customer, 10)
        timesheet = self._log(self._create_ticket(self.customer), 0.2)
        self.assertEqual(timesheet.billed_hours, 0.2)
        hourly = self.env["helpdesk.ticket.team"].create(
            {
                "name": "On site",
                "allow_timesheet": True,
                "default_project_id": self.project.id,
                "use_helpdesk_sale_timesheet": True,
                "prepaid_rounding_unit": 1.0,
            }
        )
        timesheet.ticket_id = self._create_ticket(self.customer, team=hourly)
        self.assertEqual((timesheet.billed_hours, pack.qty_delivered), (1.0, 1.0))

    def test_derived_values_are_the_servers(self):
        """A client can neither reset which alerts were sent, nor turn an
        order into an overage order, nor give a customer's time to another
        in the analysis."""
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        entry = self._log(ticket, 8.5)
        entry.write({"prepaid_partner_id": self.other_customer.id})
        self.assertEqual(
            self.env["prepaid.hours.report"]._read_group(
                [("hours_used", "!=", 0)], ["partner_id"], ["hours_used:sum"]
            ),
            [(self.customer, 8.5)],
        )
        self.assertEqual(pack.prepaid_alert_level, 80.0)
        pack.write({"prepaid_alert_level": 0})
        pack.order_id.write({"is_prepaid_overage": True})
        self.assertEqual(pack.prepaid_alert_level, 80.0)
        self.assertFalse(pack.order_id.is_prepaid_overage)
        other = self._sell(self.customer, 1)
        self.assertFalse(other.order_id.is_prepaid_overage)

    def test_alerts_survive_odoo_upsell_warning(self):
        """The 80 % alert has an activity type of its own: Odoo's upsell
        warning, which removes its own activities, leaves it."""
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 8.5)
        order = pack.order_id
        alert_type = self.env.ref("helpdesk_prepaid_billing.mail_act_prepaid_alert")
        self.assertEqual(order.activity_ids.activity_type_id, alert_type)
        order._create_upsell_activity()
        self.assertIn(alert_type, order.activity_ids.activity_type_id)
        self.assertEqual(len(order.activity_ids), 2)

    def test_editing_one_part_moves_it_alone(self):
        """Editing one entry, or one part of a split entry, re-allocates it
        alone: it stays on its pack while the pack can hold it."""
        first = self._sell(self.customer, 3, order_date="2026-01-10 09:00:00")
        second = self._sell(self.customer, 10, order_date="2026-02-10 09:00:00")
        ticket = self._create_ticket(self.customer)
        early = self._log(ticket, 2)
        late_first = self._log(ticket, 2)  # split 1 h + 1 h
        late_second = ticket.timesheet_ids - early - late_first
        self.assertEqual(
            (late_first.so_line, late_second.so_line), (first, second), "split"
        )
        early.unit_amount = 1
        self.assertEqual((early.so_line, late_first.so_line), (first, first))
        self.assertEqual((first.qty_delivered, second.qty_delivered), (2.0, 1.0))
        late_second.unit_amount = 3
        self.assertEqual(late_second.so_line, second, "one part, alone")
        self.assertEqual((first.qty_delivered, second.qty_delivered), (2.0, 3.0))
        early.unit_amount = 3  # 1 h more than its pack can hold: split
        self.assertEqual((first.qty_delivered, second.qty_delivered), (3.0, 4.0))
        self.assertEqual(len(ticket.timesheet_ids), 4)

    def test_shortened_validity_moves_later_time(self):
        """Time dated after a pack's new end date goes to the next pack."""
        first = self._sell(self.customer, 10, order_date="2026-01-10 09:00:00")
        second = self._sell(self.customer, 10, order_date="2026-02-10 09:00:00")
        ticket = self._create_ticket(self.customer)
        before = self._log(ticket, 1, date="2026-03-01")
        after = self._log(ticket, 2, date="2026-05-01")
        first.prepaid_end_date = "2026-04-01"
        self.assertEqual((before.so_line, after.so_line), (first, second))
        self.assertEqual((first.qty_delivered, second.qty_delivered), (1.0, 2.0))

    def test_salesman_sees_own_packs_in_analysis(self):
        """A salesman restricted to his own documents sees his packs only in
        Prepaid Hours; a sales manager sees all."""
        own_docs = new_test_user(
            self.env,
            login="hpb_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        mine = self._sell(self.customer, 10)
        mine.order_id.user_id = own_docs
        others = self._sell(self.other_customer, 5)
        others.order_id.user_id = self.env.user
        Report = self.env["prepaid.hours.report"]
        self.env.flush_all()
        self.assertEqual(Report.with_user(own_docs).search([]).pack_id, mine)
        self.assertEqual(
            Report.search([("pack_id", "in", (mine | others).ids)]).pack_id,
            mine | others,
        )

    def test_analysis_counts_expired_hours(self):
        """Prepaid Hours: the hours left of an expired pack count as expired,
        as on the pack."""
        pack = self._sell(self.customer, 10, order_date="2025-01-10 09:00:00")
        pack.prepaid_end_date = "2025-07-10"
        ticket = self._create_ticket(self.customer, sale_line_id=pack.id)
        self._log(ticket, 1, date="2025-03-01")
        self.env.flush_all()
        data = self.env["prepaid.hours.report"]._read_group(
            [("pack_id", "=", pack.id)],
            [],
            [
                "hours_sold:sum",
                "hours_used:sum",
                "hours_remaining:sum",
                "hours_expired:sum",
            ],
        )
        self.assertEqual(data, [(10.0, 1.0, 0.0, 9.0)])
        self.assertEqual(
            (pack.prepaid_hours_remaining, pack.prepaid_hours_expired), (0.0, 9.0)
        )

    def test_overage_invoiced_time_stays(self):
        """Invoiced overage time stays on its invoiced line when the ticket
        moves to another customer."""
        product_overage = self.env["product.product"].create(
            {
                "name": "Overage",
                "type": "service",
                "list_price": 100.0,
                "uom_id": self.uom_hour.id,
                "uom_po_id": self.uom_hour.id,
                "service_policy": "delivered_timesheet",
                "taxes_id": [Command.clear()],
            }
        )
        self.team.write(
            {"prepaid_overage_policy": "bill", "overage_product_id": product_overage.id}
        )
        ticket = self._create_ticket(self.customer)
        invoiced = self._log(ticket, 3)
        overage = invoiced.so_line
        self.assertTrue(overage.order_id.is_prepaid_overage)
        overage.order_id._create_invoices().action_post()
        pack = self._sell(self.other_customer, 10)
        ticket.partner_id = self.other_customer
        later = self._log(ticket, 1)
        self.assertEqual(invoiced.so_line, overage, "invoiced: never moves")
        self.assertEqual(later.so_line, pack)
        self.assertEqual((overage.qty_delivered, pack.qty_delivered), (3.0, 1.0))
