# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
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

    def _post(self, soft=True):
        posted = super()._post(soft)
        # a credit note takes its hours off the pack: the latest time beyond
        # what is left moves on, as when a pack is shortened
        packs = posted._get_prepaid_refunded_packs()
        packs._settle_prepaid_hours(grown=packs.browse())
        return posted

    def button_draft(self):
        # a credit note set back to draft (to cancel it) gives its hours back
        packs = self._get_prepaid_refunded_packs()
        res = super().button_draft()
        packs._settle_prepaid_hours(grown=packs)
        return res

    def _get_prepaid_refunded_packs(self):
        """The packs that these customer credit notes refund, as superuser:
        the accountant need not read the helpdesk's time."""
        return (
            self.filtered(lambda move: move.move_type == "out_refund")
            .sudo()
            .invoice_line_ids.sale_line_ids.filtered("is_prepaid_pack")
        )
