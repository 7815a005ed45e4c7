# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import PrepaidBillingCommon, create_portal_contact


@tagged("post_install", "-at_install")
class TestCreditHold(PrepaidBillingCommon, HttpCase):
    """Under *allow*, a customer overdrawn beyond the team's limit is on
    hold: agents log no more time until hours come or the hold is lifted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write(
            {
                "prepaid_overage_policy": "allow",
                "prepaid_credit_hold": True,
                "prepaid_credit_hold_limit": 2.0,
            }
        )
        cls.pack = cls._sell(cls.customer, 5)
        cls.ticket = cls._create_ticket(cls.customer, user_id=cls.agent.id)

    def _log_as_agent(self, hours):
        return (
            self.env["account.analytic.line"]
            .with_user(self.agent)
            .create({"ticket_id": self.ticket.id, "name": "Work", "unit_amount": hours})
        )

    def test_hold_and_its_lifting(self):
        self._log_as_agent(6)  # over by 1 h: within the limit
        self._log_as_agent(1.5)  # over by 1 h before it: still logged
        self.assertEqual(self.pack.prepaid_hours_remaining, -2.5)
        with self.assertRaises(UserError) as refused:
            self._log_as_agent(0.25)
        self.assertEqual(
            refused.exception.args[0],
            f"Dupont SA is on credit hold: pack {self.pack.order_id.name} is "
            "overdrawn by 2.50 h, more than the 2.00 h that team Support allows. "
            f"No more time can be logged on ticket {self.ticket.display_name} "
            "until the customer buys hours, or a billing manager adds some to "
            "the pack or lifts the hold (the customer's Prepaid Hours tab).",
        )
        self.assertEqual(len(self.ticket.timesheet_ids), 2, "nothing written")

        # the same over JSON-RPC, as the agent logged in on the server
        self.authenticate("hpb_agent", "hpb_agent")
        with self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/account.analytic.line/create",
                {
                    "model": "account.analytic.line",
                    "method": "create",
                    "args": [
                        {"ticket_id": self.ticket.id, "name": "RPC", "unit_amount": 1}
                    ],
                    "kwargs": {},
                },
            )
        self.assertEqual(error.exception.args[0], "odoo.exceptions.UserError")

        # the customer sees it on the portal
        create_portal_contact(self.env, self.customer, "Paul Dupont", "hpb_hold")
        self.authenticate("hpb_hold", "hpb_hold")
        page = self.url_open("/my/prepaid-hours").text
        self.assertIn("Support on hold.", page)
        self.assertIn("02:30", page)

        # a helpdesk manager still logs urgent time
        self._log(self.ticket, 0.5, name="Urgent")

        # an agent cannot lift the hold; a billing manager can, for a while
        tomorrow = fields.Date.context_today(self.env.user) + timedelta(days=1)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.agent).prepaid_hold_lifted_until = tomorrow
        billing_manager = self._create_billing_manager("hpb_hold_manager")
        self.customer.with_user(billing_manager).prepaid_hold_lifted_until = tomorrow
        self.assertEqual(self.customer_contact.prepaid_hold_lifted_until, tomorrow)
        self._log_as_agent(1)
        self.assertEqual(self.pack.prepaid_hours_remaining, -4.0)

        # the lifting over, hours added end the hold
        self.customer.sudo().prepaid_hold_lifted_until = False
        with self.assertRaises(UserError):
            self._log_as_agent(1)
        self.env["prepaid.hours.adjustment"].create(
            {"sale_line_id": self.pack.id, "hours": 3, "reason": "Paid by phone"}
        )
        self._log_as_agent(1)
        self.assertEqual(self.pack.prepaid_hours_remaining, -2.0)

    def test_new_pack_ends_the_hold(self):
        """In % of the pack: 40 % of 5 h is 2 h; a new pack takes the
        overdraft over, and the customer is off hold."""
        self.team.write(
            {"prepaid_credit_hold_limit": 40, "prepaid_credit_hold_unit": "percent"}
        )
        self._log_as_agent(7.5)
        with self.assertRaises(UserError):
            self._log_as_agent(1)
        new_pack = self._sell(self.customer, 10)
        self.assertEqual(self.pack.prepaid_hours_remaining, 0.0)
        self._log_as_agent(1)
        self.assertEqual(new_pack.prepaid_hours_remaining, 6.5)

    def test_off_by_default(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Other"})
        self.assertFalse(team.prepaid_credit_hold)
        self.team.prepaid_credit_hold = False
        self._log_as_agent(9)
        self._log_as_agent(1)
        self.assertEqual(self.pack.prepaid_hours_remaining, -5.0)
