# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        # a pack usable once paid is new hours now, as a pack confirmed: its
        # customer's waiting tickets and time move onto it
        packs = self.invoice_line_ids.sale_line_ids.filtered(
            lambda line: line.is_prepaid_pack and line.product_id.prepaid_paid_only
        )
        packs.order_id.sudo()._feed_prepaid_customers()
        return res

    # what the user does to an invoice or a credit note of a pack changes the
    # hours refunded (sale.order.line.prepaid_hours_refunded): the pack's time
    # follows, once the action is done

    def action_post(self):
        with self._settling_prepaid_packs():
            return super().action_post()

    def button_draft(self):
        with self._settling_prepaid_packs():
            return super().button_draft()

    def button_cancel(self):
        with self._settling_prepaid_packs():
            return super().button_cancel()

    def unlink(self):
        with self._settling_prepaid_packs():
            return super().unlink()

    @contextmanager
    def _settling_prepaid_packs(self):
        """Settle the packs of these customer invoices and credit notes whose
        hours refunded the block changes (see
        sale.order.line._settle_prepaid_refunds); as superuser: the
        accountant need not read the helpdesk's time."""
        packs = (
            self.filtered(lambda move: move.move_type in ("out_invoice", "out_refund"))
            .sudo()
            .invoice_line_ids.sale_line_ids.filtered("is_prepaid_pack")
        )
        refunded = {pack: pack.prepaid_hours_refunded for pack in packs}
        yield
        packs._settle_prepaid_refunds(refunded)
