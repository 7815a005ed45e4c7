# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import PrepaidBillingCommon, create_portal_contact


@tagged("post_install", "-at_install")
class TestPaidOnly(PrepaidBillingCommon, HttpCase):
    """A pack of a product usable once paid takes time once its invoice is
    paid: the hours follow the money."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paid_only_product = cls._create_pack_product("Pack paid up front")
        cls.paid_only_product.prepaid_paid_only = True

    def _sell_invoiced(self, hours):
        pack = self._sell(self.customer, hours, product=self.paid_only_product)
        invoice = pack.order_id._create_invoices()
        invoice.action_post()
        return pack, invoice

    def _pay(self, invoice):
        """What the accountant does: Register Payment on the invoice."""
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_waiting_for_payment(self):
        """Invoiced but unpaid, the pack takes no time and the banner says
        whose payment is awaited; once the payment is registered, the waiting
        ticket and its time move onto it."""
        pack, invoice = self._sell_invoiced(10)
        ticket = self._create_ticket(self.customer, user_id=self.agent.id)
        self.assertFalse(ticket.sale_line_id)
        self.assertEqual(
            ticket.prepaid_banner,
            f"Waiting for the payment of {pack.order_id.name}: No prepaid "
            "hours: this time will not be billed.",
        )
        entry = self._log(ticket, 2, employee=self.agent_employee)
        self.assertFalse(entry.so_line)
        self.assertEqual(pack.qty_delivered, 0.0)
        # its hours wait for the payment: none has expired
        self.assertEqual(
            (pack.prepaid_hours_remaining, pack.prepaid_hours_expired), (10.0, 0.0)
        )

        # the customer sees why on the portal
        create_portal_contact(
            self.env, self.customer, "Paul Dupont", "hpb_paid_only_portal"
        )
        self.authenticate("hpb_paid_only_portal", "hpb_paid_only_portal")
        self.assertIn(
            "Usable once its invoice is paid", self.url_open("/my/prepaid-hours").text
        )

        self._pay(invoice)
        self.assertNotIn(
            "Usable once its invoice is paid", self.url_open("/my/prepaid-hours").text
        )
        self.assertEqual(ticket.sale_line_id, pack)
        self.assertEqual(entry.so_line, pack)
        self.assertEqual((pack.qty_delivered, pack.remaining_hours), (2.0, 8.0))
        self.assertIn("8.00 h left of 10.00 h", ticket.prepaid_banner)

    def test_other_packs_until_paid(self):
        """Until it is paid, the customer's other pack takes the time (its
        last valid pack goes negative under the allow policy); the payment
        takes the overdraft over."""
        ordinary = self._sell(self.customer, 1)
        pack, invoice = self._sell_invoiced(10)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 3)
        self.assertEqual((ordinary.remaining_hours, pack.qty_delivered), (-2.0, 0.0))

        self._pay(invoice)
        self.assertEqual((ordinary.remaining_hours, ordinary.qty_delivered), (0.0, 1.0))
        self.assertEqual(pack.qty_delivered, 2.0)
        self.assertEqual(sum(ticket.timesheet_ids.mapped("billed_hours")), 3.0)
