# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Agents logging time at the same moment over JSON-RPC, against an Odoo
server with several workers on 127.0.0.1.

    python loadtest.py setup ADDONS_PATH DB OURS AGENTS
        (committed) agents, a team per policy, customers with 3 packs, tickets
    python loadtest.py run URLS DB POLICY LAYOUT AGENTS ENTRIES SECONDS OURS
        AGENTS threads log ENTRIES entries each (at most SECONDS) on the
        servers URLS (comma-separated, agents spread over them), ours with a
        billing manager adjusting their customers' packs meanwhile, then
        checks that what the clients were told succeeded is billed exactly
        once

LAYOUT: "one" (every agent on the tickets of one customer), "each" (one
customer per agent), or "web" (one customer, each agent logged in to the web
client, saving the ticket form with a new line on its Timesheets tab: a
request that reads before it logs time). Bounded in count and time; loopback
only."""

import json
import random
import sys
import threading
import time
import urllib.request
from http.cookiejar import CookieJar

PASSWORD = "loadtest"


def setup(addons_path, db, ours, agents):
    import odoo
    from odoo import Command, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config([f"--addons-path={addons_path}", "--log-level=warn"])
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        if env["res.users"].search([("login", "=", "lt_agent_0")]):
            setup_work_types(env)
            return
        env.ref("base.user_admin").password = PASSWORD
        project = env["project.project"].create(
            {"name": "Load support", "allow_timesheets": True, "allow_billable": True}
        )
        uom = env.ref("uom.product_uom_hour")
        pack_product = env["product.product"].create(
            {
                "name": "Load pack",
                "type": "service",
                "uom_id": uom.id,
                "uom_po_id": uom.id,
                "service_policy": "ordered_prepaid",
                "service_tracking": "task_global_project",
                "project_id": project.id,
            }
        )
        overage = env["product.product"].create(
            {
                "name": "Load overage",
                "type": "service",
                "uom_id": uom.id,
                "uom_po_id": uom.id,
                "service_policy": "delivered_timesheet",
            }
        )
        # the same rights on both sides: the peer's agents read the order line
        # that they set on the ticket
        groups = [
            env.ref("helpdesk_mgmt.group_helpdesk_user").id,
            env.ref("hr_timesheet.group_hr_timesheet_user").id,
            env.ref("sales_team.group_sale_salesman").id,
        ]
        agent_users = env["res.users"]
        for i in range(agents):
            user = env["res.users"].create(
                {
                    "name": f"Load agent {i}",
                    "login": f"lt_agent_{i}",
                    "password": PASSWORD,
                    "groups_id": [Command.set(groups)],
                }
            )
            env["hr.employee"].create(
                {"name": user.name, "user_id": user.id, "hourly_cost": 45.0}
            )
            agent_users |= user
        for policy in ("allow", "bill"):
            # the agents are the team's members: they see its tickets
            team_vals = {
                "name": f"Load {policy}",
                "allow_timesheet": True,
                "default_project_id": project.id,
                "user_ids": [Command.set(agent_users.ids)],
            }
            if ours:
                team_vals.update(
                    use_helpdesk_sale_timesheet=True,
                    prepaid_overage_policy=policy,
                    overage_product_id=overage.id,
                )
            team = env["helpdesk.ticket.team"].create(team_vals)
            for layout in ("one", "each", "web"):
                for c in range(agents if layout == "each" else 1):
                    partner = env["res.partner"].create(
                        {"name": f"Load {policy} {layout} {c}", "is_company": True}
                    )
                    orders = env["sale.order"].create(
                        [
                            {
                                "partner_id": partner.id,
                                "order_line": [
                                    Command.create(
                                        {
                                            "product_id": pack_product.id,
                                            "product_uom_qty": hours,
                                        }
                                    )
                                ],
                            }
                            for hours in (20, 40, 80)
                        ]
                    )
                    orders.action_confirm()
                    for t in range(2 if layout == "each" else 16):
                        vals = {
                            "name": f"Load ticket {t}",
                            "description": "<p>Load</p>",
                            "team_id": team.id,
                            "partner_id": partner.id,
                        }
                        if not ours:
                            # as the peer's ticket form sets them: the team's
                            # project by onchange, the pack by hand
                            vals["project_id"] = project.id
                            vals["sale_line_id"] = orders[0].order_line.id
                        env["helpdesk.ticket"].create(vals)
        setup_work_types(env)


# the work types that agents mix, with helpdesk_prepaid_billing_time_type
WORK_TYPES = {
    "Load after hours": {"prepaid_multiplier": 1.5},
    "Load on site": {"prepaid_multiplier": 2.0, "prepaid_rounding_minimum": 1.0},
    "Load project work": {"prepaid_billing": "outside_pack"},
}


def setup_work_types(env):
    """Ours with work types: a standard type by default on the load teams,
    and the types that agents choose (see WORK_TYPES)."""
    if "project.time.type" not in env:
        return
    types = env["project.time.type"]
    if types.search([("name", "=", "Load standard")]):
        return
    standard = types.create({"name": "Load standard"})
    for name, vals in WORK_TYPES.items():
        types.create(dict(vals, name=name))
    teams = env["helpdesk.ticket.team"].search([("name", "like", "Load ")])
    teams.prepaid_time_type_id = standard


def post(url, params, opener=None):
    """A JSON-RPC call to ``url``; ``opener`` keeps a web session's cookie."""
    payload = {"jsonrpc": "2.0", "method": "call", "params": params}
    request = urllib.request.Request(
        url, json.dumps(payload).encode(), {"Content-Type": "application/json"}
    )
    with (opener or urllib.request.build_opener()).open(
        request, timeout=120
    ) as response:
        answer = json.loads(response.read())
    if "error" in answer:
        raise RuntimeError(answer["error"]["data"].get("message", answer["error"]))
    return answer["result"]


