# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _feed_prepaid_customers(self):
        res = super()._feed_prepaid_customers()
        self.order_line.filtered("prepaid_period_start")._take_prepaid_period_time()
        return res
