# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io

import xlsxwriter

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

    @api.model
    def _render_xlsx(self, packs, date_from=None, date_to=None):
        """The statements of ``packs`` as one spreadsheet, for the accountant:
        a row per move with its running balance, in hours as decimals."""
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Prepaid Hours"))
        bold = workbook.add_format({"bold": True})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        hours = workbook.add_format({"num_format": "0.00"})
        total = workbook.add_format({"num_format": "0.00", "bold": True})
        _ = self.env._
        headers = [
            _("Customer"),
            _("Pack"),
            _("Date"),
            _("Operation"),
            _("Ticket"),
            _("Agent"),
            _("Description"),
            _("Spent"),
            _("Hours"),
            _("Balance"),
        ]
        sheet.write_row(0, 0, headers, bold)
        sheet.set_column(0, 1, 18)
        sheet.set_column(2, 2, 11)
        sheet.set_column(3, 6, 24)
        sheet.set_column(7, 9, 10)
        row = 1
        for pack in packs.sudo():
            statement = pack._get_prepaid_statement(date_from, date_to)
            customer = pack.prepaid_partner_id.name
            head = [customer, pack.order_id.name]
            sheet.write_row(row, 0, [*head, None, _("Opening balance")], bold)
            sheet.write_number(row, 9, statement["opening"], total)
            row += 1
            for move, balance in statement["rows"]:
                entry = move.entry
                sheet.write_row(row, 0, head)
                sheet.write_datetime(row, 2, move.date, day)
                if entry:
                    sheet.write_row(
                        row,
                        3,
                        [
                            _("Time spent"),
                            entry.ticket_id.display_name or "",
                            entry.employee_id.name or "",
                            entry.name or "",
                        ],
                    )
                    sheet.write_number(row, 7, entry.unit_amount, hours)
                else:
                    sheet.write_string(row, 3, move.label)
                sheet.write_number(row, 8, move.hours, hours)
                sheet.write_number(row, 9, balance, hours)
                row += 1
            sheet.write_row(row, 0, [*head, None, _("Closing balance")], bold)
            sheet.write_number(row, 9, statement["closing"], total)
            row += 2
        workbook.close()
        return output.getvalue()