def call(url, db, uid, model, method, args, kwargs=None):
    return post(
        f"{url}/jsonrpc",
        {
            "service": "object",
            "method": "execute_kw",
            "args": [db, uid, PASSWORD, model, method, args, kwargs or {}],
        },
    )


class WebClient:
    """An agent logged in to the web client: its requests carry the session
    cookie and go through the web client's routes."""

    def __init__(self, url, db, login_name):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar())
        )
        self.uid = post(
            f"{url}/web/session/authenticate",
            {"db": db, "login": login_name, "password": PASSWORD},
            self.opener,
        )["uid"]

    def log_on_ticket(self, ticket_id, vals):
        """The ticket form saved with a new line on its Timesheets tab."""
        return post(
            f"{self.url}/web/dataset/call_kw/helpdesk.ticket/web_save",
            {
                "model": "helpdesk.ticket",
                "method": "web_save",
                "args": [[ticket_id], {"timesheet_ids": [[0, 0, vals]]}],
                "kwargs": {"specification": {"display_name": {}}},
            },
            self.opener,
        )


def login(url, db, login_name):
    return post(
        f"{url}/jsonrpc",
        {"service": "common", "method": "login", "args": [db, login_name, PASSWORD]},
    )


def run(urls, db, policy, layout, agents, entries, seconds, ours):
    """``urls``: the Odoo servers, comma-separated; agent i logs on the i-th
    (modulo their number), as a load balancer would spread them."""
    urls = urls.split(",")
    url = urls[0]
    admin = login(url, db, "admin")
    teams = call(
        url,
        db,
        admin,
        "helpdesk.ticket.team",
        "search",
        [[("name", "=", f"Load {policy}")]],
    )
    tickets = call(
        url,
        db,
        admin,
        "helpdesk.ticket",
        "search_read",
        [
            [
                ("team_id", "in", teams),
                ("partner_id.name", "like", f"Load {policy} {layout} "),
            ]
        ],
        {"fields": ["partner_id", "project_id"], "order": "id"},
    )
    by_customer, projects = {}, {}
    for ticket in tickets:
        by_customer.setdefault(ticket["partner_id"][0], []).append(ticket["id"])
        # as the ticket form gives it (the peer sets it by onchange only)
        projects[ticket["id"]] = ticket["project_id"] and ticket["project_id"][0]
    customers = sorted(by_customer)
    # the ticket form's timesheet line gives its employee (a required field)
    employees = {
        employee["user_id"][0]: employee["id"]
        for employee in call(
            url,
            db,
            admin,
            "hr.employee",
            "search_read",
            [[("user_id.login", "=like", "lt_agent_%")]],
            {"fields": ["user_id"]},
        )
    }
    # agents choose a work type for one entry in two, where there are any
    work_types = [False]
    if ours and call(
        url, db, admin, "ir.model", "search", [[("model", "=", "project.time.type")]]
    ):
        work_types += call(
            url,
            db,
            admin,
            "project.time.type",
            "search",
            [[("name", "in", list(WORK_TYPES))]],
        )
    results = {"ok": [], "refused": [], "latency": []}
    adjusted = {"ok": 0, "refused": []}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    running = threading.Event()
    running.set()

    def agent(i):
        rng = random.Random(i)
        node = urls[i % len(urls)]
        web = WebClient(node, db, f"lt_agent_{i}") if layout == "web" else None
        uid = None if web else login(node, db, f"lt_agent_{i}")
        own = by_customer[customers[i if layout == "each" else 0]]
        for n in range(entries):
            if time.monotonic() > deadline:
                return
            hours = rng.choice([0.25, 0.5, 0.75, 1, 1.5, 2])
            ticket_id = rng.choice(own)
            start = time.perf_counter()
            vals = {
                "project_id": projects[ticket_id],
                "name": f"lt {i} {n}",
                "unit_amount": hours,
            }
            work_type = rng.choice(work_types + [False] * (len(work_types) - 1))
            if work_type:
                vals["time_type_id"] = work_type
            try:
                if web:
                    employee_id = employees[web.uid]
                    web.log_on_ticket(ticket_id, dict(vals, employee_id=employee_id))
                else:
                    vals_list = [dict(vals, ticket_id=ticket_id)]
                    call(node, db, uid, "account.analytic.line", "create", vals_list)
                outcome = ("ok", (vals["name"], hours))
            except Exception as error:  # noqa: BLE001 - counted as refused
                outcome = ("refused", str(error)[:200])
            with lock:
                results[outcome[0]].append(outcome[1])
                results["latency"].append(time.perf_counter() - start)

    start = time.perf_counter()
    threads = [threading.Thread(target=agent, args=(i,)) for i in range(agents)]
    manager = None
    if ours:
        packs = call(
            url,
            db,
            admin,
            "sale.order.line",
            "search",
            [
                [
                    (
                        "order_partner_id",
                        "in",
                        customers[: agents if layout == "each" else 1],
                    ),
                    ("state", "=", "sale"),
                ]
            ],
        )
        manager = threading.Thread(
            target=adjust_packs,
            args=(url, db, admin, packs, (deadline, running), adjusted, lock),
        )
    for thread in threads + ([manager] if manager else []):
        thread.start()
    for thread in threads:
        thread.join()
    running.clear()
    if manager:
        manager.join()
    elapsed = time.perf_counter() - start
    latency = sorted(results["latency"])

    def p(q):
        return latency[min(len(latency) - 1, int(q * len(latency)))] if latency else 0

    checks = verify(url, db, admin, policy, layout, results, ours)
    print(
        f"{'ours' if ours else 'peer'} {policy:5} {layout:4}: "
        f"{len(results['ok'])} ok, {len(results['refused'])} refused, "
        f"{len(results['ok']) / elapsed:.1f} entries/s, "
        f"p50 {p(0.5):.2f} s, p95 {p(0.95):.2f} s; checks: {checks}",
        flush=True,
    )
    for error in results["refused"][:3]:
        print(f"    refused: {error}")
    if ours:
        print_adjustments(adjusted)


