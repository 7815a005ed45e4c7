# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ReportPrepaidStatement(models.AbstractModel):
    _name = "report.helpdesk_prepaid_billing.report_prepaid_statement"
    _description = "Prepaid Hours Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        date_from = fields.Date.to_date(data.get("date_from"))
        date_to = fields.Date.to_date(data.get("date_to"))
        packs = self.env["sale.order.line"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "sale.order.line",
            "docs": packs,
            "date_from": date_from,
            "date_to": date_to,
            "statements": {
                pack.id: pack._get_prepaid_statement(date_from, date_to)
                for pack in packs
            },
        }
