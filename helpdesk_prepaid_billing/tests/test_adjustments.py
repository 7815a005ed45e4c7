# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestAdjustments(PrepaidBillingCommon, HttpCase):
    """A billing manager adds hours to a pack or removes some, with a date
    and a reason; the balance explains itself."""

    def _adjust(self, pack, hours, reason="Goodwill"):
        """What a sales manager does: the Adjust button, then the dialog."""
        action = pack.action_prepaid_adjust()
        with Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ) as form:
            form.hours = hours
            form.reason = reason
        return form.record

    def test_goodwill_and_correction(self):
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 4)
        goodwill = self._adjust(pack, 2, "Goodwill: outage of last week")
        self._adjust(pack, -1.5, "Correction: hours sold twice")
        self.assertEqual(
            (
                pack.prepaid_hours_sold,
                pack.prepaid_hours_adjusted,
                pack.prepaid_hours_used,
                pack.prepaid_hours_remaining,
            ),
            (10.0, 0.5, 4.0, 6.5),
        )
        self.assertEqual(pack.qty_delivered, 4.0)
        self.assertEqual(goodwill.partner_id, self.customer)
        self.assertEqual(goodwill.user_id, self.env.user)
        # tracked on the order
        self.assertIn(
            "+2.00 h on pack",
            pack.order_id.message_ids.mapped("body")[1],
        )
        self.assertIn(
            "Goodwill: outage of last week", pack.order_id.message_ids[1].body
        )
        # counted in the analysis, on the adjustments' dates
        self.assertEqual(
            self.env["prepaid.hours.report"]._read_group(
                [("pack_id", "=", pack.id)],
                [],
                ["hours_sold:sum", "hours_adjusted:sum", "hours_remaining:sum"],
            ),
            [(10.0, 0.5, 6.5)],
        )
        # an adjustment is never changed nor deleted: another one corrects it
        with self.assertRaises(UserError):
            goodwill.hours = 3
        with self.assertRaises(UserError):
            goodwill.unlink()

    def test_cannot_remove_hours_the_pack_has_not(self):
        pack = self._sell(self.customer, 10)
        self._log(self._create_ticket(self.customer), 8)
        with self.assertRaises(ValidationError) as refused:
            self._adjust(pack, -3, "Correction")
        self.assertEqual(
            refused.exception.args[0],
            f"Pack {pack.order_id.name} has 2.00 h left: 3.00 h cannot be removed "
            "from it.",
        )
        self.assertFalse(pack.prepaid_adjustment_ids)
        self.assertEqual(pack.prepaid_hours_remaining, 2.0)
        # what is left can be removed, and no more
        self._adjust(pack, -2, "Correction")
        self.assertEqual(pack.prepaid_hours_remaining, 0.0)
        with self.assertRaises(ValidationError):
            self._adjust(pack, -0.25, "Correction")
        with self.assertRaises(ValidationError):
            self._adjust(pack, 0, "Nothing")

    def test_added_hours_serve_waiting_time(self):
        """Hours added to an exhausted pack take the time that waited for
        hours, as a new pack would."""
        self.team.prepaid_overage_policy = "block"
        pack = self._sell(self.customer, 2)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 2)
        waiting = self._create_ticket(self.customer)
        self.assertFalse(waiting.sale_line_id)
        self._adjust(pack, 3, "Goodwill")
        self.assertEqual(waiting.sale_line_id, pack)
        self._log(waiting, 1)
        self.assertEqual(pack.prepaid_hours_remaining, 2.0)

    def test_only_billing_managers_adjust(self):
        """An agent, or a salesperson, cannot adjust a pack, over JSON-RPC as
        anywhere else; a billing manager without sales rights can."""
        pack = self._sell(self.customer, 10)
        vals = {"sale_line_id": pack.id, "hours": 5, "reason": "Gift"}
        with self.assertRaises(AccessError):
            self.env["prepaid.hours.adjustment"].with_user(self.agent).create(vals)
        salesperson = self._create_salesperson()
        with self.assertRaises(AccessError):
            self.env["prepaid.hours.adjustment"].with_user(salesperson).create(vals)
        # the same over JSON-RPC, as the agent logged in on the server
        self.authenticate("hpb_agent", "hpb_agent")
        with self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/prepaid.hours.adjustment/create",
                {
                    "model": "prepaid.hours.adjustment",
                    "method": "create",
                    "args": [vals],
                    "kwargs": {},
                },
            )
        self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")
        self.assertEqual(pack.prepaid_hours_remaining, 10.0)
        manager = self._create_billing_manager("hpb_adjust_manager")
        # who adjusts is who is logged in, whatever the values say
        adjustment = (
            self.env["prepaid.hours.adjustment"]
            .with_user(manager)
            .create(dict(vals, user_id=self.agent.id))
        )
        self.assertEqual(adjustment.user_id, manager)
        self.assertEqual(pack.prepaid_hours_remaining, 15.0)
        # a salesperson of own documents sees the adjustments of own orders
        Adjustment = self.env["prepaid.hours.adjustment"].with_user(salesperson)
        self.assertFalse(Adjustment.search([("id", "=", adjustment.id)]))
        pack.order_id.user_id = salesperson
        self.assertEqual(Adjustment.search([("id", "=", adjustment.id)]), adjustment)

    def test_only_packs_are_adjusted(self):
        quotation = self._sell(self.customer, 10, confirm=False)
        with self.assertRaises(ValidationError):
            self.env["prepaid.hours.adjustment"].create(
                {"sale_line_id": quotation.id, "hours": 1, "reason": "Gift"}
            )
        self.assertFalse(quotation.prepaid_adjustment_ids)
