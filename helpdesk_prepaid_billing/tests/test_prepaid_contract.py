# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestPrepaidContract(PrepaidBillingCommon):
    """Packs that behave like a block-hours contract."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_overage = cls._create_overage_product(
            list_price=100.0, taxes_id=[Command.clear()]
        )
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Helpdesk Manager",
                "login": "hpb_manager",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("helpdesk_mgmt.group_helpdesk_manager").id,
                            cls.env.ref("hr_timesheet.group_hr_timesheet_user").id,
                        ]
                    )
                ],
            }
        )
        cls.manager_employee = cls.env["hr.employee"].create(
            {"name": "Helpdesk Manager", "user_id": cls.manager.id}
        )

    def test_entry_split_over_packs(self):
        """An entry larger than the pack is split, one line per pack, each
        costed for its hours, and the ticket moves on to the next pack."""
        self.employee.hourly_cost = 40.0
        older = self._sell(self.customer, 2, order_date="2026-01-10 09:00:00")
        newer = self._sell(self.customer, 10, order_date="2026-03-10 09:00:00")
        ticket = self._create_ticket(self.customer)
        self.assertEqual(ticket.sale_line_id, older)
        self._log(ticket, 5, name="Server reinstall", date=date(2026, 11, 2))

        timesheets = ticket.timesheet_ids.sorted("unit_amount")
        self.assertRecordValues(
            timesheets,
            [
                {
                    "unit_amount": 2.0,
                    "so_line": older.id,
                    "task_id": older.task_id.id,
                    "name": "Server reinstall",
                    "employee_id": self.employee.id,
                    "date": date(2026, 11, 2),
                    "amount": -80.0,
                },
                {
                    "unit_amount": 3.0,
                    "so_line": newer.id,
                    "task_id": newer.task_id.id,
                    "name": "Server reinstall",
                    "employee_id": self.employee.id,
                    "date": date(2026, 11, 2),
                    "amount": -120.0,
                },
            ],
        )
        self.assertEqual((older.remaining_hours, newer.remaining_hours), (0.0, 7.0))
        self.assertEqual(ticket.sale_line_id, newer)
        self.assertEqual(ticket.total_hours, 5.0, "the hours actually spent")

    def test_overage_allow(self):
        """Allow (default): the last pack goes negative."""
        line = self._sell(self.customer, 2)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 3)
        self.assertEqual(len(ticket.timesheet_ids), 1)
        self.assertEqual(line.remaining_hours, -1.0)
        self.assertEqual(ticket.prepaid_banner_level, "danger")
        self.assertIn("Over by 1.00 h", ticket.prepaid_banner)

    def test_overage_billed(self):
        """Bill overage: hours beyond the packs go to the customer's overage
        order, at the team's price, and are invoiced as delivered."""
        self.team.write(
            {
                "prepaid_overage_policy": "bill",
                "overage_product_id": self.product_overage.id,
                "overage_price_unit": 120.0,
            }
        )
        pack = self._sell(self.customer, 2)
        ticket = self._create_ticket(self.customer_contact)
        self._log(ticket, 3)
        overage = ticket.timesheet_ids.so_line - pack
        self.assertTrue(overage.order_id.is_prepaid_overage)
        self.assertEqual(overage.order_id.state, "sale")
        self.assertEqual(overage.order_id.partner_id, self.customer)
        self.assertEqual((pack.remaining_hours, overage.qty_delivered), (0.0, 1.0))
        self.assertIn("Over by 1.00 h, billed as overage", ticket.prepaid_banner)

        other_ticket = self._create_ticket(self.customer)
        self._log(other_ticket, 0.5)
        self.assertEqual(overage.qty_delivered, 1.5, "same open overage line")
        invoice = overage.order_id._create_invoices()
        self.assertEqual(invoice.amount_untaxed, 180.0)

        no_pack = self._create_ticket(self.other_customer)
        self.assertIn("billed as overage", no_pack.prepaid_banner)
        self._log(no_pack, 1)
        self.assertTrue(no_pack.timesheet_ids.so_line.order_id.is_prepaid_overage)
        self.assertEqual(
            no_pack.timesheet_ids.so_line.order_partner_id, self.other_customer
        )

    def test_overage_blocked(self):
        """Block: an agent cannot log beyond the balance, nothing is written; a
        helpdesk manager can, and the ticket's chatter says so."""
        self.team.prepaid_overage_policy = "block"
        pack = self._sell(self.customer, 2)
        ticket = self._create_ticket(self.customer, user_id=self.agent.id)
        self._log(ticket, 1.5)
        with self.assertRaises(UserError) as error:
            self.env["account.analytic.line"].with_user(self.agent).create(
                {"ticket_id": ticket.id, "name": "Too much", "unit_amount": 1}
            )
        self.assertIn("Only 0.50 h of prepaid hours are left", str(error.exception))
        self.assertEqual(len(ticket.timesheet_ids), 1)
        self.assertEqual(pack.remaining_hours, 0.5)

        self.env["account.analytic.line"].with_user(self.manager).create(
            {"ticket_id": ticket.id, "name": "Urgent fix", "unit_amount": 1}
        )
        self.assertEqual(pack.remaining_hours, -0.5)
        note = ticket.message_ids[0]
        self.assertIn("beyond the prepaid hours", note.body)
        self.assertEqual(
            note.subtype_id, self.env.ref("mail.mt_note"), "for the team, not emailed"
        )

    def test_validity(self):
        """Expired packs are not picked, time dated after the end date does not
        consume them, and their hours left show as expired."""
        self.product_pack.prepaid_validity_months = 6
        expired = self._sell(self.customer, 10, order_date="2025-01-10 09:00:00")
        self.assertEqual(expired.prepaid_end_date, date(2025, 7, 10))
        current = self._sell(self.customer, 5)
        current.prepaid_end_date = False
        ticket = self._create_ticket(self.customer)
        self.assertEqual(ticket.sale_line_id, current, "expired pack not picked")

        ticket.sale_line_id = expired
        self._log(ticket, 1, date=date(2025, 7, 1))
        self._log(ticket, 2, date=date(2025, 8, 1))
        self.assertEqual(expired.qty_delivered, 1.0, "within its validity")
        self.assertEqual(current.qty_delivered, 2.0, "after the end date")
        self.assertRecordValues(
            expired,
            [
                {
                    "prepaid_hours_sold": 10.0,
                    "prepaid_hours_used": 1.0,
                    "prepaid_hours_remaining": 0.0,
                    "prepaid_hours_expired": 9.0,
                }
            ],
        )
        self.assertRecordValues(
            self.customer_contact,
            [
                {
                    "prepaid_pack_count": 2,
                    "prepaid_hours_sold": 15.0,
                    "prepaid_hours_used": 3.0,
                    "prepaid_hours_remaining": 3.0,
                    "prepaid_hours_expired": 9.0,
                }
            ],
        )
        self.assertEqual(
            ticket.prepaid_banner,
            f"Pack {expired.order_id.name} expired on 07/10/2025 with 9.00 h unused.",
        )
        action = self.customer.action_view_prepaid_packs()
        packs = self.env["sale.order.line"].search(action["domain"])
        self.assertEqual(packs, expired | current)

    def test_banner(self):
        """The ticket says what is left, or that the time is not billed."""
        pack = self._sell(self.customer, 10)
        pack.prepaid_end_date = date(2027, 3, 31)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 2.5)
        self.assertEqual(
            ticket.prepaid_banner,
            f"7.50 h left of 10.00 h (pack {pack.order_id.name}, "
            "valid until 03/31/2027)",
        )
        self.assertEqual(ticket.prepaid_banner_level, "info")
        no_pack = self._create_ticket(self.other_customer)
        self.assertEqual(
            no_pack.prepaid_banner, "No prepaid hours: this time will not be billed."
        )

    def test_alerts_once_per_threshold(self):
        """Crossing 50 % then 100 %: one activity each for the salesperson,
        and one email each to the customer; never twice."""
        self.team.write(
            {"prepaid_alert_thresholds": "50,100", "prepaid_alert_email": True}
        )
        pack = self._sell(self.customer, 10)
        order = pack.order_id
        ticket = self._create_ticket(self.customer)

        def alerts():
            activities = order.activity_ids.filtered(
                lambda a: "of the prepaid hours used" in (a.summary or "")
            )
            mails = order.message_ids.filtered(
                lambda m: "prepaid support hours used" in (m.subject or "")
            )
            return activities.mapped("summary"), mails.mapped("subject")

        self._log(ticket, 4)
        self.assertEqual(alerts(), ([], []))
        self._log(ticket, 2)
        self.assertEqual(
            alerts(),
            (
                ["50% of the prepaid hours used"],
                [f"{order.name}: 50% of your prepaid support hours used"],
            ),
        )
        self._log(ticket, 1)
        self.assertEqual(len(alerts()[0]), 1, "not twice")
        self._log(ticket, 3)
        activities, mails = alerts()
        self.assertEqual(len(activities), 2)
        self.assertIn(f"{order.name}: 100% of your prepaid support hours used", mails)
        self.assertEqual(pack.prepaid_alert_level, 100.0)
        self.assertIn(self.customer, order.message_ids[0].partner_ids)

    def test_balances_stay_consistent(self):
        """Cancelling a pack, changing the ticket's team, deleting time,
        archiving the product: the balances stay right."""
        first = self._sell(self.customer, 5, order_date="2026-01-10 09:00:00")
        second = self._sell(self.customer, 5, order_date="2026-02-10 09:00:00")
        ticket = self._create_ticket(self.customer)
        timesheet = self._log(ticket, 2)
        self.assertEqual(first.qty_delivered, 2.0)

        first.order_id._action_cancel()
        self.assertEqual(ticket.sale_line_id, second)
        self.assertEqual(timesheet.so_line, second)
        self.assertEqual((first.qty_delivered, second.qty_delivered), (0.0, 2.0))

        self.product_pack.active = False
        self.assertEqual(self._create_ticket(self.customer).sale_line_id, second)
        self.assertEqual(self.customer.prepaid_hours_remaining, 3.0)

        plain_team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Internal",
                "allow_timesheet": True,
                "default_project_id": self.project.id,
            }
        )
        ticket.team_id = plain_team
        self.assertFalse(timesheet.so_line)
        self.assertEqual(second.qty_delivered, 0.0)
        ticket.team_id = self.team
        self.assertEqual(timesheet.so_line, second)

        timesheet.unlink()
        self.assertEqual(second.qty_delivered, 0.0)
        self.assertEqual(ticket.remaining_hours_so, 5.0)

    def test_rounding(self):
        """Quarter-hour increments with a half-hour minimum: the pack is
        charged the rounded hours, the timesheet keeps the hours spent, and a
        split entry shares both."""
        self.team.write(
            {"prepaid_rounding_unit": 0.25, "prepaid_rounding_minimum": 0.5}
        )
        first = self._sell(self.customer, 2, order_date="2026-01-10 09:00:00")
        second = self._sell(self.customer, 10, order_date="2026-02-10 09:00:00")
        ticket = self._create_ticket(self.customer)
        short = self._log(ticket, 0.1)
        self.assertRecordValues(short, [{"unit_amount": 0.1, "billed_hours": 0.5}])
        self.assertAlmostEqual(first.qty_delivered, 0.5)

        self._log(ticket, 1.6)  # billed 1.75: 1.5 on the first pack, 0.25 after
        self.assertAlmostEqual(first.qty_delivered, 2.0)
        self.assertAlmostEqual(second.qty_delivered, 0.25)
        self.assertAlmostEqual(sum(ticket.timesheet_ids.mapped("unit_amount")), 1.7)
        self.assertAlmostEqual(ticket.total_hours, 1.7, msg="hours spent")
        split = ticket.timesheet_ids.filtered(lambda t: t.so_line == second)
        self.assertAlmostEqual(split.billed_hours, 0.25)

    def test_team_settings_form(self):
        """An administrator sets the contract rules in the team form."""
        with Form(self.env["helpdesk.ticket.team"]) as team_form:
            team_form.name = "Level 3"
            team_form.allow_timesheet = True
            team_form.default_project_id = self.project
            team_form.use_helpdesk_sale_timesheet = True
            team_form.prepaid_overage_policy = "bill"
            team_form.overage_product_id = self.product_overage
            team_form.overage_price_unit = 130.0
            team_form.prepaid_rounding_unit = 0.25
            team_form.prepaid_rounding_minimum = 0.5
            team_form.prepaid_alert_thresholds = "75,100"
            team_form.prepaid_alert_email = True
        team = team_form.record
        self.assertRecordValues(
            team,
            [
                {
                    "prepaid_overage_policy": "bill",
                    "overage_price_unit": 130.0,
                    "prepaid_rounding_unit": 0.25,
                    "prepaid_rounding_minimum": 0.5,
                    "prepaid_alert_email": True,
                }
            ],
        )
        self.assertEqual(team._get_prepaid_alert_thresholds(), [75.0, 100.0])
        with self.assertRaises(ValidationError):
            team.prepaid_alert_thresholds = "80,lots"
        with self.assertRaises(ValidationError):
            team.overage_product_id = False
