# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import create_pack_product, create_portal_contact


@tagged("post_install", "-at_install")
class TestPortalPurchase(HttpCase):
    """A customer tops up its prepaid hours on the portal, for itself only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        project = cls.env["project.project"].create(
            {"name": "Top-up support", "allow_timesheets": True}
        )
        cls.product = create_pack_product(
            cls.env,
            project,
            "Top-up pack",
            list_price=90.0,
            prepaid_pack_sizes="5, 10, 20",
            taxes_id=[Command.clear()],
        )
        cls.not_offered = create_pack_product(cls.env, project, "Private pack")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Top-up Customer SA", "is_company": True}
        )
        cls.contact = create_portal_contact(
            cls.env, cls.customer, "Tom Topup", "hpb_buyer"
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Buyer SARL", "is_company": True}
        )
        create_portal_contact(
            cls.env, cls.other_customer, "Olga Other", "hpb_other_buyer"
        )

    def _buy(self, **data):
        return self.url_open(
            "/my/prepaid-hours/buy",
            data=dict(data, csrf_token=http.Request.csrf_token(self)),
            allow_redirects=False,
        )

    def _orders(self):
        return self.env["sale.order"].search(
            [("order_line.product_id", "in", (self.product | self.not_offered).ids)]
        )

    def test_buy_pack_sizes(self):
        """The customer sees the sizes of the product and gets a quotation of
        10 h for itself, to sign and pay on Odoo's quotation page."""
        self.authenticate("hpb_buyer", "hpb_buyer")
        page = self.url_open("/my/prepaid-hours/buy")
        self.assertEqual(page.status_code, 200)
        for hours in ("5", "10", "20"):
            self.assertIn(f'data-hours="{hours}"', page.text)
        self.assertNotIn("Private pack", page.text)
        response = self._buy(product_id=self.product.id, hours="10")
        self.assertEqual(response.status_code, 303)
        order = self._orders()
        self.assertEqual(len(order), 1)
        self.assertIn(f"/my/orders/{order.id}", response.headers["Location"])
        self.assertEqual(order.partner_id, self.contact)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.require_signature)
        self.assertEqual(
            (order.order_line.product_uom_qty, order.amount_untaxed), (10.0, 900.0)
        )
        self.assertEqual(self.url_open(f"/my/orders/{order.id}").status_code, 200)
        # the other customer cannot open it
        self.authenticate("hpb_other_buyer", "hpb_other_buyer")
        response = self.url_open(f"/my/orders/{order.id}", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)

    def test_paid_online_only_where_a_provider_can_take_it(self):
        """The quotation asks for an online payment only when a payment
        provider can take this payment (here: up to its maximum amount)."""
        provider = self.env.ref("payment.payment_provider_demo")
        provider.write({"state": "test", "is_published": True})
        self.authenticate("hpb_buyer", "hpb_buyer")
        self._buy(product_id=self.product.id, hours="10")
        provider.maximum_amount = 500.0
        self._buy(product_id=self.product.id, hours="10")
        self._buy(product_id=self.product.id, hours="5")
        self.assertEqual(
            self._orders()
            .sorted("id")
            .mapped(lambda o: (o.amount_total, o.require_signature, o.require_payment)),
            [(900.0, True, True), (900.0, True, False), (450.0, True, True)],
        )

    def test_refused_requests(self):
        """Nothing is created for a size or a product that is not offered,
        without the CSRF token, for an anonymous visitor, and whatever
        customer the request names, the order is the user's."""
        self.authenticate("hpb_buyer", "hpb_buyer")
        self.assertEqual(
            self._buy(product_id=self.product.id, hours="7").status_code, 404
        )
        response = self._buy(product_id=self.not_offered.id, hours="10")
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            "/my/prepaid-hours/buy",
            data={"product_id": self.product.id, "hours": "10"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400, "no CSRF token")
        self.assertFalse(self._orders())
        response = self._buy(
            product_id=self.product.id,
            hours="5",
            partner_id=self.other_customer.id,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._orders().partner_id, self.contact)
        self.logout()
        response = self.url_open("/my/prepaid-hours/buy", allow_redirects=False)
        self.assertIn("/web/login", response.headers.get("Location", ""))
        self.assertEqual(len(self._orders()), 1)

    def test_confirmed_purchase_feeds_waiting_tickets(self):
        """Once confirmed (here by the salesperson), the pack bought on the
        portal is the customer's: its open ticket waiting for hours takes
        it, with the time it already carries."""
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Top-up team",
                "allow_timesheet": True,
                "default_project_id": self.product.project_id.id,
                "use_helpdesk_sale_timesheet": True,
            }
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Waiting for hours",
                "description": "<p>No pack yet.</p>",
                "team_id": team.id,
                "partner_id": self.contact.id,
            }
        )
        entry = self.env["account.analytic.line"].create(
            {
                "ticket_id": ticket.id,
                "employee_id": self.env["hr.employee"].create({"name": "Ann"}).id,
                "name": "First call",
                "unit_amount": 1.5,
            }
        )
        self.assertFalse(entry.so_line)
        self.authenticate("hpb_buyer", "hpb_buyer")
        self._buy(product_id=self.product.id, hours="5")
        order = self._orders()
        order.action_confirm()
        self.assertEqual(ticket.sale_line_id, order.order_line)
        self.assertEqual(entry.so_line, order.order_line)
        self.assertEqual(order.order_line.prepaid_hours_remaining, 3.5)

    def test_alert_links_the_renewal(self):
        """The salesperson's 80 % alert links to Renew: the first click makes
        the renewal quotation, the next ones open it; someone without sales
        rights gets nothing."""
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Alert team",
                "allow_timesheet": True,
                "default_project_id": self.product.project_id.id,
                "use_helpdesk_sale_timesheet": True,
                "prepaid_alert_thresholds": "80",
            }
        )
        salesman = new_test_user(
            self.env,
            login="hpb_renew_salesman",
            groups="sales_team.group_sale_salesman",
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": salesman.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 10}
                    )
                ],
            }
        )
        order.action_confirm()
        pack = order.order_line
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Alert ticket",
                "description": "<p>Busy.</p>",
                "team_id": team.id,
                "partner_id": self.customer.id,
            }
        )
        self.env["account.analytic.line"].create(
            {
                "ticket_id": ticket.id,
                "employee_id": self.env["hr.employee"].create({"name": "Al"}).id,
                "name": "Long job",
                "unit_amount": 8.0,
            }
        )
        activity = order.activity_ids
        self.assertEqual(activity.user_id, salesman)
        link = f"/helpdesk_prepaid_billing/renew/{pack.id}"
        self.assertIn(link, activity.note)
        self.assertFalse(pack.prepaid_renewal_line_ids, "nothing made until asked")
        self.authenticate("hpb_buyer", "hpb_buyer")
        self.assertEqual(self.url_open(link).status_code, 404)
        self.assertFalse(pack.prepaid_renewal_line_ids)
        self.authenticate("hpb_renew_salesman", "hpb_renew_salesman")
        first = self.url_open(link, allow_redirects=False)
        renewal = pack.prepaid_renewal_line_ids.order_id
        self.assertEqual(renewal.state, "draft")
        self.assertTrue(
            first.headers["Location"].endswith(f"/odoo/sale.order/{renewal.id}")
        )
        again = self.url_open(link, allow_redirects=False)
        self.assertEqual(again.headers["Location"], first.headers["Location"])
        self.assertEqual(len(pack.prepaid_renewal_line_ids), 1)

    def test_buy_tour(self):
        """In the browser: the customer chooses 10 h, signs, pays with the
        demo provider, and its ticket waiting for hours shows the new
        balance (1.5 h already logged)."""
        provider = self.env.ref("payment.payment_provider_demo")
        self.assertEqual(provider.code, "demo", "payment_demo is installed")
        provider.write({"state": "test", "is_published": True})
        contact = create_portal_contact(
            self.env, self.customer, "Tina Tour", "hpb_tour_buyer"
        )
        team = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Tour top-up team",
                "allow_timesheet": True,
                "show_timesheet_portal": True,
                "default_project_id": self.product.project_id.id,
                "use_helpdesk_sale_timesheet": True,
            }
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Tour: waiting for hours",
                "description": "<p>No pack yet.</p>",
                "team_id": team.id,
                "partner_id": contact.id,
            }
        )
        self.env["account.analytic.line"].create(
            {
                "ticket_id": ticket.id,
                "employee_id": self.env["hr.employee"].create({"name": "Bo"}).id,
                "name": "First call",
                "unit_amount": 1.5,
            }
        )
        self.start_tour(
            "/my/prepaid-hours",
            "helpdesk_prepaid_billing_buy_tour",
            login="hpb_tour_buyer",
        )
        order = self._orders()
        self.assertEqual(order.state, "sale")
        self.assertEqual(ticket.sale_line_id, order.order_line)
        self.assertEqual(order.order_line.prepaid_hours_remaining, 8.5)
