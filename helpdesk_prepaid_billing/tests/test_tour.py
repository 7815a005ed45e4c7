# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPrepaidBillingTour(HttpCase):
    def test_agent_logs_time_on_ticket(self):
        """An agent logs 2h30 on a ticket: the remaining hours drop from 10:00
        to 7:30 and the order shows 2.5 h delivered."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        project = env["project.project"].create(
            {"name": "Tour support", "allow_timesheets": True}
        )
        team = env["helpdesk.ticket.team"].create(
            {
                "name": "Tour team",
                "allow_timesheet": True,
                "default_project_id": project.id,
                "use_helpdesk_sale_timesheet": True,
                "user_ids": [Command.link(env.ref("base.user_admin").id)],
            }
        )
        product = env["product.product"].create(
            {
                "name": "Tour pack",
                "type": "service",
                "uom_id": env.ref("uom.product_uom_hour").id,
                "uom_po_id": env.ref("uom.product_uom_hour").id,
                "service_policy": "ordered_prepaid",
                "service_tracking": "task_global_project",
                "project_id": project.id,
            }
        )
        customer = env["res.partner"].create({"name": "Tour customer"})
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 10})
                ],
            }
        )
        order.action_confirm()
        ticket = env["helpdesk.ticket"].create(
            {
                "name": "Tour: VPN down",
                "description": "<p>No VPN since this morning.</p>",
                "team_id": team.id,
                "partner_id": customer.id,
            }
        )
        self.assertEqual(ticket.sale_line_id, order.order_line)

        self.start_tour("/odoo", "helpdesk_prepaid_billing_tour", login="admin")

        self.assertEqual(order.order_line.qty_delivered, 2.5)
        self.assertEqual(ticket.timesheet_ids.task_id, order.order_line.task_id)
