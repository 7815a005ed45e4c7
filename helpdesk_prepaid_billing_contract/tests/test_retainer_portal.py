# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.helpdesk_prepaid_billing.tests.common import create_pack_product


@tagged("post_install", "-at_install")
class TestRetainerPortal(HttpCase):
    """The customer of a retainer sees the current period first on the
    portal and on the statement, the past periods below."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        project = cls.env["project.project"].create(
            {"name": "Retainer support", "allow_timesheets": True}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Retainer Customer SA", "is_company": True}
        )
        contact = cls.env["res.partner"].create(
            {"name": "Rita Retainer", "parent_id": cls.customer.id}
        )
        new_test_user(
            cls.env,
            login="hpb_retainer_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        product = create_pack_product(cls.env, project, "Retainer (hours)")
        this_month = date.today().replace(day=1)
        cls.months = [this_month - relativedelta(months=n) for n in (2, 1, 0)]
        contract = cls.env["contract.contract"].create(
            {
                "name": "Retainer",
                "partner_id": cls.customer.id,
                "generation_type": "sale",
                "sale_autoconfirm": True,
                "line_recurrence": True,
                "contract_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": "Support from #START# to #END#",
                            "quantity": 10,
                            "uom_id": product.uom_id.id,
                            "price_unit": 800,
                            "recurring_rule_type": "monthly",
                            "recurring_interval": 1,
                            "recurring_invoicing_type": "pre-paid",
                            "date_start": cls.months[0],
                            "recurring_next_date": cls.months[0],
                        }
                    )
                ],
            }
        )
        for month in cls.months:
            with freeze_time(month):
                cls.env["contract.contract"].cron_recurring_create_sale()
        # the periods' orders, the current one first
        cls.orders = contract.prepaid_pack_ids.sorted(
            "prepaid_period_start", reverse=True
        ).order_id

    def _assert_current_first(self, text):
        positions = [text.find(order.name) for order in self.orders]
        self.assertNotIn(-1, positions, "every period is shown")
        self.assertEqual(positions, sorted(positions), "the current period first")

    def test_portal_and_statement_list_the_current_period_first(self):
        self.assertEqual(len(self.orders), 3)
        self.authenticate("hpb_retainer_portal", "hpb_retainer_portal")
        page = self.url_open("/my/prepaid-hours").text
        self._assert_current_first(page)
        self.assertEqual(page.count("o_prepaid_period"), 3, "each period's dates")
        # the customer's statement, printed from the customer's form
        action = (
            self.env["prepaid.statement.wizard"]
            .create({"partner_id": self.customer.id})
            .with_context(discard_logo_check=True)
            .action_print()
        )
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            action["report_name"], action["context"]["active_ids"], action["data"]
        )
        self._assert_current_first(html.decode())
