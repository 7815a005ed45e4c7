# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import formatLang

from .allocation import HOURS_PRECISION


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # Computed instead of OCA's onchange, so that tickets created by code, the
    # mail gateway or the portal get the team's project too.
    project_id = fields.Many2one(
        compute="_compute_project_id", store=True, readonly=False
    )
    total_hours = fields.Float(compute="_compute_timesheet_totals")
    last_timesheet_activity = fields.Date(compute="_compute_timesheet_totals")
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
        billed = self.filtered(lambda t: t._bills_prepaid_time())
        res = super(HelpdeskTicket, self - billed)._compute_sale_line()
        # most tickets keep their pack, or the time-and-materials line chosen
        # for them: look for packs only for the others
        moving = billed.filtered(lambda t: not t._keeps_sale_line())
        packs = self.env["sale.order.line"]._get_prepaid_packs(
            moving.partner_id, moving.company_id
        )
        today = fields.Date.context_today(self)
        # per customer, not per ticket: the packs that can still take time
        usable = {
            key: customer_packs._filter_prepaid_usable(today)
            for key, customer_packs in packs.items()
        }
        for ticket in moving:
            key = (ticket.commercial_partner_id, ticket.company_id)
            customer_packs = packs.get(key, self.env["sale.order.line"])
            following = usable.get(key, customer_packs)
            line = ticket.sale_line_id
            if line in customer_packs and not following:
                # a used-up pack stays while the customer has no other
                continue
            # the oldest valid pack with hours left
            ticket.sale_line_id = following[:1].with_env(self.env)
        return res

    @api.depends("timesheet_ids.unit_amount", "timesheet_ids.date")
    def _compute_timesheet_totals(self):
        # helpdesk_mgmt_timesheet loads every timesheet of a ticket for each
        # of these figures: the saved tickets are summed in one grouped query
        # (by the index on the timesheets' ticket) for both instead; a form
        # being edited sums the lines it holds, the unsaved ones included
        grouped = self.filtered("id")
        for ticket in self - grouped:
            ticket.total_hours = sum(ticket.timesheet_ids.mapped("unit_amount"))
            ticket.last_timesheet_activity = max(
                filter(None, ticket.timesheet_ids.mapped("date")), default=False
            )
        totals = {
            ticket.id: (hours, last_date)
            for ticket, hours, last_date in self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [("ticket_id", "in", grouped.ids)],
                ["ticket_id"],
                ["unit_amount:sum", "date:max"],
            )
        }
        for ticket in grouped:
            ticket.total_hours, ticket.last_timesheet_activity = totals.get(
                ticket.id, (0.0, False)
            )

    @api.depends("sale_line_id.remaining_hours")
    def _compute_remaining_hours_so(self):
        # per pack, not per ticket: a customer's tickets share a few packs
        for line, tickets in self._group_by_prepaid_key(lambda t: t.sale_line_id):
            tickets.remaining_hours_available = line.remaining_hours_available
            tickets.remaining_hours_so = line.remaining_hours

    @api.depends(
        "use_helpdesk_sale_timesheet",
        "partner_id",
        "sale_line_id.remaining_hours",
        "sale_line_id.prepaid_end_date",
        "team_id.prepaid_overage_policy",
        "timesheet_ids.so_line",
        "timesheet_ids.billed_hours",
    )
    def _compute_prepaid_banner(self):
        # one query for the overage of all tickets, one banner per pack
        overage_by_ticket = {
            ticket.id: billed
            for ticket, billed in self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("ticket_id", "in", self._origin.ids),
                    ("so_line.order_id.is_prepaid_overage", "=", True),
                ],
                ["ticket_id"],
                ["billed_hours:sum"],
            )
        }
        no_pack = {
            "allow": self.env._("No prepaid hours: this time will not be billed."),
            "bill": self.env._("No prepaid hours: this time is billed as overage."),
            "block": self.env._("No prepaid hours: time cannot be logged."),
        }
        # the overage policy of the teams that bill time, read once per team
        policies = {
            team: team.use_helpdesk_sale_timesheet and team.prepaid_overage_policy
            for team in self.team_id
        }
        unpaid = self.filtered(
            lambda t: t.partner_id and not t.sale_line_id
        )._get_prepaid_unpaid_packs()
        groups = self._group_by_prepaid_key(
            lambda t: (
                bool(t.partner_id) and policies.get(t.team_id),
                t.sale_line_id,
                overage_by_ticket.get(t.id or t._origin.id, 0.0),
                unpaid.get((t.commercial_partner_id, t.company_id)),
            )
        )
        pack_banners = self.sale_line_id._get_prepaid_banners()
        for (policy, line, overage, unpaid_pack), tickets in groups:
            if not policy:
                banner = (False, False)
            elif overage:
                banner = (
                    self.env._(
                        "Over by %(hours)s h, billed as overage.",
                        hours=formatLang(self.env, overage, digits=2),
                    ),
                    "danger",
                )
            elif not line and unpaid_pack:
                banner = (
                    self.env._(
                        "Waiting for the payment of %(order)s: %(policy)s",
                        order=unpaid_pack.order_id.name,
                        policy=no_pack[policy],
                    ),
                    "warning",
                )
            elif not line:
                banner = (no_pack[policy], "warning")
            else:
                banner = pack_banners[line]
            tickets.prepaid_banner, tickets.prepaid_banner_level = banner

    def _get_prepaid_unpaid_packs(self):
        """{(commercial partner, company): the oldest pack of these tickets'
        customers that has hours and waits for its payment (see
        sale.order.line._is_prepaid_pack_paid)}."""
        if not self:
            return {}
        packs = self.env["sale.order.line"]._get_prepaid_packs(
            self.partner_id, self.company_id
        )
        unpaid = {}
        for key, customer_packs in packs.items():
            waiting = customer_packs.filtered(
                lambda pack: (
                    pack.remaining_hours > 0 and not pack._is_prepaid_pack_paid()
                )
            )
            if waiting:
                unpaid[key] = waiting[0]
        return unpaid

    def _bills_prepaid_time(self):
        """Whether this ticket's time is billed by the prepaid rules: its team
        bills time and its project is billable."""
        self.ensure_one()
        return self.use_helpdesk_sale_timesheet and self.allow_billable

    def _keeps_sale_line(self):
        """Whether this ticket keeps its sales order item when the customer's
        packs are looked for: a pack with hours left, or a line billed on
        timesheets chosen for it (time and materials), of its customer in its
        company."""
        self.ensure_one()
        line = self.sale_line_id.sudo()
        return self._is_sale_line_allowed(line) and (
            not line.is_prepaid_pack or line.remaining_hours > HOURS_PRECISION
        )

    def _group_by_prepaid_key(self, key):
        """[(key, tickets)]: these tickets grouped by ``key(ticket)``."""
        groups = defaultdict(list)
        for ticket in self:
            groups[key(ticket)].append(ticket.id)
        return [(value, self.browse(ids)) for value, ids in groups.items()]

    @api.constrains("sale_line_id", "partner_id", "company_id", "team_id")
    def _check_sale_line_id(self):
        self._compute_pending_sale_lines()
        for ticket in self.sudo().filtered("use_helpdesk_sale_timesheet"):
            line = ticket.sale_line_id
            if line and not ticket._is_sale_line_allowed(line):
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s cannot use the sales order item "
                        "%(line)s: only a confirmed prepaid pack of hours or a "
                        "service invoiced on timesheets, sold to the ticket's "
                        "customer in its company, can be used, and it was sold "
                        "to %(customer)s in %(company)s.",
                        ticket=ticket.display_name,
                        line=line.display_name,
                        customer=line.prepaid_partner_id.name,
                        company=line.company_id.name,
                    )
                )

    def _compute_pending_sale_lines(self):
        """Performance only: OCA declares sale_line_id recursive, so the ORM
        computes it ticket by ticket, each searching its customer's packs (on
        reading it, first here when new tickets are checked). No ticket's
        choice depends on another's: computed for all of these at once."""
        field = self._fields["sale_line_id"]
        field.compute_value(self & self.env.records_to_compute(field))

    def write(self, vals):
        if not {"sale_line_id", "partner_id", "team_id", "company_id"} & set(vals):
            return super().write(vals)
        old_lines = {ticket: ticket.sale_line_id for ticket in self.sudo()}
        res = super().write(vals)
        self.sudo()._get_time_following_pack(old_lines)._reallocate_prepaid_time()
        return res

    @api.model
    def _set_prepaid_packs(self, tickets_by_pack):
        """Give each pack of ``tickets_by_pack`` ({pack: tickets}) to its
        tickets, their time following them as on a write of their sales order
        item, allocated again in one batch for all of them (a write per pack
        would allocate once per pack: once per customer when many customers'
        periods start together)."""
        old_lines = {}
        for pack, tickets in tickets_by_pack.items():
            old_lines.update((ticket, ticket.sale_line_id) for ticket in tickets)
            # written as when they move on (no time follows), then below
            tickets._advance_prepaid_pack(pack)
        tickets = self.union(*tickets_by_pack.values())
        tickets._get_time_following_pack(old_lines)._reallocate_prepaid_time()

    def _get_time_following_pack(self, old_lines):
        """The time that follows these tickets to their new sales order item:
        what was on the previous one (``old_lines``) or not billed, and what
        their customer, company or team can no longer carry."""
        return self.timesheet_ids.filtered(
            lambda aal: (
                not aal.so_line
                or aal.so_line == old_lines[aal.ticket_id]
                or not aal.ticket_id.use_helpdesk_sale_timesheet
                or not aal.ticket_id._is_prepaid_line_allowed(aal.so_line)
            )
        )

    def _advance_prepaid_pack(self, pack):
        """Move these tickets on to ``pack`` once their own is used up. Their
        time stays where the allocation put it: this is no change of the
        ticket's sales order item that the time should follow, hence the
        write of the parent class."""
        return super().write({"sale_line_id": pack.id})

    def _check_prepaid_billing_line(self, line):
        """Refuse ``line`` for this ticket's time unless it may carry it (see
        ``_is_prepaid_line_allowed``)."""
        self.ensure_one()
        if not self._is_prepaid_line_allowed(line):
            raise ValidationError(
                self.env._(
                    "The time of ticket %(ticket)s cannot be billed to %(line)s: "
                    "only a confirmed prepaid pack or a service invoiced on "
                    "timesheets (the overage order among them) of the ticket's "
                    "customer in its company can carry it.",
                    ticket=self.display_name,
                    line=line.sudo().display_name,
                )
            )

    def _is_prepaid_line_allowed(self, line):
        """Whether ``line`` may carry this ticket's time: a pack, or a
        confirmed service invoiced on timesheets (time and materials, the
        overage line), of the ticket's customer (commercial entity) in the
        ticket's company."""
        self.ensure_one()
        line = line.sudo()
        return (
            bool(line and self.partner_id)
            and line.company_id == self.company_id
            and line.prepaid_partner_id == self.commercial_partner_id
            and (line.is_prepaid_pack or line._is_billed_on_timesheets())
        )

    def _is_sale_line_allowed(self, line):
        """Whether ``line`` may be this ticket's sales order item: a line that
        may carry its time, but the overage order's, which only takes the
        hours beyond the packs, entry by entry."""
        self.ensure_one()
        return (
            self._is_prepaid_line_allowed(line)
            and not line.sudo().order_id.is_prepaid_overage
        )

    def _check_timesheet_access(self):
        """Billed time is logged only on tickets that the user may read: it
        consumes the customer's hours. Checked in the database, since the
        customers' locks read the tickets as superuser first, and a read
        served from the cache checks nothing. The tickets of teams that do
        not bill time keep OCA's rule (a timesheet user logs on any ticket)."""
        billed = self.sudo().filtered("use_helpdesk_sale_timesheet")
        billed.with_env(self.env).check_access("read")

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
