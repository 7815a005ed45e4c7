# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class PrepaidHoursReport(models.Model):
    """The hours of each retainer period."""

    _inherit = "prepaid.hours.report"
    # merged with the report's own: flushed before the analysis is searched
    _depends = {"sale.order.line": ["prepaid_period_start"]}  # noqa: RUF012

    period_start = fields.Date(
        string="Period",
        readonly=True,
        help="The first day of the retainer period of the row's pack.",
    )

    def _get_prepaid_pack_columns(self):
        return super()._get_prepaid_pack_columns() + [
            ("period_start", SQL("sol.prepaid_period_start"), "date")
        ]
