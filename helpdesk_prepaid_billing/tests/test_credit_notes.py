# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, tagged

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestCreditNotes(PrepaidBillingCommon):
    """A credit note on a pack's invoice takes its hours off the pack; the
    time beyond what is left moves on; cancelling it gives them back."""

    def _invoice(self, pack):
        invoice = pack.order_id._create_invoices()
        invoice.action_post()
        return invoice

    def _reverse(self, invoice, modify=False):
        """What the accountant does: Credit Note on the invoice."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Hours not used", "journal_id": invoice.journal_id.id})
        )
        action = wizard.modify_moves() if modify else wizard.refund_moves()
        return self.env["account.move"].browse(action["res_id"])

    def test_refund_takes_hours_off(self):
        pack = self._sell(self.customer, 10)
        next_pack = self._sell(self.customer, 10)
        invoice = self._invoice(pack)
        ticket = self._create_ticket(self.customer)
        entries = self._log(ticket, 4) | self._log(ticket, 3)
        self.assertEqual(entries.so_line, pack)

        # five of the ten hours refunded
        credit_note = self._reverse(invoice)
        with Form(credit_note) as form, form.invoice_line_ids.edit(0) as line:
            line.quantity = 5
        self.assertEqual(pack.prepaid_hours_remaining, 3.0, "a draft takes nothing")
        credit_note.action_post()
        self.assertEqual(
            (
                pack.prepaid_hours_refunded,
                pack.prepaid_hours_used,
                pack.prepaid_hours_remaining,
            ),
            (5.0, 5.0, 0.0),
        )
        # the latest 2 h beyond the 5 h left moved on to the next pack (the
        # last entry split in two), none lost
        self.assertEqual(ticket.timesheet_ids.so_line, pack | next_pack)
        self.assertEqual(sum(ticket.timesheet_ids.mapped("unit_amount")), 7.0)
        self.assertEqual(next_pack.prepaid_hours_remaining, 8.0)
        self.assertEqual((pack.qty_delivered, next_pack.qty_delivered), (5.0, 2.0))
        self.assertEqual(
            self.env["prepaid.hours.report"]._read_group(
                [("pack_id", "=", pack.id)],
                [],
                ["hours_refunded:sum", "hours_used:sum", "hours_remaining:sum"],
            ),
            [(5.0, 5.0, 0.0)],
        )
        # refunded hours are not to be invoiced again
        self.assertEqual(pack.qty_to_invoice, 0.0)
        self.assertNotEqual(pack.order_id.invoice_status, "to invoice")

        # the credit note cancelled: its hours are the customer's again
        credit_note.button_draft()
        credit_note.button_cancel()
        self.assertEqual(
            (pack.prepaid_hours_refunded, pack.prepaid_hours_remaining), (0.0, 5.0)
        )
        self.assertEqual(next_pack.prepaid_hours_remaining, 8.0)

    def test_refund_and_new_invoice_keeps_the_hours(self):
        """A credit note that corrects an invoice issued again (Reverse and
        Create Invoice) takes no hours, and the time stays on the pack, even
        under *bill*; the invoice issued again deleted, the credit note takes
        them."""
        overage = self._create_overage_product(list_price=90.0)
        self.team.write(
            {"prepaid_overage_policy": "bill", "overage_product_id": overage.id}
        )
        pack = self._sell(self.customer, 10)
        invoice = self._invoice(pack)
        entry = self._log(self._create_ticket(self.customer), 4)
        new_invoice = self._reverse(invoice, modify=True)
        self.assertEqual(new_invoice.move_type, "out_invoice")
        self.assertEqual(pack.prepaid_hours_remaining, 6.0)
        self.assertEqual(entry.so_line, pack, "the time did not move")
        new_invoice.action_post()
        self.assertEqual(
            (pack.prepaid_hours_refunded, pack.prepaid_hours_remaining), (0.0, 6.0)
        )
        self.assertEqual(pack.qty_to_invoice, 0.0)

        # corrected again, and this time not issued again
        new_invoice.button_draft()
        new_invoice.unlink()
        self.assertEqual(
            (pack.prepaid_hours_refunded, pack.prepaid_hours_remaining), (10.0, 0.0)
        )
        self.assertEqual(entry.so_line.product_id, overage)

    def test_full_refund_bills_the_overage(self):
        """Under *bill*, time beyond a refunded pack is billed as overage:
        never lost, never free."""
        overage = self._create_overage_product(list_price=90.0)
        self.team.write(
            {"prepaid_overage_policy": "bill", "overage_product_id": overage.id}
        )
        pack = self._sell(self.customer, 10)
        invoice = self._invoice(pack)
        entry = self._log(self._create_ticket(self.customer), 3)
        self._reverse(invoice).action_post()
        self.assertEqual(pack.prepaid_hours_remaining, 0.0)
        self.assertEqual(entry.so_line.product_id, overage)
        self.assertEqual(entry.so_line.qty_delivered, 3.0)
