# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError


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

    def _get_prepaid_packs(self):
        """Prepaid packs with hours left of the tickets' customers, oldest first,
        by (commercial partner, company)."""
        packs = defaultdict(lambda: self.env["sale.order.line"])
        if not self:
            return packs
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                self.env["sale.order.line"]._prepaid_pack_domain()
                + [
                    (
                        "order_partner_id.commercial_partner_id",
                        "in",
                        self.commercial_partner_id.ids,
                    ),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        )
        for line in lines.sorted(lambda sol: (sol.order_id.date_order, sol.id)):
            key = (line.order_partner_id.commercial_partner_id, line.company_id)
            packs[key] |= line.sudo(False)
        return packs

    def _get_timesheet_task(self):
        """Task that shows the ticket's hours: the ticket's own, else the task
        that its prepaid sales order item created in the ticket's project."""
        self.ensure_one()
        if self.task_id:
            return self.task_id
        task = self.sudo().sale_line_id.task_id
        if self.use_helpdesk_sale_timesheet and task.project_id == self.project_id:
            return task.sudo(False)
        return self.env["project.task"]