def adjust_packs(url, db, admin, packs, until, adjusted, lock):
    """Ours: a billing manager adjusting the agents' customers' ``packs``
    while they log (``until``: the deadline, and the event cleared once they
    are done), an hour added, half an hour removed: the adjustments and the
    agents' entries lock the same packs."""
    deadline, running = until
    rng = random.Random(-1)
    while packs and running.is_set() and time.monotonic() < deadline:
        vals = {
            "sale_line_id": rng.choice(packs),
            "hours": rng.choice([1.0, -0.5]),
            "reason": "Load test",
        }
        try:
            call(url, db, admin, "prepaid.hours.adjustment", "create", [vals])
            with lock:
                adjusted["ok"] += 1
        except Exception as error:  # noqa: BLE001 - counted as refused
            with lock:
                adjusted["refused"].append(str(error)[:200])
        time.sleep(0.2)


def print_adjustments(adjusted):
    # removing what a pack has not left is refused, as it should be
    others = [e for e in adjusted["refused"] if "cannot be removed" not in e]
    print(
        f"    adjustments meanwhile: {adjusted['ok']} made, "
        f"{len(adjusted['refused']) - len(others)} refused for lack of hours, "
        f"{len(others)} other refusals"
    )
    for error in others[:3]:
        print(f"    adjustment refused: {error}")


