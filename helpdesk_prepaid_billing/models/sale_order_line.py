# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model
    def _prepaid_pack_domain(self):
        """Confirmed lines of prepaid services ('ordered_prepaid') sold in a
        time unit, with hours left."""
        uom_hour = self.env.ref("uom.product_uom_hour")
        return [
            ("state", "=", "sale"),
            ("product_id.type", "=", "service"),
            ("product_id.invoice_policy", "=", "order"),
            ("product_id.service_type", "=", "timesheet"),
            ("product_uom.category_id", "=", uom_hour.category_id.id),
            ("remaining_hours", ">", 0),
        ]
