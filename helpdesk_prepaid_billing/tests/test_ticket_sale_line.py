# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestTicketSaleLine(PrepaidBillingCommon):
    def test_team_without_billing(self):
        """A team that does not bill time: no pack, time not billed."""
        self._sell(self.customer, 10)
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Internal",
                "allow_timesheet": True,
                "default_project_id": self.project.id,
            }
        )
        ticket = self._create_ticket(self.customer, team=team)
        self.assertFalse(ticket.sale_line_id)
        timesheet = self._log(ticket, 2)
        self.assertEqual(timesheet.project_id, self.project)
        self.assertFalse(timesheet.so_line)

    def test_contact_uses_company_pack(self):
        """A contact's ticket draws on the company's pack, and the other way
        round for a pack sold to a contact."""
        company_line = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer_contact)
        self.assertEqual(ticket.sale_line_id, company_line)

        other_contact = self.env["res.partner"].create(
            {"name": "Paul Martin", "parent_id": self.other_customer.id}
        )
        contact_line = self._sell(other_contact, 5)
        ticket_2 = self._create_ticket(self.other_customer)
        self.assertEqual(ticket_2.sale_line_id, contact_line)

    def test_oldest_pack_first_and_exhausted_skipped(self):
        """Oldest pack with hours left first; a used-up pack is skipped."""
        newer = self._sell(self.customer, 10, order_date="2026-06-01 10:00:00")
        older = self._sell(self.customer, 3, order_date="2026-01-15 10:00:00")
        first = self._create_ticket(self.customer)
        self.assertEqual(first.sale_line_id, older)
        self._log(first, 3)
        self.assertEqual(older.remaining_hours, 0.0)
        self.assertEqual(first.sale_line_id, newer, "moves on to the next pack")

        second = self._create_ticket(self.customer)
        self.assertEqual(second.sale_line_id, newer, "exhausted pack skipped")
        self.assertEqual(second.remaining_hours_so, 10.0)
        # a pack of another customer or a non-prepaid service is never picked
        self._sell(self.other_customer, 50)
        self.assertEqual(self._create_ticket(self.customer).sale_line_id, newer)

    def test_late_pack_picks_up_earlier_time(self):
        """Time logged before any pack was sold is billed once one is, at the
        cost it had; an edited entry is costed again."""
        self.employee.hourly_cost = 40.0
        ticket = self._create_ticket(self.customer_contact)
        timesheet = self._log(ticket, 1.5)
        self.assertFalse(ticket.sale_line_id)
        self.assertFalse(timesheet.so_line, "not billed yet")
        self.assertEqual(timesheet.amount, -60.0)

        line = self._sell(self.customer, 10)
        self.assertEqual(ticket.sale_line_id, line)
        self.assertRecordValues(
            timesheet,
            [{"so_line": line.id, "task_id": line.task_id.id, "amount": -60.0}],
        )
        self.assertEqual(line.qty_delivered, 1.5)
        self.assertEqual(ticket.remaining_hours_so, 8.5)

        timesheet.unit_amount = 2.0
        self.assertEqual(timesheet.amount, -80.0)
        self.assertEqual(line.qty_delivered, 2.0)

    def test_timesheet_costed_at_the_project_rate_of_the_employee(self):
        """A project's own hourly cost for an employee (employee rate) costs
        the agent's ticket time, not the employee's usual cost."""
        self.agent_employee.hourly_cost = 40.0
        project = self.env["project.project"].create(
            {
                "name": "Consulting",
                "allow_timesheets": True,
                "allow_billable": True,
                "sale_line_employee_ids": [
                    Command.create({"employee_id": self.agent_employee.id})
                ],
            }
        )
        project.sale_line_employee_ids.cost = 55.0
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Consulting",
                "allow_timesheet": True,
                "default_project_id": project.id,
            }
        )
        ticket = self._create_ticket(self.customer, team=team)
        timesheet = (
            self.env["account.analytic.line"]
            .with_user(self.agent)
            .create(
                {
                    "ticket_id": ticket.id,
                    "employee_id": self.agent_employee.id,
                    "name": "Audit",
                    "unit_amount": 2.0,
                }
            )
        )
        self.assertEqual(timesheet.project_id, project)
        self.assertEqual(timesheet.amount, -110.0)

    def test_analytic_line_other_than_time_keeps_its_amount(self):
        """An analytic line that is not a timesheet (no project) keeps the
        amount it is given, even with an employee on it."""
        self.employee.hourly_cost = 40.0
        line = self.env["account.analytic.line"].create(
            {
                "name": "Travel expenses",
                "account_id": self.project.account_id.id,
                "employee_id": self.employee.id,
                "unit_amount": 3.0,
                "amount": -250.0,
            }
        )
        self.assertFalse(line.project_id)
        self.assertEqual(line.amount, -250.0)

    def test_foreign_line_refused(self):
        """A line of another customer or company is refused, nothing changes."""
        own = self._sell(self.customer, 10)
        foreign = self._sell(self.other_customer, 10)
        ticket = self._create_ticket(self.customer)
        with self.assertRaises(ValidationError) as error:
            ticket.sale_line_id = foreign
        self.assertIn("Martin SARL", str(error.exception))
        self.assertEqual(ticket.sale_line_id, own)
        with self.assertRaises(ValidationError):
            self._create_ticket(self.other_customer, sale_line_id=own.id)

    def test_change_customer_changes_pack(self):
        """Changing the ticket's customer moves it and its time to the new
        customer's pack."""
        own = self._sell(self.customer, 10)
        other = self._sell(self.other_customer, 10)
        ticket = self._create_ticket(self.customer)
        timesheet = self._log(ticket, 2)
        ticket.partner_id = self.other_customer
        self.assertEqual(ticket.sale_line_id, other)
        self.assertEqual(timesheet.so_line, other)
        self.assertEqual((own.qty_delivered, other.qty_delivered), (0.0, 2.0))
        self.assertEqual((own.remaining_hours, other.remaining_hours), (10.0, 8.0))

    def test_line_changes_move_timesheets(self):
        """Set, changed or removed: the ticket's time follows its line."""
        first = self._sell(self.customer, 10)
        second = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        timesheet = self._log(ticket, 4)
        self.assertEqual(first.qty_delivered, 4.0)

        ticket.sale_line_id = second
        self.assertRecordValues(
            timesheet, [{"so_line": second.id, "task_id": second.task_id.id}]
        )
        self.assertEqual((first.qty_delivered, second.qty_delivered), (0.0, 4.0))

        ticket.sale_line_id = False
        self.assertFalse(timesheet.so_line, "ticket made non-billable")
        self.assertEqual(second.qty_delivered, 0.0)
        self.assertEqual(timesheet.timesheet_invoice_type, "non_billable")

    def test_days_pack_converted(self):
        """A pack sold in days is consumed by hours, converted (1 day = 8 h)."""
        product_days = self._create_pack_product("Support pack (days)", self.uom_day)
        line = self._sell(self.customer, 2, product=product_days)
        ticket = self._create_ticket(self.customer)
        self.assertEqual(ticket.sale_line_id, line)
        self.assertEqual(ticket.remaining_hours_so, 16.0)
        self._log(ticket, 4)
        self.assertAlmostEqual(line.qty_delivered, 0.5)
        self.assertAlmostEqual(ticket.remaining_hours_so, 12.0)

    def test_multi_company(self):
        """A pack of company B is never picked nor accepted in company A."""
        company_b = self.setup_other_company(name="Company B")["company"]
        self.env.user.company_ids |= company_b
        product_b = self.env["product.product"].create(
            {
                "name": "Support pack of company B",
                "type": "service",
                "uom_id": self.uom_hour.id,
                "uom_po_id": self.uom_hour.id,
                "service_policy": "ordered_prepaid",
                "company_id": company_b.id,
            }
        )
        order_b = (
            self.env["sale.order"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company_b.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product_b.id,
                                "name": "Support pack of company B",
                                "product_uom_qty": 8,
                            }
                        )
                    ],
                }
            )
        )
        order_b.action_confirm()
        ticket = self._create_ticket(self.customer)
        self.assertEqual(ticket.company_id, self.company)
        self.assertFalse(ticket.sale_line_id, "pack of company B not picked")
        with self.assertRaises(ValidationError):
            ticket.sale_line_id = order_b.order_line
        self.assertFalse(ticket.sale_line_id)
