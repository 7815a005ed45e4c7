# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.tools import SQL

from .allocation import HOURS_PRECISION


class SaleOrder(models.Model):
    _inherit = "sale.order"

    ticket_count = fields.Integer(
        string="Tickets",
        compute="_compute_ticket_count",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    is_prepaid_overage = fields.Boolean(
        string="Prepaid Overage",
        readonly=True,
        copy=False,
        help="Order that collects the customer's support hours beyond its "
        "prepaid packs, invoiced as delivered.",
    )

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.ticket_count = counts.get(order, 0)

    @api.model_create_multi
    def create(self, vals_list):
        # only the allocation makes an overage order (see below)
        return super().create(
            [
                {k: v for k, v in vals.items() if k != "is_prepaid_overage"}
                for vals in vals_list
            ]
        )

    def write(self, vals):
        vals = {k: v for k, v in vals.items() if k != "is_prepaid_overage"}
        return super().write(vals)

    def action_confirm(self):
        # The unused hours of the packs that these orders renew move to the
        # renewal, confirmed with it; the packs are locked while counted.
        renewals = self.order_line.filtered("prepaid_renewed_line_id")
        renewals.prepaid_renewed_line_id.sudo()._lock_prepaid_packs()
        rollover_vals = [
            vals for line in renewals if (vals := line._prepare_prepaid_rollover_vals())
        ]
        if rollover_vals:
            self.env["sale.order.line"].create(rollover_vals)
        return super().action_confirm()

    def _action_confirm(self):
        res = super()._action_confirm()
        self.filtered(lambda o: not o.is_prepaid_overage)._feed_prepaid_customers()
        return res

    def _feed_prepaid_customers(self):
        """New hours for these orders' customers (a pack confirmed or grown):
        their open tickets that had no pack take the oldest usable one, and
        the time already logged on them with it; those on a pack that rolled
        its hours over move on. Packs that went negative (allow policy) hand
        what they owe to the new hours: only the customer's last pack may be
        negative."""
        rolled_over = self.order_line.prepaid_rollover_from_id
        self._assign_prepaid_packs(
            [
                ("stage_id.closed", "=", False),
                "|",
                ("sale_line_id", "=", False),
                ("sale_line_id", "in", rolled_over.ids),
            ]
        )
        packs = self.env["sale.order.line"]._get_prepaid_packs(
            self.partner_id, self.company_id
        )
        overdrawn = [
            pack
            for customer_packs in packs.values()
            for pack in customer_packs
            if pack.remaining_hours < -HOURS_PRECISION
        ]
        if overdrawn:
            self.env["sale.order.line"].union(*overdrawn)._move_prepaid_time(
                follow_ticket=False
            )

    def action_cancel(self):
        # refused before Odoo's cancel wizard opens, not when it is confirmed
        self.order_line._check_prepaid_rolled_over()
        return super().action_cancel()

    def _action_cancel(self):
        self.order_line._check_prepaid_rolled_over()
        res = super()._action_cancel()
        # Tickets and time on a cancelled pack move to the customer's next one.
        self.order_line._release_prepaid_time()
        return res

    def _assign_prepaid_packs(self, ticket_domain):
        """Give the tickets of these orders' customers that match
        ``ticket_domain`` their oldest pack with hours left."""
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    (
                        "commercial_partner_id",
                        "in",
                        self.partner_id.commercial_partner_id.ids,
                    ),
                    ("company_id", "in", self.company_id.ids),
                    ("team_id.use_helpdesk_sale_timesheet", "=", True),
                ]
                + ticket_domain
            )
        )
        packs = self.env["sale.order.line"]._get_prepaid_packs(
            tickets.partner_id, tickets.company_id
        )
        today = fields.Date.context_today(self)
        tickets_by_pack = defaultdict(lambda: self.env["helpdesk.ticket"].sudo())
        for ticket in tickets:
            key = (ticket.commercial_partner_id, ticket.company_id)
            pack = packs[key]._filter_prepaid_usable(today)[:1]
            if pack != ticket.sale_line_id:
                tickets_by_pack[pack] |= ticket
        following = {}
        for pack, pack_tickets in tickets_by_pack.items():
            # from a pack that keeps their time (used up): the time stays;
            # from none or a cancelled one: it follows them
            moving_on = pack_tickets.filtered("sale_line_id.is_prepaid_pack")
            moving_on._advance_prepaid_pack(pack)
            following[pack] = pack_tickets - moving_on
        self.env["helpdesk.ticket"].sudo()._set_prepaid_packs(following)

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    @api.model
    def _get_prepaid_overage_line(self, partner, company, team, order_vals=None):
        """The line of the customer's open overage order that carries the
        team's overage product, created (and its order) if needed; the order
        has ``order_vals`` (see
        sale.order.line._get_prepaid_overage_order_vals)."""
        product = team.overage_product_id
        order_vals = order_vals or {}
        Orders = self.sudo()
        order = Orders.search(
            [
                ("is_prepaid_overage", "=", True),
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("locked", "=", False),
                *((name, "=", value) for name, value in order_vals.items()),
            ],
            order="id desc",
            limit=1,
        )
        line = order.order_line.filtered(lambda sol: sol.product_id == product)[:1]
        if line:
            return line
        # Two agents putting the customer's first overage hours at once would
        # both make the line: the customer's row is updated (to itself), so
        # that the second one fails on it once the first commits and is
        # retried with the first line in sight (a conflict that Odoo retries,
        # not an error to log).
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET write_date = write_date WHERE id = %s",
                partner.commercial_partner_id.id,
            ),
            log_exceptions=False,
        )
        line_vals = {"product_id": product.id, "product_uom_qty": 0.0}
        if team.overage_price_unit:
            line_vals["price_unit"] = team.overage_price_unit
        if order:
            order.order_line = [Command.create(line_vals)]
        else:
            order = Orders.create(
                {
                    "partner_id": partner.commercial_partner_id.id,
                    "company_id": company.id,
                    "origin": team.name,
                    "order_line": [Command.create(line_vals)],
                    **order_vals,
                }
            )
            super(SaleOrder, order).write({"is_prepaid_overage": True})
            order.action_confirm()
        return order.order_line.filtered(lambda sol: sol.product_id == product)[-1:]
