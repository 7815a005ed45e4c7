# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
