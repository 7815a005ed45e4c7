# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestBilledByHand(PrepaidBillingCommon, HttpCase):
    """A prepaid billing manager decides what an entry bills, with a reason;
    an agent cannot, by any path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing_manager = cls._create_billing_manager("hpb_billing_manager")
        cls.pack = cls._sell(cls.customer, 10)
        cls.ticket = cls._create_ticket(cls.customer, user_id=cls.agent.id)

    def _set_billed_in_form(self, entry, hours, reason):
        """What the manager does: the pencil of the entry's row, then Apply."""
        action = entry.with_user(self.billing_manager).action_set_prepaid_billed_hours()
        wizard_env = self.env(user=self.billing_manager, context=action["context"])
        with Form(wizard_env[action["res_model"]]) as wizard:
            self.assertEqual(wizard.billed_hours, entry.billed_hours)
            wizard.billed_hours = hours
            wizard.reason = reason
        wizard.record.action_apply()

    def test_no_charge_with_a_reason(self):
        """Two hours of our own mistake: the manager bills 0 h; the pack gets
        them back, the ticket's chatter says who, how much and why, and the
        agent correcting the hours spent does not bill them again."""
        entry = self._log(self.ticket, 2, employee=self.agent_employee)
        self.assertEqual((self.pack.remaining_hours, self.pack.qty_delivered), (8, 2))
        self._set_billed_in_form(entry, 0.0, "Our own mistake")
        self.assertRecordValues(
            entry,
            [
                {
                    "unit_amount": 2.0,
                    "billed_hours": 0.0,
                    "so_line": self.pack.id,
                    "prepaid_billing_reason": "Our own mistake",
                }
            ],
        )
        self.assertEqual((self.pack.remaining_hours, self.pack.qty_delivered), (10, 0))
        note = self.ticket.message_ids[:1]
        self.assertIn("Our own mistake", note.body)
        self.assertIn("0.00 h instead of 2.00 h", note.body)
        self.assertEqual(note.author_id, self.billing_manager.partner_id)

        # the agent cannot bill it again by correcting the hours spent, nor
        # by moving it; the manager corrects them and the 0 h billed stand
        other_ticket = self._create_ticket(self.customer, user_id=self.agent.id)
        for vals in ({"unit_amount": 3.0}, {"ticket_id": other_ticket.id}):
            with self.assertRaises(AccessError):
                entry.with_user(self.agent).write(vals)
        # nor delete it to log it again
        with self.assertRaises(AccessError):
            entry.with_user(self.agent).unlink()
        entry.with_user(self.billing_manager).unit_amount = 3.0
        self.assertEqual((entry.unit_amount, entry.billed_hours), (3.0, 0.0))
        self.assertEqual(self.pack.remaining_hours, 10.0)

    def test_more_hours_than_the_pack_has(self):
        """Billing more than the pack has left moves the rest on as any time
        does: here to the overage order of a team that bills it."""
        overage_product = self._create_overage_product()
        self.team.write(
            {"prepaid_overage_policy": "bill", "overage_product_id": overage_product.id}
        )
        self._log(self.ticket, 8)
        entry = self._log(self.ticket, 1)
        self._set_billed_in_form(entry, 3.0, "On site, with travel")
        overage = self.ticket.timesheet_ids.so_line - self.pack
        self.assertEqual(self.pack.remaining_hours, 0.0)
        self.assertEqual(overage.qty_delivered, 1.0)
        self.assertEqual(sum(self.ticket.timesheet_ids.mapped("billed_hours")), 11.0)
        self.assertEqual(self.ticket.total_hours, 9.0, "the hours actually spent")

        # invoiced time never changes
        overage.order_id._create_invoices().action_post()
        invoiced = self.ticket.timesheet_ids.filtered(lambda t: t.so_line == overage)
        with self.assertRaises(UserError):
            self._set_billed_in_form(invoiced, 0.0, "Goodwill")
        # nor its hours, nor its ticket, even for the manager
        other_ticket = self._create_ticket(self.customer)
        for vals in ({"unit_amount": 0.5}, {"ticket_id": other_ticket.id}):
            with self.assertRaises(UserError):
                invoiced.with_user(self.billing_manager).write(vals)
        self.assertRecordValues(
            invoiced, [{"billed_hours": 1.0, "ticket_id": self.ticket.id}]
        )

    def test_time_waiting_for_a_pack_keeps_its_billed_hours(self):
        """Time logged before the customer has a pack bills, once a pack
        comes, what the manager decided, and the team's increment for the
        rest."""
        self.team.prepaid_rounding_unit = 0.5
        ticket = self._create_ticket(self.other_customer)
        free, rounded = self._log(ticket, 2), self._log(ticket, 0.2)
        self._set_billed_in_form(free, 0.0, "Our own mistake")
        self.assertEqual((free.billed_hours, rounded.billed_hours), (0.0, 0.5))
        pack = self._sell(self.other_customer, 10)
        self.assertEqual((free.so_line, rounded.so_line), (pack, pack))
        self.assertEqual((free.billed_hours, rounded.billed_hours), (0.0, 0.5))
        self.assertEqual(pack.qty_delivered, 0.5)

    def test_only_billed_tickets(self):
        """A ticket of a team that does not bill time has nothing to bill by
        hand."""
        team = self.team.copy({"name": "Internal IT"})
        team.use_helpdesk_sale_timesheet = False
        entry = self._log(self._create_ticket(self.customer, team=team), 1)
        with self.assertRaises(UserError):
            entry.with_user(self.billing_manager)._set_prepaid_billed_hours(0, "x")
        self.assertFalse(entry.prepaid_billing_reason)

    def test_agent_cannot(self):
        """An agent without the group: neither the wizard nor the entry's
        fields change what is billed."""
        entry = self._log(self.ticket, 2, employee=self.agent_employee)
        with self.assertRaises(AccessError):
            self.env["prepaid.billed.hours.wizard"].with_user(self.agent).create(
                {"timesheet_ids": entry.ids, "billed_hours": 0, "reason": "mine"}
            )
        with self.assertRaises(AccessError):
            entry.with_user(self.agent)._set_prepaid_billed_hours(0, "mine")
        entry.with_user(self.agent).write(
            {"billed_hours": 0, "prepaid_billing_reason": "mine"}
        )
        self.assertEqual((entry.billed_hours, entry.prepaid_billing_reason), (2, False))
        self.assertEqual(self.pack.remaining_hours, 8.0)

    def test_agent_cannot_over_json_rpc(self):
        """The same over JSON-RPC, as the agent logged in on the server."""
        entry = self._log(self.ticket, 2, employee=self.agent_employee)
        self.authenticate("hpb_agent", "hpb_agent")
        with self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/prepaid.billed.hours.wizard/create",
                {
                    "model": "prepaid.billed.hours.wizard",
                    "method": "create",
                    "args": [
                        {"timesheet_ids": entry.ids, "billed_hours": 0, "reason": "x"}
                    ],
                    "kwargs": {},
                },
            )
        self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/account.analytic.line/write",
            {
                "model": "account.analytic.line",
                "method": "write",
                "args": [entry.ids, {"billed_hours": 0, "prepaid_rounding_delta": -2}],
                "kwargs": {},
            },
        )
        entry.invalidate_recordset()
        self.assertEqual(entry.billed_hours, 2.0)
        self.assertEqual(self.pack.remaining_hours, 8.0)
