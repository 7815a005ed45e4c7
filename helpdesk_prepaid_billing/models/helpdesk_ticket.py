# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round, formatLang

# hours below this are rounding noise, not time to allocate
HOURS_PRECISION = 0.0001


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # Computed instead of OCA's onchange, so that tickets created by code, the
    # mail gateway or the portal get the team's project too.
    project_id = fields.Many2one(
        compute="_compute_project_id", store=True, readonly=False
    )
    use_helpdesk_sale_timesheet = fields.Boolean(
        related="team_id.use_helpdesk_sale_timesheet"
    )
    # compute_sudo: agents without sales rights see the balance, not the order.
    remaining_hours_available = fields.Boolean(
        compute="_compute_remaining_hours_so", compute_sudo=True
    )
    remaining_hours_so = fields.Float(
        string="Remaining Hours on SO",
        compute="_compute_remaining_hours_so",
        compute_sudo=True,
        help="Hours left on the prepaid sales order item of the ticket; "
        "negative when more time was logged than sold.",
    )
    prepaid_banner = fields.Char(
        string="Prepaid Hours", compute="_compute_prepaid_banner", compute_sudo=True
    )
    prepaid_banner_level = fields.Selection(
        [("info", "Info"), ("warning", "Warning"), ("danger", "Danger")],
        compute="_compute_prepaid_banner",
        compute_sudo=True,
    )

    @api.depends("team_id")
    def _compute_project_id(self):
        for ticket in self.filtered("team_id"):
            project = ticket.team_id._get_timesheet_project(ticket.company_id)
            if project:
                ticket.project_id = project

    @api.depends(
        "partner_id.commercial_partner_id",
        "company_id",
        "team_id.use_helpdesk_sale_timesheet",
    )
    def _compute_sale_line(self):
        billed = self.filtered(
            lambda t: t.use_helpdesk_sale_timesheet and t.allow_billable
        )
        res = super(HelpdeskTicket, self - billed)._compute_sale_line()
        packs = billed._get_prepaid_packs()
        for ticket in billed:
            # keep the line the agent chose while it fits the customer
            if ticket.partner_id and ticket._is_sale_line_allowed(ticket.sale_line_id):
                continue
            customer_packs = packs[ticket.commercial_partner_id, ticket.company_id]
            ticket.sale_line_id = customer_packs[:1]
        return res

    @api.depends("sale_line_id.remaining_hours")
    def _compute_remaining_hours_so(self):
        for ticket in self:
            line = ticket.sale_line_id
            ticket.remaining_hours_available = line.remaining_hours_available
            ticket.remaining_hours_so = line.remaining_hours

    @api.depends(
        "use_helpdesk_sale_timesheet",
        "partner_id",
        "sale_line_id.remaining_hours",
        "sale_line_id.prepaid_end_date",
        "team_id.prepaid_overage_policy",
        "timesheet_ids.so_line",
        "timesheet_ids.unit_amount",
        "timesheet_ids.prepaid_rounding_delta",
    )
    def _compute_prepaid_banner(self):
        no_pack = {
            "allow": self.env._("No prepaid hours: this time will not be billed."),
            "bill": self.env._("No prepaid hours: this time is billed as overage."),
            "block": self.env._("No prepaid hours: time cannot be logged."),
        }
        for ticket in self:
            banner, level = False, False
            line = ticket.sale_line_id
            overage = sum(
                ticket.timesheet_ids.filtered(
                    lambda t: t.so_line.order_id.is_prepaid_overage
                ).mapped("billed_hours")
            )
            if not (ticket.use_helpdesk_sale_timesheet and ticket.partner_id):
                pass
            elif overage:
                banner, level = (
                    self.env._(
                        "Over by %(hours)s h, billed as overage.",
                        hours=formatLang(self.env, overage, digits=2),
                    ),
                    "danger",
                )
            elif line.remaining_hours_available and line.prepaid_hours_remaining < 0:
                banner, level = (
                    self.env._(
                        "Over by %(hours)s h on pack %(pack)s, not billed.",
                        hours=formatLang(
                            self.env, -line.prepaid_hours_remaining, digits=2
                        ),
                        pack=line.order_id.name,
                    ),
                    "danger",
                )
            elif line.remaining_hours_available:
                banner = line._get_prepaid_summary()
                level = "info" if line.prepaid_hours_remaining > 0 else "warning"
            elif not line:
                banner = no_pack[ticket.team_id.prepaid_overage_policy]
                level = "warning"
            ticket.prepaid_banner, ticket.prepaid_banner_level = banner, level

    @api.constrains("sale_line_id", "partner_id", "company_id")
    def _check_sale_line_id(self):
        for ticket in self.sudo():
            line = ticket.sale_line_id
            if line and not ticket._is_sale_line_allowed(line):
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s cannot use the sales order item "
                        "%(line)s: it was sold to %(customer)s in %(company)s, "
                        "not to the ticket's customer in its company.",
                        ticket=ticket.display_name,
                        line=line.display_name,
                        customer=line.order_partner_id.commercial_partner_id.name,
                        company=line.company_id.name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if not self.env.context.get("prepaid_allocating") and {
            "sale_line_id",
            "partner_id",
            "team_id",
            "company_id",
        } & set(vals):
            # the time not invoiced follows the ticket to its (new) packs
            self.sudo().timesheet_ids._allocate_prepaid_time()
        return res

    def _is_sale_line_allowed(self, line):
        """Whether ``line`` may carry this ticket's time: same customer
        (commercial entity) and same company."""
        self.ensure_one()
        line = line.sudo()
        return (
            bool(line)
            and line.company_id == self.company_id
            and (
                not self.partner_id
                or line.order_partner_id.commercial_partner_id
                == self.partner_id.commercial_partner_id
            )
        )

    def _get_prepaid_packs(self, on_date=None):
        """Prepaid packs of the tickets' customers, oldest first, by
        (commercial partner, company): those with hours left and valid on
        ``on_date`` (today by default), or all of them with ``on_date=False``."""
        packs = defaultdict(lambda: self.env["sale.order.line"])
        if not self:
            return packs
        if on_date is None:
            on_date = fields.Date.context_today(self)
        # sudo: agents read no orders; active_test: packs of archived products
        SaleOrderLine = (
            self.env["sale.order.line"].sudo().with_context(active_test=False)
        )
        lines = SaleOrderLine.search(
            SaleOrderLine._prepaid_pack_domain(on_date)
            + [
                (
                    "order_partner_id.commercial_partner_id",
                    "in",
                    self.commercial_partner_id.ids,
                ),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        for line in lines.sorted(lambda sol: (sol.order_id.date_order, sol.id)):
            key = (line.order_partner_id.commercial_partner_id, line.company_id)
            packs[key] |= line.with_env(self.env)
        return packs

    def _get_timesheet_task(self, sale_line=None):
        """Task that shows the hours of the ticket: the ticket's own, else the
        task that the sales order item (the ticket's by default) created in
        the ticket's project."""
        self.ensure_one()
        if self.task_id:
            return self.task_id
        if sale_line is None:
            sale_line = self.sale_line_id
        task = sale_line.sudo().task_id
        if self.use_helpdesk_sale_timesheet and task.project_id == self.project_id:
            return task.with_env(self.env)
        return self.env["project.task"]

    def _is_prepaid_allocation(self, line):
        """Whether ``line`` is one of the customer's packs or its overage
        line: where the allocation of this ticket's time may have put it."""
        line = line.sudo()
        return self._is_sale_line_allowed(line) and (
            line.remaining_hours_available or line.order_id.is_prepaid_overage
        )

    def _allocate_prepaid_time(self, timesheets, new_time=False):
        """Spread ``timesheets`` of this ticket over its customer's prepaid
        packs: the ticket's pack first, then the others oldest first, each
        valid on the entry's date. An entry larger than what a pack has left
        is split, one line per pack; what no pack can take follows the team's
        overage policy. ``new_time``: the entries are being logged (the block
        policy applies), not moved."""
        self.ensure_one()
        ticket = self.sudo()
        timesheets = timesheets.sudo().with_context(prepaid_allocating=True)
        line = ticket.sale_line_id
        key = (ticket.commercial_partner_id, ticket.company_id)
        is_billed = ticket.use_helpdesk_sale_timesheet and ticket.allow_billable
        if (
            not is_billed
            or (line and not line.remaining_hours_available)
            # no line although the customer has hours: removed on purpose
            or (not line and ticket._get_prepaid_packs()[key])
        ):
            # not billed, or billed on another kind of line: no pack to spread
            target = line if is_billed else line.browse()
            timesheets.filtered(lambda t: t.so_line != target).write(
                {
                    "so_line": target.id,
                    "task_id": ticket._get_timesheet_task(target).id,
                    "prepaid_rounding_delta": 0.0,
                }
            )
            return
        all_packs = ticket._get_prepaid_packs(on_date=False)[key]
        packs = line | (all_packs - line)
        (packs | timesheets.so_line)._lock_prepaid_packs()
        # measure what is left without the entries being spread
        timesheets.filtered("so_line").write({"so_line": False})
        left = {pack: pack.remaining_hours for pack in packs}
        used = ticket.env["sale.order.line"]
        for timesheet in timesheets.sorted(lambda t: (t.date, t.id)):
            parts = ticket._split_prepaid_entry(timesheet, packs, left, new_time)
            shares = ticket._share_spent_hours(timesheet.unit_amount, parts)
            first_vals, *other_vals = (
                ticket._prepare_prepaid_part_vals(part_line, billed, spent)
                for (part_line, billed), spent in zip(parts, shares, strict=True)
            )
            timesheet.write(first_vals)
            for vals in other_vals:
                timesheet.copy(vals)
            used |= used.union(*(part_line for part_line, _hours in parts))
        ticket._advance_prepaid_pack(packs, left)
        used.filtered("remaining_hours_available")._notify_prepaid_thresholds(
            ticket.team_id
        )

    def _split_prepaid_entry(self, timesheet, packs, left, new_time):
        """``[[sale line, billed hours], …]`` for ``timesheet``, its hours
        rounded by the team: what each pack valid on its date can take
        (``left`` is updated), then the overage."""
        billed = self.team_id._round_billed_hours(timesheet.unit_amount)
        valid = packs.filtered(lambda p: p._is_prepaid_pack_valid(timesheet.date))
        parts, rest = [], billed
        for pack in valid:
            take = min(left[pack], rest)
            if take > HOURS_PRECISION:
                parts.append([pack, take])
                left[pack] -= take
                rest -= take
        if rest > HOURS_PRECISION:
            parts = self._allocate_overage(timesheet, parts, rest, valid, new_time)
        return parts or [[valid[:1], billed]]

    def _share_spent_hours(self, spent, parts):
        """The hours spent, shared between the ``parts`` of an entry like the
        billed hours; rounded to the hundredth, so that spent and rounding add
        up to what is billed, the first part taking the remainder."""
        billed = sum(hours for _line, hours in parts)
        shares = [
            float_round(spent * hours / billed, precision_digits=2) if billed else 0.0
            for _line, hours in parts[1:]
        ]
        return [spent - sum(shares)] + shares

    def _prepare_prepaid_part_vals(self, sale_line, billed, spent):
        """A part of an entry: its hours spent, and what rounding adds to bill
        it."""
        return {
            "unit_amount": spent,
            "prepaid_rounding_delta": billed - spent,
            "so_line": sale_line.id,
            "task_id": self._get_timesheet_task(sale_line).id,
        }

    def _allocate_overage(self, timesheet, parts, hours, valid_packs, new_time):
        """Where the ``hours`` of ``timesheet`` beyond all packs go, by the
        team's policy; returns the completed ``parts``."""
        policy = self.team_id.prepaid_overage_policy
        if policy == "bill":
            return parts + [[self._get_overage_sale_line(), hours]]
        if policy == "block" and new_time:
            if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_manager"):
                left = sum(part_hours for _line, part_hours in parts)
                raise UserError(
                    self.env._(
                        "Only %(left)s h of prepaid hours are left for %(customer)s: "
                        "%(hours)s h cannot be logged on ticket %(ticket)s. Ask a "
                        "helpdesk manager, or sell a new pack.",
                        left=formatLang(self.env, left, digits=2),
                        hours=formatLang(self.env, timesheet.unit_amount, digits=2),
                        customer=self.commercial_partner_id.name,
                        ticket=self.display_name,
                    )
                )
            self.message_post(
                body=self.env._(
                    "%(user)s logged %(hours)s h beyond the prepaid hours of "
                    "%(customer)s.",
                    user=self.env.user.name,
                    hours=formatLang(self.env, hours, digits=2),
                    customer=self.commercial_partner_id.name,
                )
            )
        # allow (Odoo's behaviour): the last pack goes negative; without any
        # pack valid for the ticket, the time is not billed
        if parts:
            parts[-1][1] += hours
            return parts
        line = self.sale_line_id
        return [[line if line in valid_packs else line.browse(), hours]]

    def _advance_prepaid_pack(self, packs, left):
        """Move the ticket to its customer's next pack once its own is used up."""
        line = self.sale_line_id
        today = fields.Date.context_today(self)
        if line.remaining_hours_available and left.get(line, 0.0) <= HOURS_PRECISION:
            following = packs.filtered(
                lambda p: left[p] > HOURS_PRECISION and p._is_prepaid_pack_valid(today)
            )
            if following:
                self.with_context(prepaid_allocating=True).sale_line_id = following[0]

    def _get_overage_sale_line(self):
        """The line of the customer's open overage order that carries the
        team's overage product, created (and its order) if needed."""
        self.ensure_one()
        team = self.team_id
        product = team.overage_product_id
        SaleOrder = self.env["sale.order"].sudo().with_context(prepaid_allocating=True)
        order = SaleOrder.search(
            [
                ("is_prepaid_overage", "=", True),
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", "sale"),
                ("locked", "=", False),
            ],
            order="id desc",
            limit=1,
        )
        line = order.order_line.filtered(lambda sol: sol.product_id == product)[:1]
        if line:
            return line
        line_vals = {"product_id": product.id, "product_uom_qty": 0.0}
        if team.overage_price_unit:
            line_vals["price_unit"] = team.overage_price_unit
        if order:
            order.order_line = [Command.create(line_vals)]
        else:
            order = SaleOrder.create(
                {
                    "partner_id": self.commercial_partner_id.id,
                    "company_id": self.company_id.id,
                    "is_prepaid_overage": True,
                    "origin": self.team_id.name,
                    "order_line": [Command.create(line_vals)],
                }
            )
            order.action_confirm()
        return order.order_line.filtered(lambda sol: sol.product_id == product)[-1:]
