# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

import polib

from odoo import Command, fields
from odoo.tests import new_test_user
from odoo.tools.misc import file_path

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def create_pack_product(env, project, name="Support pack (hours)", uom=None, **vals):
    """A prepaid service (invoiced on ordered quantity, time tracked by
    timesheets) creating a task in ``project``."""
    uom = uom or env.ref("uom.product_uom_hour")
    return env["product.product"].create(
        {
            "name": name,
            "type": "service",
            "uom_id": uom.id,
            "uom_po_id": uom.id,
            "service_policy": "ordered_prepaid",
            "service_tracking": "task_global_project",
            "project_id": project.id,
            **vals,
        }
    )


def sell_pack(env, partner, product, hours, confirm=True):
    """An order of ``hours`` of ``product`` for ``partner``, confirmed unless
    told otherwise; returns its line."""
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": hours})
            ],
        }
    )
    if confirm:
        order.action_confirm()
    return order.order_line


def create_portal_contact(env, company, name, login):
    """A contact of ``company`` with a portal user of that ``login``."""
    contact = env["res.partner"].create({"name": name, "parent_id": company.id})
    new_test_user(env, login=login, groups="base.group_portal", partner_id=contact.id)
    return contact


def assert_po_translated(case, module, lang="fr"):
    """Every string of ``module``'s ``lang`` translation is translated, with
    the same placeholders."""
    po = polib.pofile(file_path(f"{module}/i18n/{lang}.po"))
    placeholder = re.compile(r'%\(\w+\)s|%s|\{\{.*?\}\}|t-out="[^"]*"')
    for entry in po:
        case.assertTrue(entry.msgstr, f"untranslated: {entry.msgid}")
        case.assertEqual(
            sorted(placeholder.findall(entry.msgid)),
            sorted(placeholder.findall(entry.msgstr)),
            entry.msgid,
        )


class PrepaidBillingCommon(AccountTestInvoicingCommon):
    """A billed support team, a prepaid pack product and two customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                mail_notrack=True,
                mail_create_nolog=True,
                tracking_disable=True,
            )
        )
        cls.company = cls.env.company
        # the invoicing test user also manages helpdesk, projects and sales
        cls.env.user.groups_id |= (
            cls.env.ref("helpdesk_mgmt.group_helpdesk_manager")
            | cls.env.ref("project.group_project_manager")
            | cls.env.ref("hr_timesheet.group_timesheet_manager")
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("hr.group_hr_user")
        )
        cls.uom_hour = cls.env.ref("uom.product_uom_hour")
        cls.uom_day = cls.env.ref("uom.product_uom_day")
        cls.project = cls.env["project.project"].create(
            {"name": "Prepaid support", "allow_timesheets": True}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Support",
                "allow_timesheet": True,
                "default_project_id": cls.project.id,
                "use_helpdesk_sale_timesheet": True,
            }
        )
        cls.product_pack = cls._create_pack_product("Support pack (hours)")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Dupont SA", "is_company": True}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Jeanne Dupont", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Martin SARL", "is_company": True}
        )
        cls.employee = cls.env["hr.employee"].create({"name": "Agent Smith"})
        cls.agent = new_test_user(
            cls.env,
            login="hpb_agent",
            name="Helpdesk Agent",
            groups="helpdesk_mgmt.group_helpdesk_user,"
            "hr_timesheet.group_hr_timesheet_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.agent_employee = cls.env["hr.employee"].create(
            {"name": "Helpdesk Agent", "user_id": cls.agent.id}
        )

    @classmethod
    def _create_overage_product(cls, **vals):
        """A service invoiced on timesheets, for the hours beyond the packs."""
        return cls.env["product.product"].create(
            {
                "name": "Support beyond the packs",
                "type": "service",
                "uom_id": cls.uom_hour.id,
                "uom_po_id": cls.uom_hour.id,
                "service_policy": "delivered_timesheet",
                "service_tracking": "no",
                **vals,
            }
        )

    @classmethod
    def _create_billing_manager(cls, login):
        """A helpdesk user who sees every agent's time (Timesheets: Approver)
        and is a prepaid billing manager."""
        return cls._create_time_user(
            login,
            "Billing Manager",
            "helpdesk_prepaid_billing.group_prepaid_billing_manager",
        )

    @classmethod
    def _create_salesperson(cls, login="hpb_salesperson"):
        """A salesperson (own documents) who sees every agent's time."""
        return cls._create_time_user(
            login, "Sales Person", "sales_team.group_sale_salesman"
        )

    @classmethod
    def _create_time_user(cls, login, name, groups):
        """A helpdesk user and employee who sees every agent's time, with
        ``groups`` more."""
        user = new_test_user(
            cls.env,
            login=login,
            name=name,
            groups="helpdesk_mgmt.group_helpdesk_user,"
            f"hr_timesheet.group_hr_timesheet_approver,{groups}",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.env["hr.employee"].create({"name": user.name, "user_id": user.id})
        return user

    @classmethod
    def _create_pack_product(cls, name, uom=None, price=80.0):
        return create_pack_product(
            cls.env,
            cls.project,
            name,
            uom,
            list_price=price,
            taxes_id=[Command.clear()],
        )

    @classmethod
    def _sell(cls, partner, qty, product=None, confirm=True, order_date=None):
        """Sell ``qty`` units of a pack; return the order line."""
        line = sell_pack(cls.env, partner, product or cls.product_pack, qty, confirm)
        if order_date:
            line.order_id.date_order = fields.Datetime.to_datetime(order_date)
        return line

    @classmethod
    def _create_ticket(cls, partner, team=None, **vals):
        return cls.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": "Printer is broken",
                    "description": "<p>It does not print.</p>",
                    "team_id": (team or cls.team).id,
                    "partner_id": partner.id,
                },
                **vals,
            )
        )

    def _log(self, ticket, hours, employee=None, **vals):
        """Log time as code does: only the ticket is given."""
        return self.env["account.analytic.line"].create(
            dict(
                {
                    "ticket_id": ticket.id,
                    "employee_id": (employee or self.employee).id,
                    "name": "Work on the ticket",
                    "unit_amount": hours,
                },
                **vals,
            )
        )
