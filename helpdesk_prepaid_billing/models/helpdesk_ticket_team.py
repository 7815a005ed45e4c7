# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    use_helpdesk_sale_timesheet = fields.Boolean(
        string="Time Billing",
        compute="_compute_use_helpdesk_sale_timesheet",
        store=True,
        readonly=False,
        help="Bill the time logged on this team's tickets: each ticket draws on "
        "its customer's prepaid support hours, and the hours show as delivered "
        "on the sales order.",
    )

    @api.depends("allow_timesheet")
    def _compute_use_helpdesk_sale_timesheet(self):
        self.filtered(
            lambda t: not t.allow_timesheet
        ).use_helpdesk_sale_timesheet = False

    @api.constrains("use_helpdesk_sale_timesheet", "allow_timesheet")
    def _check_use_helpdesk_sale_timesheet(self):
        if any(t.use_helpdesk_sale_timesheet and not t.allow_timesheet for t in self):
            raise ValidationError(
                self.env._("Time billing needs timesheets on the team's tickets.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._make_project_billable()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if {"use_helpdesk_sale_timesheet", "default_project_id"} & set(vals):
            self._make_project_billable()
        return res

    def _get_timesheet_project(self, company=None):
        """Project that receives the time of the team's tickets in ``company``."""
        self.ensure_one()
        # default_project_id is company dependent: read it in the ticket's company
        team = self.with_company(company or self.company_id or self.env.company)
        return (
            team.default_project_id
            if team.allow_timesheet
            else self.env["project.project"]
        )

    def _make_project_billable(self):
        """Billing time needs a billable project, as in Odoo Enterprise."""
        for team in self.filtered("use_helpdesk_sale_timesheet"):
            project = team._get_timesheet_project()
            if project and not project.allow_billable:
                project.sudo().allow_billable = True
