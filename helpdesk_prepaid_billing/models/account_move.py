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
