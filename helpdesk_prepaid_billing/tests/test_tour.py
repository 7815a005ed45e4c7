# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import create_pack_product, sell_pack


@tagged("post_install", "-at_install")
class TestPrepaidBillingTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.hour = cls.env.ref("uom.product_uom_hour")
        cls.project = cls.env["project.project"].create(
            {"name": "Tour support", "allow_timesheets": True}
        )
        cls.product = create_pack_product(cls.env, cls.project, "Tour pack")

    def _team(self, name, **vals):
        return self.env["helpdesk.ticket.team"].create(
            dict(
                {
                    "name": name,
                    "allow_timesheet": True,
                    "default_project_id": self.project.id,
                    "use_helpdesk_sale_timesheet": True,
                    "user_ids": [Command.link(self.env.ref("base.user_admin").id)],
                },
                **vals,
            )
        )

    def _pack_and_ticket(self, team, customer_name, hours, ticket_name):
        customer = self.env["res.partner"].create({"name": customer_name})
        pack = sell_pack(self.env, customer, self.product, hours)
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": ticket_name,
                "description": "<p>Help!</p>",
                "team_id": team.id,
                "partner_id": customer.id,
            }
        )
        self.assertEqual(ticket.sale_line_id, pack)
        return pack, ticket

    def test_agent_logs_time_on_ticket(self):
        """An agent logs 2h30 on a ticket: the remaining hours and the banner
        drop from 10 h to 7.5 h, and the order shows 2.5 h delivered."""
        line, ticket = self._pack_and_ticket(
            self._team("Tour team"), "Tour customer", 10, "Tour: VPN down"
        )

        self.start_tour("/odoo", "helpdesk_prepaid_billing_tour", login="admin")

        self.assertEqual(line.qty_delivered, 2.5)
        self.assertEqual(ticket.timesheet_ids.task_id, line.task_id)

    def test_agent_meets_overage_policies(self):
        """An agent (no sales rights) is stopped by the block policy and sees
        the overage billed under the bill policy."""
        agent = new_test_user(
            self.env,
            login="hpb_tour_agent",
            name="Tour Agent",
            groups="helpdesk_mgmt.group_helpdesk_user,"
            "hr_timesheet.group_hr_timesheet_user,project.group_project_user",
        )
        employee = self.env["hr.employee"].create(
            {"name": "Tour Agent", "user_id": agent.id}
        )
        blocked_line, blocked = self._pack_and_ticket(
            self._team("Tour block", prepaid_overage_policy="block"),
            "Tour blocked customer",
            2,
            "Tour: blocked",
        )
        self.env["account.analytic.line"].create(
            {
                "ticket_id": blocked.id,
                "employee_id": employee.id,
                "name": "First call",
                "unit_amount": 1.5,
            }
        )
        overage_product = self.env["product.product"].create(
            {
                "name": "Tour overage",
                "type": "service",
                "uom_id": self.hour.id,
                "uom_po_id": self.hour.id,
                "service_policy": "delivered_timesheet",
            }
        )
        overage_line, overage = self._pack_and_ticket(
            self._team(
                "Tour bill",
                prepaid_overage_policy="bill",
                overage_product_id=overage_product.id,
            ),
            "Tour overage customer",
            1,
            "Tour: overage",
        )

        self.start_tour(
            "/odoo", "helpdesk_prepaid_billing_policies_tour", login="hpb_tour_agent"
        )

        self.assertEqual(blocked.timesheet_ids.mapped("unit_amount"), [1.5])
        self.assertEqual(blocked_line.remaining_hours, 0.5)
        extra = overage.timesheet_ids.so_line - overage_line
        self.assertTrue(extra.order_id.is_prepaid_overage)
        self.assertEqual((overage_line.qty_delivered, extra.qty_delivered), (1.0, 0.5))
