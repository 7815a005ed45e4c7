# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # on an overage order: the retainer period whose overage it bills, one
    # order per period (see sale.order.line._get_prepaid_overage_order_vals)
    prepaid_overage_period_start = fields.Date(
        string="Overage Period Start",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    prepaid_overage_period_end = fields.Date(
        string="Overage Period End", readonly=True, copy=False
    )

    def _feed_prepaid_customers(self):
        res = super()._feed_prepaid_customers()
        self.order_line.filtered("prepaid_period_start")._take_prepaid_period_time()
        return res