def verify(url, db, admin, policy, layout, results, ours):
    """Every entry the clients were told succeeded is billed exactly once;
    Delivered equals the hours billed on every pack; only the last pack is
    negative (allow), none (bill); each alert once."""
    told = dict(results["ok"])
    names = call(
        url,
        db,
        admin,
        "account.analytic.line",
        "search_read",
        [
            [
                ("name", "like", "lt "),
                ("ticket_id.team_id.name", "=", f"Load {policy}"),
                ("ticket_id.partner_id.name", "like", f"Load {policy} {layout} "),
            ]
        ],
        {
            "fields": ["name", "unit_amount", "so_line"]
            + (["billed_hours"] if ours else [])
        },
    )
    spent = {}
    for line in names:
        spent[line["name"]] = spent.get(line["name"], 0) + line["unit_amount"]
    problems = []
    if len(spent) != len(told):
        problems.append(f"{len(spent)} entries stored, {len(told)} told ok")
    problems += [
        f"{name}: {spent.get(name, 0)} h stored, {hours} h told ok"
        for name, hours in told.items()
        if abs(spent.get(name, 0) - hours) > 0.001
    ]
    packs = {}
    for line in names:
        if line["so_line"]:
            packs[line["so_line"][0]] = packs.get(line["so_line"][0], 0) + line.get(
                "billed_hours", line["unit_amount"]
            )
    lines = call(
        url,
        db,
        admin,
        "sale.order.line",
        "read",
        [list(packs)],
        {
            "fields": [
                "qty_delivered",
                "product_uom_qty",
                "order_partner_id",
                "order_id",
            ]
            + (["prepaid_hours_adjusted"] if ours else [])
        },
    )
    for line in lines:
        if abs(line["qty_delivered"] - packs[line["id"]]) > 0.01:
            problems.append(
                f"line {line['id']}: delivered {line['qty_delivered']} "
                f"!= {packs[line['id']]}"
            )
    if ours:
        pack_lines = [line for line in lines if line["product_uom_qty"]]
        by_customer = {}
        for line in sorted(pack_lines, key=lambda l: l["id"]):
            by_customer.setdefault(line["order_partner_id"][0], []).append(line)
        for customer_lines in by_customer.values():
            for line in customer_lines[:-1] if policy == "allow" else customer_lines:
                hours = line["product_uom_qty"] + line["prepaid_hours_adjusted"]
                if line["qty_delivered"] > hours + 0.01:
                    problems.append(f"pack {line['id']} over its hours")
    return "all hold" if not problems else "; ".join(problems[:5])


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3], sys.argv[4] == "1", int(sys.argv[5]))
    else:
        url, db, policy, layout = sys.argv[2:6]
        agents, entries, seconds = (int(x) for x in sys.argv[6:9])
        run(url, db, policy, layout, agents, entries, seconds, sys.argv[9] == "1")
