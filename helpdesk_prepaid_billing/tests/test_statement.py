# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

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
        self.assertEqual(whole["opening"], 10.0)
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
