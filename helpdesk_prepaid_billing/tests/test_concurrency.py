# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading

from odoo import SUPERUSER_ID, Command, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

from .common import create_pack_product


@tagged("post_install", "-at_install", "prepaid_concurrency")
class TestConcurrentLogging(TransactionCase):
    """Two agents log the last hours of a pack at the same moment, each in a
    transaction of its own that commits, as two web requests would. The data
    is committed for real, and removed afterwards."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            project = env["project.project"].create(
                {"name": "Concurrency support", "allow_timesheets": True}
            )
            team = env["helpdesk.ticket.team"].create(
                {
                    "name": "Concurrency team",
                    "allow_timesheet": True,
                    "default_project_id": project.id,
                    "use_helpdesk_sale_timesheet": True,
                    "prepaid_alert_thresholds": "100",
                }
            )
            product = create_pack_product(env, project, "Concurrency pack")
            customer = env["res.partner"].create({"name": "Concurrent SA"})
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": customer.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": qty}
                            )
                        ],
                    }
                    for qty in (3, 10)
                ]
            )
            orders.action_confirm()
            employees = env["hr.employee"].create(
                [{"name": "Agent One"}, {"name": "Agent Two"}]
            )
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "Outage",
                    "description": "<p>Everything is down.</p>",
                    "team_id": team.id,
                    "partner_id": customer.id,
                }
            )
            self.assertEqual(ticket.sale_line_id, orders[0].order_line)
            self.data = {
                "project": project.id,
                "team": team.id,
                "product": product.id,
                "customer": customer.id,
                "orders": orders.ids,
                "employees": employees.ids,
                "ticket": ticket.id,
            }
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            tickets = (
                env["helpdesk.ticket"]
                .browse([self.data["ticket"], self.data.get("other_ticket", 0)])
                .exists()
            )
            tickets.timesheet_ids.unlink()
            tickets.unlink()
            # the packs, and the renewals that their alerts prepared
            orders = env["sale.order"].search(
                [("partner_id", "=", self.data["customer"])]
            )
            tasks = orders.order_line.task_id
            orders.activity_ids.unlink()
            orders._action_cancel()
            orders.unlink()
            tasks.unlink()
            env["helpdesk.ticket.team"].browse(self.data["team"]).unlink()
            env["product.product"].browse(
                [self.data["product"], self.data.get("overage_product", 0)]
            ).exists().product_tmpl_id.unlink()
            env["project.project"].browse(self.data["project"]).unlink()
            env["hr.employee"].browse(self.data["employees"]).unlink()
            env["res.partner"].browse(self.data["customer"]).unlink()

    def _log_in_own_transaction(
        self, employee_id, ticket_id, barrier, tries, read_first
    ):
        """Log 2 h in a transaction of its own, retried as Odoo retries a
        request; ``read_first``: the transaction reads before it logs, as a
        web client's request does when it authenticates."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})

            def log():
                tries.append(employee_id)
                if read_first:
                    env.user.fetch(["name"])
                env["account.analytic.line"].create(
                    {
                        "ticket_id": ticket_id,
                        "employee_id": employee_id,
                        "name": "Restart the services",
                        "unit_amount": 2.0,
                    }
                )

            barrier.wait(timeout=30)
            retrying(log, env)

    def _log_2_hours_each_at_once(self, read_first=True, tickets=None):
        """Both agents log 2 h on the ticket (or each on one of ``tickets``),
        each in its own transaction, started together; neither may fail.
        Returns how many times the entries were tried."""
        tickets = tickets or [self.data["ticket"]] * 2
        barrier = threading.Barrier(2)
        errors, tries = [], []

        def agent(employee, ticket):
            try:
                self._log_in_own_transaction(
                    employee, ticket, barrier, tries, read_first
                )
            # any failure of the thread is reported by the main one
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        threads = [
            threading.Thread(target=agent, args=(employee, ticket))
            for employee, ticket in zip(self.data["employees"], tickets, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        return len(tries)

    def _assert_last_hours_logged_once(self):
        """4 h in all, pack A (3 h) used up exactly (one entry split over A
        and B), B 1 h, and the 100 % alert of A sent once."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["helpdesk.ticket"].browse(self.data["ticket"])
            pack_a, pack_b = env["sale.order"].browse(self.data["orders"]).order_line
            self.assertEqual(sum(ticket.timesheet_ids.mapped("unit_amount")), 4.0)
            self.assertEqual(len(ticket.timesheet_ids), 3, "one entry split in two")
            self.assertEqual((pack_a.qty_delivered, pack_b.qty_delivered), (3.0, 1.0))
            self.assertEqual(ticket.sale_line_id, pack_b)
            alerts = pack_a.order_id.activity_ids.filtered(
                lambda a: "100%" in (a.summary or "")
            )
            self.assertEqual(len(alerts), 1, "alert sent once")

    def test_two_agents_log_the_last_hours_at_once(self):
        """Pack A has 3 h, pack B 10 h; two agents log 2 h each at once from
        the web client: the packs' locks and Odoo's retry bill them right."""
        self._log_2_hours_each_at_once(read_first=True)
        self._assert_last_hours_logged_once()

    def test_two_api_calls_log_the_last_hours_without_retry(self):
        """The same through the API (a transaction that logs before it reads
        anything): the second agent waits for the first one's entry instead
        of failing on it, so neither request is retried."""
        tries = self._log_2_hours_each_at_once(read_first=False)
        self.assertEqual(tries, 2, "each entry tried once")
        self._assert_last_hours_logged_once()

    def test_auto_renewal_once_when_two_agents_cross_at_once(self):
        """Pack A (3 h) renews automatically at 0 h left; two agents log 2 h
        each at once: A is used up and renewed once, not twice."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["product.product"].browse(
                self.data["product"]
            ).prepaid_auto_renew = True
        self._log_2_hours_each_at_once()

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            pack_a, pack_b = env["sale.order"].browse(self.data["orders"]).order_line
            self.assertEqual(pack_a.prepaid_hours_remaining, 0.0)
            renewals = pack_a.prepaid_renewal_line_ids
            self.assertEqual(len(renewals), 1, "renewed once")
            self.assertEqual(renewals.order_id.state, "sale")
            self.assertFalse(pack_b.prepaid_renewal_line_ids, "B has 9 h left")

    def test_two_agents_put_the_first_overage_hours_at_once(self):
        """The packs (13 h) are used up and the team bills the overage; two
        agents log 2 h each at once from the web client, on two tickets of the
        customer: one overage order takes the 4 h, and no pack goes over its
        hours."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            overage = env["product.product"].create(
                {
                    "name": "Concurrency overage",
                    "type": "service",
                    "uom_id": env.ref("uom.product_uom_hour").id,
                    "uom_po_id": env.ref("uom.product_uom_hour").id,
                    "service_policy": "delivered_timesheet",
                    "service_tracking": "no",
                }
            )
            self.data["overage_product"] = overage.id
            env["account.analytic.line"].create(
                {
                    "ticket_id": self.data["ticket"],
                    "employee_id": self.data["employees"][0],
                    "name": "Use up the packs",
                    "unit_amount": 13.0,
                }
            )
            env["helpdesk.ticket.team"].browse(self.data["team"]).write(
                {"prepaid_overage_policy": "bill", "overage_product_id": overage.id}
            )
            other = env["helpdesk.ticket"].browse(self.data["ticket"]).copy()
            self.data["other_ticket"] = other.id
        self._log_2_hours_each_at_once(
            read_first=True, tickets=[self.data["ticket"], self.data["other_ticket"]]
        )

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].search(
                [("partner_id", "=", self.data["customer"])]
            )
            overage_orders = orders.filtered("is_prepaid_overage")
            self.assertEqual(len(overage_orders), 1, "one overage order")
            self.assertEqual(overage_orders.order_line.qty_delivered, 4.0)
            pack_a, pack_b = env["sale.order"].browse(self.data["orders"]).order_line
            self.assertEqual((pack_a.qty_delivered, pack_b.qty_delivered), (3.0, 10.0))
