# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class PrepaidHoursReport(models.Model):
    """The hours billed, spent and at no charge by work type."""

    _inherit = "prepaid.hours.report"
    # merged with the report's own: flushed before the analysis is searched
    _depends = {"account.analytic.line": ["time_type_id"]}  # noqa: RUF012

    time_type_id = fields.Many2one(
        "project.time.type", string="Work Type", readonly=True
    )

    def _get_prepaid_entry_columns(self):
        return super()._get_prepaid_entry_columns() + [
            ("time_type_id", SQL("aal.time_type_id"), "integer")
        ]
