# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    prepaid_validity_months = fields.Integer(
        string="Validity (months)",
        help="For prepaid hours: how many months after the order a pack can be "
        "used. Empty: the hours never expire.",
    )
