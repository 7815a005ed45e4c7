# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
from datetime import date

import openpyxl

from odoo.tests import tagged

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestStatement(PrepaidBillingCommon):
    def test_statement_totals(self):
        """Opening balance, entries and closing balance agree with the pack,
        over its whole life and over a period."""
        self.team.write({"prepaid_rounding_unit": 0.25})
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 1.0, date=date(2026, 9, 5))
        self._log(ticket, 2.1, date=date(2026, 10, 7))  # billed 2.25
        self._log(ticket, 0.5, date=date(2026, 11, 2))

        whole = pack._get_prepaid_statement()
        # the purchase opens the ledger, before the time that waited for it
        self.assertEqual(whole["opening"], 0.0)
        purchase, first_balance = whole["rows"][0]
        self.assertEqual(
            (purchase.label, purchase.hours, first_balance),
            (f"Purchase: {pack.order_id.name}, Support pack (hours)", 10.0, 10.0),
        )
        self.assertEqual(len(whole["entries"]), 3)
        self.assertAlmostEqual(whole["used"], pack.prepaid_hours_used)
        self.assertAlmostEqual(whole["closing"], pack.remaining_hours)
        self.assertAlmostEqual(whole["closing"], 6.25)

        october = pack._get_prepaid_statement(date(2026, 10, 1), date(2026, 10, 31))
        self.assertEqual(october["opening"], 9.0)
        self.assertEqual(october["entries"].mapped("billed_hours"), [2.25])
        self.assertAlmostEqual(october["closing"], 6.75)

        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "helpdesk_prepaid_billing.action_report_prepaid_statement", pack.ids
            )[0]
            .decode()
        )
        self.assertIn("Opening balance", html)
        self.assertIn("06:15", html, "closing balance")

        wizard = self.env["prepaid.statement.wizard"].create(
            {
                "partner_id": self.customer_contact.id,
                "date_from": date(2026, 10, 1),
                "date_to": date(2026, 10, 31),
            }
        )
        # (discard_logo_check: skip Odoo's one-time document layout dialog)
        action = wizard.with_context(discard_logo_check=True).action_print()
        self.assertEqual(action["context"]["active_ids"], pack.ids)
        self.assertEqual(action["data"]["date_from"], "2026-10-01")

    def test_analysis(self):
        """The analysis compares hours sold and used by customer and agent."""
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 2)
        self._log(ticket, 1.5, employee=self.agent_employee)
        Report = self.env["prepaid.hours.report"]
        (totals,) = Report._read_group(
            [("pack_id", "=", pack.id)],
            [],
            ["hours_sold:sum", "hours_used:sum", "hours_remaining:sum"],
        )
        self.assertEqual(totals, (10.0, 3.5, 6.5))
        by_agent = dict(
            Report._read_group(
                [("pack_id", "=", pack.id), ("employee_id", "!=", False)],
                ["employee_id"],
                ["hours_used:sum"],
            )
        )
        self.assertEqual(by_agent, {self.employee: 2.0, self.agent_employee: 1.5})

        # a row opened from the list is the row that was listed, however the
        # analysis is filtered
        rows = Report.search([("pack_id", "=", pack.id)], order="hours_used desc")
        listed = [(row.id, row.hours_used, row.employee_id) for row in rows]
        self.env.invalidate_all()
        agent_row = Report.search(
            [("pack_id", "=", pack.id), ("employee_id", "=", self.agent_employee.id)]
        )
        self.assertIn((agent_row.id, 1.5, self.agent_employee), listed)
        self.assertEqual(len(set(rows.ids)), 3, "the pack and its two entries")

    def test_ledger(self):
        """Every move of a pack's hours, in order, with a running balance that
        ends on the hours the pack shows, over its life and over a period."""
        self.product_pack.prepaid_validity_months = 3
        pack = self._sell(self.customer, 10, order_date="2026-01-05 09:00:00")
        invoice = pack.order_id._create_invoices()
        invoice.action_post()
        # the pack has expired since: the ticket is put on it by hand
        ticket = self._create_ticket(self.customer, sale_line_id=pack.id)
        self._log(ticket, 2, date=date(2026, 1, 20), name="Printer")
        Adjustment = self.env["prepaid.hours.adjustment"]
        Adjustment.create(
            {
                "sale_line_id": pack.id,
                "date": date(2026, 2, 1),
                "hours": 1.5,
                "reason": "Goodwill: outage",
            }
        )
        self._log(ticket, 3, date=date(2026, 2, 10), name="Server")
        credit_note = invoice._reverse_moves()
        credit_note.invoice_line_ids.quantity = 2
        credit_note.invoice_date = date(2026, 3, 1)
        credit_note.action_post()
        self.assertEqual(pack.prepaid_hours_expired, 4.5, "ended on 5 April")

        ledger = pack._get_prepaid_statement()
        purchase = f"Purchase: {pack.order_id.name}, Support pack (hours)"
        self.assertEqual(
            [
                (move.date, move.label or move.record.name, move.hours, balance)
                for move, balance in ledger["rows"]
            ],
            [
                (date(2026, 1, 5), purchase, 10.0, 10.0),
                (date(2026, 1, 20), "Printer", -2.0, 8.0),
                (date(2026, 2, 1), "Adjustment: Goodwill: outage", 1.5, 9.5),
                (date(2026, 2, 10), "Server", -3.0, 6.5),
                (date(2026, 3, 1), f"Credit note {credit_note.name}", -2.0, 4.5),
                (date(2026, 4, 6), "Expired", -4.5, 0.0),
            ],
        )
        self.assertEqual(ledger["closing"], pack.prepaid_hours_remaining)
        february = pack._get_prepaid_statement(date(2026, 2, 1), date(2026, 2, 28))
        self.assertEqual(
            (february["opening"], february["closing"], february["used"]),
            (8.0, 6.5, 3.0),
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "helpdesk_prepaid_billing.action_report_prepaid_statement", pack.ids
            )[0]
            .decode()
        )
        for text in ("Goodwill: outage", credit_note.name, "Expired", "Balance"):
            self.assertIn(text, html)

        # the same as a spreadsheet, for the accountant
        wizard = self.env["prepaid.statement.wizard"].create(
            {"partner_id": self.customer.id}
        )
        action = wizard.action_export_xlsx()
        self.assertIn(f"id={wizard.id}&field=statement_file", action["url"])
        sheet = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.statement_file))
        ).active
        rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
        self.assertEqual(
            [(row[3], row[8], row[9]) for row in rows[-3:]],
            [
                (f"Credit note {credit_note.name}", -2.0, 4.5),
                ("Expired", -4.5, 0.0),
                ("Closing balance", None, 0.0),
            ],
        )
        self.assertEqual(
            wizard.statement_filename, "Prepaid hours statement Dupont SA.xlsx"
        )
