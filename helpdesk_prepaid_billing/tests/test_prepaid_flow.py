# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestPrepaidFlow(PrepaidBillingCommon):
    def test_seed_flow(self):
        """The flow of Odoo's how-to "prepaid support services", step by step.

        1. The team has timesheets on tickets and time billing: its project
           becomes billable.
        2. The pack product is a prepaid service in hours creating a task.
        3. The order is confirmed (task created) and invoiced for 10 h.
        4. A ticket of the customer takes the pack; an agent logs 2.5 h in its
           Timesheets tab.
        5. Delivered on the order line, remaining hours on the ticket, hours
           on the task and in Timesheets all say 2.5 h.
        """
        project = self.env["project.project"].create(
            {"name": "Helpdesk time", "allow_timesheets": True}
        )
        self.assertFalse(project.allow_billable)
        team_form = Form(self.env["helpdesk.ticket.team"])
        team_form.name = "Level 1"
        team_form.allow_timesheet = True
        team_form.default_project_id = project
        team_form.use_helpdesk_sale_timesheet = True
        team = team_form.save()
        self.assertTrue(project.allow_billable, "time billing makes it billable")

        product = self.product_pack
        product.project_id = project
        self.assertEqual(product.service_policy, "ordered_prepaid")
        self.assertEqual(product.uom_id, self.uom_hour)

        line = self._sell(self.customer, 10, product=product)
        order = line.order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(line.task_id.project_id, project, "task in the project")

        invoice = order._create_invoices()
        invoice.action_post()
        self.assertRecordValues(
            line, [{"qty_invoiced": 10.0, "qty_delivered": 0.0, "remaining_hours": 10}]
        )
        self.assertEqual(invoice.amount_untaxed, 800.0)

        ticket = self._create_ticket(self.customer, team=team)
        self.assertRecordValues(
            ticket,
            [{"project_id": project.id, "sale_line_id": line.id}],
        )
        self.assertEqual(ticket.remaining_hours_so, 10.0)

        # what the ticket form sends when a line is added in its Timesheets tab
        ticket.write(
            {
                "timesheet_ids": [
                    Command.create(
                        {
                            "project_id": ticket.project_id.id,
                            "employee_id": self.employee.id,
                            "name": "Diagnosis",
                            "unit_amount": 2.5,
                        }
                    )
                ]
            }
        )
        timesheet = ticket.timesheet_ids
        self.assertRecordValues(
            timesheet,
            [
                {
                    "unit_amount": 2.5,
                    "project_id": project.id,
                    "task_id": line.task_id.id,
                    "so_line": line.id,
                }
            ],
        )
        self.assertEqual(line.qty_delivered, 2.5)
        self.assertEqual(ticket.remaining_hours_so, 7.5)
        self.assertEqual(line.task_id.effective_hours, 2.5)
        self.assertEqual(line.qty_invoiced, 10.0, "prepaid: invoiced stays 10 h")
        in_timesheets = self.env["account.analytic.line"].search(
            [("project_id", "=", project.id), ("so_line", "=", line.id)]
        )
        self.assertEqual(in_timesheets, timesheet)
        self.assertEqual(order.ticket_count, 1)
        action = order.action_view_tickets()
        self.assertEqual(self.env["helpdesk.ticket"].search(action["domain"]), ticket)

    def test_team_switches(self):
        """Time billing needs timesheets; switching timesheets off stops it."""
        with self.assertRaises(ValidationError):
            self.env["helpdesk.ticket.team"].create(
                {"name": "Broken", "use_helpdesk_sale_timesheet": True}
            )
        team = self.team.copy({"name": "Level 2"})
        self.assertTrue(team.use_helpdesk_sale_timesheet)
        team.allow_timesheet = False
        self.assertFalse(team.use_helpdesk_sale_timesheet)

    def test_ticket_project(self):
        """Tickets get the team's project whichever way they are created."""
        by_code = self._create_ticket(self.customer)
        self.assertEqual(by_code.project_id, self.project)

        by_mail = self.env["helpdesk.ticket"].message_new(
            {
                "subject": "Help, my mail is down",
                "body": "<p>Nothing arrives.</p>",
                "email_from": "jeanne@example.com",
                "author_id": self.customer_contact.id,
            },
            custom_values={"team_id": self.team.id},
        )
        self.assertEqual(by_mail.project_id, self.project)
        self.assertEqual(by_mail.sale_line_id.id, False, "no pack sold yet")

        other = self.env["project.project"].create(
            {"name": "Projects", "allow_timesheets": True}
        )
        by_code.project_id = other
        self.assertEqual(by_code.project_id, other, "changeable per ticket")
        timesheet = self._log(by_code, 1)
        self.assertEqual(timesheet.project_id, other)

        plain_team = self.env["helpdesk.ticket.team"].create({"name": "Sales"})
        plain = self._create_ticket(self.customer, team=plain_team)
        self.assertFalse(plain.project_id, "team without timesheets")
        plain.team_id = self.team
        self.assertEqual(plain.project_id, self.project, "follows the new team")
