# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
import time

import requests

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError
from odoo.modules.registry import DummyRLock, Registry
from odoo.service.model import retrying
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, config

from .common import create_pack_product


@tagged("post_install", "-at_install", "prepaid_concurrency")
class TestConcurrentLogging(TransactionCase):
    """Two agents log the last hours of a pack at the same moment, each in a
    transaction of its own that commits, as two web requests would. The data
    is committed for real, and removed afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's test runner holds the registries' lock while the tests run:
        # the agents' threads and the live server's requests, which look the
        # registry up, would wait for it. Released as Odoo's HTTP test mode
        # does, without its shared cursor: each transaction is a real one.
        saved_lock = Registry._lock
        Registry._lock = DummyRLock()
        cls.addClassCleanup(setattr, Registry, "_lock", saved_lock)

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
            # adjustments are never deleted by users: removed as the test's
            # own data, by the database
            cr.execute(
                SQL(
                    "DELETE FROM prepaid_hours_adjustment WHERE sale_line_id IN %s",
                    tuple(orders.order_line.ids),
                )
            )
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
            users = env["res.users"].browse(self.data.get("users", [])).exists()
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            env["res.partner"].browse(self.data["customer"]).unlink()

    def _two_hours(self, employee_id, ticket_id):
        return {
            "ticket_id": ticket_id,
            "employee_id": employee_id,
            "name": "Restart the services",
            "unit_amount": 2.0,
        }

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
                    self._two_hours(employee_id, ticket_id)
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

    def test_adjustment_and_entry_at_once_through_the_api(self):
        """A billing manager removes 1 h from pack A (3 h) while an agent
        logs 2 h on it, both through the API at once: one waits for the
        other's customer instead of failing on the pack, so neither is tried
        again, and A ends used up whichever came first."""
        pack_a, pack_b = (
            self.env["sale.order"].browse(self.data["orders"]).order_line.ids
        )
        barrier = threading.Barrier(2)
        errors, tries = [], []

        def adjust():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})

                def remove_an_hour():
                    tries.append("adjustment")
                    env["prepaid.hours.adjustment"].create(
                        {"sale_line_id": pack_a, "hours": -1.0, "reason": "Correction"}
                    )

                barrier.wait(timeout=30)
                retrying(remove_an_hour, env)

        def log():
            self._log_in_own_transaction(
                self.data["employees"][0], self.data["ticket"], barrier, tries, False
            )

        def run(target):
            try:
                target()
            # any failure of the thread is reported by the main one
            except Exception as error:  # noqa: BLE001
                errors.append(error)

        threads = [threading.Thread(target=run, args=(job,)) for job in (adjust, log)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(len(tries), 2, "each tried once")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            a, b = env["sale.order.line"].browse([pack_a, pack_b])
            self.assertEqual(
                (a.qty_delivered, a.prepaid_hours_remaining, b.qty_delivered),
                (2.0, 0.0, 0.0),
            )

    def _check_auto_renewal_once(self, read_first):
        """Pack A (3 h) renews automatically at 0 h left; two agents log 2 h
        each at once: A is used up and renewed once, not twice."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["product.product"].browse(
                self.data["product"]
            ).prepaid_auto_renew = True
        self._log_2_hours_each_at_once(read_first=read_first)

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            pack_a, pack_b = env["sale.order"].browse(self.data["orders"]).order_line
            self.assertEqual(pack_a.prepaid_hours_remaining, 0.0)
            renewals = pack_a.prepaid_renewal_line_ids
            self.assertEqual(len(renewals), 1, "renewed once")
            self.assertEqual(renewals.order_id.state, "sale")
            self.assertFalse(pack_b.prepaid_renewal_line_ids, "B has 9 h left")

    def test_auto_renewal_once_when_two_agents_cross_at_once(self):
        self._check_auto_renewal_once(read_first=True)

    def test_auto_renewal_once_when_two_api_calls_cross_at_once(self):
        self._check_auto_renewal_once(read_first=False)

    def _check_first_overage_hours_at_once(self, read_first):
        """The packs (13 h) are used up and the team bills the overage; two
        agents log 2 h each at once, on two tickets of the customer: one
        overage order takes the 4 h, and no pack goes over its hours."""
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
            read_first=read_first,
            tickets=[self.data["ticket"], self.data["other_ticket"]],
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

    def test_two_agents_put_the_first_overage_hours_at_once(self):
        self._check_first_overage_hours_at_once(read_first=True)

    def test_two_api_calls_put_the_first_overage_hours_at_once(self):
        self._check_first_overage_hours_at_once(read_first=False)

    def _committed_agent(self, login, helpdesk_group):
        """A committed agent of ``helpdesk_group``, with the timesheets of
        the second employee; their password is their login."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            agent = new_test_user(
                env,
                login=login,
                groups=f"{helpdesk_group},hr_timesheet.group_hr_timesheet_user",
            )
            env["hr.employee"].browse(self.data["employees"][1]).user_id = agent
            self.data["users"] = agent.ids
        return agent

    def _own_tickets_agent(self):
        """An agent limited to their own tickets: not the data's ticket."""
        return self._committed_agent(
            "hpb_concurrent_own_agent", "helpdesk_mgmt.group_helpdesk_user_own"
        )

    def _assert_nothing_logged(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["helpdesk.ticket"].browse(self.data["ticket"])
            self.assertFalse(ticket.timesheet_ids)
            packs = env["sale.order"].browse(self.data["orders"]).order_line
            self.assertEqual(packs.mapped("qty_delivered"), [0.0, 0.0])

    def test_time_on_an_unreadable_ticket_refused(self):
        """An agent limited to their own tickets logs 2 h on another one's
        ticket in a transaction of its own, as an API call does (nothing read
        before) and as a web client's request does (its session read first):
        refused both times, nothing consumed."""
        agent = self._own_tickets_agent()
        for read_first in (False, True):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, agent.id, {})
                if read_first:
                    env.user.fetch(["name"])
                with self.assertRaises(AccessError):
                    env["account.analytic.line"].create(
                        self._two_hours(self.data["employees"][1], self.data["ticket"])
                    )
                cr.rollback()
        self._assert_nothing_logged()

    def test_time_on_an_unreadable_ticket_refused_over_json_rpc(self):
        """The same agent logs the 2 h over JSON-RPC on a live server: an
        access error, nothing consumed."""
        self._own_tickets_agent()
        session = self._web_session("hpb_concurrent_own_agent")
        response = self._call_kw(
            session,
            "account.analytic.line",
            "create",
            [self._two_hours(self.data["employees"][1], self.data["ticket"])],
        )
        self.assertEqual(
            response["error"]["data"]["name"], "odoo.exceptions.AccessError"
        )
        self._assert_nothing_logged()

    def _web_session(self, login):
        """A session of the web client on the live server, logged in."""
        session = requests.Session()
        session.post(
            f"{self._server_url()}/web/session/authenticate",
            json={
                "params": {"db": self.env.cr.dbname, "login": login, "password": login}
            },
            timeout=30,
        ).raise_for_status()
        return session

    def _server_url(self):
        return f"http://127.0.0.1:{config['http_port']}"

    def _call_kw(self, session, model, method, args, kwargs=None):
        return session.post(
            f"{self._server_url()}/web/dataset/call_kw/{model}/{method}",
            json={
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                }
            },
            timeout=60,
        ).json()

    def _log_2_hours_in_new_transaction(self, ready, release):
        """Log 2 h as an API call does (the transaction logs before it reads),
        signal ``ready``, and commit once ``release`` is set."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["account.analytic.line"].create(
                self._two_hours(self.data["employees"][0], self.data["ticket"])
            )
            ready.set()
            release.wait(timeout=60)

    def _wait_for_a_lock_waiter(self):
        """Wait until a transaction waits for a customer's lock."""
        for _i in range(600):
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                )
                if cr.fetchone():
                    return
            time.sleep(0.05)
        self.fail("no transaction waited for the customer")

    def test_web_client_request_tried_again_waits_before_it_reads(self):
        """An agent logs 2 h from the web client while another agent's entry
        of the customer is being logged: the request, which read its session
        first, does not wait for nothing but a failure; it is tried again at
        once, and that try waits for the customer before it reads, so that it
        sees the other entry and succeeds."""
        self._committed_agent(
            "hpb_concurrent_agent", "helpdesk_mgmt.group_helpdesk_user"
        )
        web = self._web_session("hpb_concurrent_agent")
        ready, release = threading.Event(), threading.Event()
        responses = []

        def web_client():
            # the ticket form's Timesheets tab, saved
            responses.append(
                self._call_kw(
                    web,
                    "helpdesk.ticket",
                    "web_save",
                    [
                        [self.data["ticket"]],
                        {
                            "timesheet_ids": [
                                Command.create(
                                    {"name": "Call the customer", "unit_amount": 2.0}
                                )
                            ]
                        },
                    ],
                    {"specification": {"remaining_hours_so": {}}},
                )
            )

        first = threading.Thread(
            target=self._log_2_hours_in_new_transaction, args=(ready, release)
        )
        second = threading.Thread(target=web_client)
        # Odoo names its level 25 "INFO": the retries are logged at 20
        with self.assertLogs("odoo.service.model", logging.INFO) as logs:
            first.start()
            self.assertTrue(ready.wait(timeout=60))
            second.start()
            # tried again, the request waits before it reads
            self._wait_for_a_lock_waiter()
            release.set()
            first.join(timeout=60)
            second.join(timeout=60)
        self.assertEqual(
            responses[0]["result"],
            [{"id": self.data["ticket"], "remaining_hours_so": 9.0}],
            "saved, pack B has 9 h left",
        )
        retries = [line for line in logs.output if "tries left" in line]
        self.assertEqual(len(retries), 1, "the request tried twice, not more")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ticket = env["helpdesk.ticket"].browse(self.data["ticket"])
            pack_a, pack_b = env["sale.order"].browse(self.data["orders"]).order_line
            self.assertEqual(sum(ticket.timesheet_ids.mapped("unit_amount")), 4.0)
            self.assertEqual((pack_a.qty_delivered, pack_b.qty_delivered), (3.0, 1.0))
