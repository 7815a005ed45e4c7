# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io

import openpyxl

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import create_pack_product, sell_pack


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    """What the customer sees of its prepaid hours on the portal, and what it
    cannot reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        project = cls.env["project.project"].create(
            {"name": "Portal support", "allow_timesheets": True}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Portal team",
                "allow_timesheet": True,
                "show_timesheet_portal": True,
                "default_project_id": project.id,
                "use_helpdesk_sale_timesheet": True,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Portal Customer SA", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Paula Portal", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Someone Else SARL", "is_company": True}
        )

        cls.product = create_pack_product(cls.env, project, "Portal pack")
        cls.pack = cls._sell(cls.customer, 10)
        cls.other_pack = cls._sell(cls.other_customer, 5)
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Portal: printer jammed",
                "description": "<p>Jammed.</p>",
                "team_id": cls.team.id,
                "partner_id": cls.contact.id,
            }
        )
        cls.employee = cls.env["hr.employee"].create({"name": "Portal Agent"})
        cls.env["account.analytic.line"].create(
            [
                {
                    "ticket_id": cls.ticket.id,
                    "employee_id": cls.employee.id,
                    "name": name,
                    "unit_amount": hours,
                }
                for name, hours in (("Diagnosis", 1.5), ("Roller replaced", 2.0))
            ]
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="hpb_portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )

    @classmethod
    def _sell(cls, partner, hours):
        return sell_pack(cls.env, partner, cls.product, hours)

    def test_long_history(self):
        """Years in, the page stays short: ten packs a page, newest first,
        each with the ten tickets that used it most; the rest is a page or
        the statement away."""
        packs = [self._sell(self.customer, 10) for _i in range(11)]
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Portal: request {number:02d}",
                    "description": "<p>Quick question.</p>",
                    "team_id": self.team.id,
                    "partner_id": self.contact.id,
                }
                for number in range(12)
            ]
        )
        self.env["account.analytic.line"].create(
            [
                {
                    "ticket_id": ticket.id,
                    "employee_id": self.employee.id,
                    "name": "Quick fix",
                    "unit_amount": 0.5,
                }
                for ticket in tickets
            ]
        )
        self.assertEqual(self.pack.remaining_hours, 0.5, "the oldest pack first")
        self.authenticate("hpb_portal", "hpb_portal")
        first = self.url_open("/my/prepaid-hours").text
        self.assertEqual(first.count('class="card mt-3 o_prepaid_pack"'), 10)
        self.assertIn(packs[-1].order_id.name, first)
        self.assertNotIn(self.pack.order_id.name, first)
        self.assertIn("/my/prepaid-hours/page/2", first)

        second = self.url_open("/my/prepaid-hours/page/2").text
        self.assertEqual(second.count('class="card mt-3 o_prepaid_pack"'), 2)
        self.assertIn(self.pack.order_id.name, second)
        # the printer (3.50 h) and nine of the quick fixes; three more
        self.assertIn("Portal: printer jammed", second)
        self.assertEqual(second.count("Portal: request"), 9)
        self.assertRegex(second, r"3</span>\s+more tickets")

    def test_packs_page(self):
        """The customer sees its own pack, its figures and its tickets, and
        not another customer's; the portal home counts its packs."""
        self.authenticate("hpb_portal", "hpb_portal")
        page = self.url_open("/my/prepaid-hours")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.pack.order_id.name, page.text)
        self.assertIn("06:30", page.text, "hours left")
        self.assertIn("Portal: printer jammed", page.text)
        self.assertNotIn(self.other_pack.order_id.name, page.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["prepaid_pack_count"]}
        )
        self.assertEqual(counters["prepaid_pack_count"], 1)

    def test_statement_download(self):
        """Its own statement downloads; another customer's pack is not found,
        even by changing the id in the address."""
        self.authenticate("hpb_portal", "hpb_portal")
        own = self.url_open(f"/my/prepaid-hours/{self.pack.id}/statement")
        self.assertEqual(own.status_code, 200)
        self.assertIn("Closing balance", own.text)
        self.assertIn("Roller replaced", own.text)
        other = self.url_open(f"/my/prepaid-hours/{self.other_pack.id}/statement")
        self.assertEqual(other.status_code, 404)
        self.assertNotIn("Someone Else", other.text)

    def test_adjustments_and_spreadsheet(self):
        """An adjustment shows on the customer's pack with its reason; the
        statement downloads as a spreadsheet whose running balance ends on
        the hours left, and only the customer's own."""
        self.env["prepaid.hours.adjustment"].create(
            {"sale_line_id": self.pack.id, "hours": 2, "reason": "Goodwill: outage"}
        )
        self.authenticate("hpb_portal", "hpb_portal")
        page = self.url_open("/my/prepaid-hours").text
        self.assertIn("Adjusted", page)
        self.assertIn("Goodwill: outage", page)
        self.assertIn("08:30", page, "hours left")

        response = self.url_open(f"/my/prepaid-hours/{self.pack.id}/statement.xlsx")
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
        operations = [row[3] for row in rows[1:]]
        self.assertEqual(
            operations,
            [
                "Opening balance",
                f"Purchase: {self.pack.order_id.name}, Portal pack",
                # on one day, the hours given come before those taken
                "Adjustment: Goodwill: outage",
                "Time spent",
                "Time spent",
                "Closing balance",
            ],
        )
        self.assertEqual(rows[-1][9], 8.5)
        other = self.url_open(f"/my/prepaid-hours/{self.other_pack.id}/statement.xlsx")
        self.assertEqual(other.status_code, 404)

    def test_anonymous_refused(self):
        """Without a session the pages send to the login page."""
        statement = f"/my/prepaid-hours/{self.pack.id}/statement"
        for url in ("/my/prepaid-hours", statement):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
            self.assertIn("/web/login", response.headers["Location"])

    def test_ticket_page(self):
        """The ticket page lists the time, its total and the pack's balance."""
        self.authenticate("hpb_portal", "hpb_portal")
        page = self.url_open(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Roller replaced", page.text)
        self.assertIn("03:30", page.text, "total")
        self.assertIn("6.50 h left of 10.00 h", page.text)

    def test_close_only_own_ticket(self):
        """A portal user cannot close another customer's ticket, nor its own
        by a plain link; its own closes from the ticket page's form."""
        stage = self.env["helpdesk.ticket.stage"].search(
            [("close_from_portal", "=", True)], limit=1
        )
        other_ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Someone else's ticket",
                "description": "<p>Private.</p>",
                "team_id": self.team.id,
                "partner_id": self.other_customer.id,
            }
        )
        self.authenticate("hpb_portal", "hpb_portal")
        query = f"stage_id={stage.id}&ticket_id="
        response = self.url_open(f"/ticket/close?{query}{self.ticket.id}")
        self.assertEqual(response.status_code, 405, "no closing by a plain GET")
        response = self.url_open(
            "/ticket/close",
            data={
                "ticket_id": other_ticket.id,
                "stage_id": stage.id,
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotEqual(other_ticket.stage_id, stage)
        response = self.url_open(
            "/ticket/close",
            data={
                "ticket_id": self.ticket.id,
                "stage_id": stage.id,
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.ticket.stage_id, stage)

    def test_portal_tour(self):
        """The customer opens its prepaid hours from the portal home, then a
        ticket, and finds the statement to download."""
        self.start_tour(
            "/my", "helpdesk_prepaid_billing_portal_tour", login="hpb_portal"
        )
