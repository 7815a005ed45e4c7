# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestSecurity(PrepaidBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line = cls._sell(cls.customer, 10)
        cls.ticket = cls._create_ticket(cls.customer, user_id=cls.agent.id)

    def test_agent_logs_time_without_sales_rights(self):
        """An agent with no sales rights logs billed time and sees the
        balance of the pack, but cannot read the order or its prices."""
        ticket = self.ticket.with_user(self.agent)
        self.assertFalse(self.agent.has_group("sales_team.group_sale_salesman"))
        timesheet = (
            self.env["account.analytic.line"]
            .with_user(self.agent)
            .create(
                {
                    "ticket_id": ticket.id,
                    "name": "Phone call",
                    "unit_amount": 1.5,
                }
            )
        )
        self.assertEqual(timesheet.employee_id, self.agent_employee)
        self.assertEqual(timesheet.sudo().so_line, self.line)
        self.assertEqual(self.line.qty_delivered, 1.5)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.remaining_hours_so, 8.5)
        # the ticket form reads the pack's name, not the order
        data = ticket.web_read(
            {
                "sale_line_id": {"fields": {"display_name": {}}},
                "remaining_hours_so": {},
            }
        )[0]
        self.assertEqual(data["sale_line_id"]["id"], self.line.id)
        self.assertEqual(data["remaining_hours_so"], 8.5)
        with self.assertRaises(AccessError):
            self.line.with_user(self.agent).read(["price_unit"])
        with self.assertRaises(AccessError):
            self.line.order_id.with_user(self.agent).read(["amount_total"])

    def test_salesman_sees_tickets_of_order(self):
        """A salesman who is also a helpdesk user gets the Tickets button;
        a salesman without helpdesk rights does not read tickets."""
        salesman = self.env["res.users"].create(
            {
                "name": "Salesman",
                "login": "hpb_salesman",
                "groups_id": [
                    (4, self.env.ref("sales_team.group_sale_salesman_all_leads").id)
                ],
            }
        )
        order = self.line.order_id.with_user(salesman)
        with self.assertRaises(AccessError):
            order.read(["ticket_count"])
        salesman.groups_id |= self.env.ref("helpdesk_mgmt.group_helpdesk_user")
        self.assertEqual(order.read(["ticket_count"])[0]["ticket_count"], 1)
