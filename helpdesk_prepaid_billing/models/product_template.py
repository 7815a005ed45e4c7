# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    prepaid_validity_months = fields.Integer(
        string="Validity (months)",
        help="For prepaid hours: how many months after the order a pack can be "
        "used, a whole number of months from 0. Empty or 0: the hours never "
        "expire.",
    )

    @api.constrains("prepaid_validity_months")
    def _check_prepaid_validity_months(self):
        if any(product.prepaid_validity_months < 0 for product in self):
            raise ValidationError(
                self.env._("The validity of prepaid hours cannot be negative.")
            )
