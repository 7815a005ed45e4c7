# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    prepaid_time_type_id = fields.Many2one(
        "project.time.type",
        string="Default Work Type",
        help="Work type of the time logged on the team's tickets, unless the "
        "agent chooses another.",
    )

    @api.constrains(
        "prepaid_time_type_id", "prepaid_overage_policy", "overage_product_id"
    )
    def _check_prepaid_time_type_id(self):
        for team in self:
            if (
                team.prepaid_time_type_id.prepaid_billing == "outside_pack"
                and not team.overage_product_id
            ):
                raise ValidationError(
                    self.env._(
                        "Team %(team)s bills its time outside the packs by "
                        "default: choose its overage product.",
                        team=team.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._check_prepaid_time_type_rights()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if "prepaid_time_type_id" in vals:
            self._check_prepaid_time_type_rights()
        return res

    def _check_prepaid_time_type_rights(self):
        """A default work type that bills less than the hours spent makes
        every agent's time cheaper: the prepaid billing managers' choice."""
        for team in self:
            time_type = team.prepaid_time_type_id
            if (
                time_type
                and time_type._is_for_prepaid_billing_managers()
                and not self.env["account.analytic.line"]._is_prepaid_billing_manager()
            ):
                raise AccessError(
                    self.env._(
                        "Only prepaid billing managers may make %(type)s the "
                        "default work type of team %(team)s: it bills less "
                        "than the hours spent.",
                        type=time_type.name,
                        team=team.name,
                    )
                )
