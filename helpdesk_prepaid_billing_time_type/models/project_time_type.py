# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.helpdesk_prepaid_billing.models.allocation import BillingTerms


class ProjectTimeType(models.Model):
    """What an hour of a kind of work bills on a customer's prepaid hours."""

    _inherit = "project.time.type"

    prepaid_billing = fields.Selection(
        [
            ("billable", "Billable"),
            ("no_charge", "No charge"),
            ("outside_pack", "Outside the pack"),
        ],
        default="billable",
        required=True,
        help="Billable: the hours billed are taken from the customer's prepaid "
        "hours. No charge: the time is logged and shown, never billed. Outside "
        "the pack: billed on the team's overage order even while the customer "
        "has prepaid hours left.",
    )
    prepaid_multiplier = fields.Float(
        string="Multiplier",
        default=1.0,
        digits=(16, 2),
        help="Hours billed per hour spent, such as 1.5 after hours or 2 on site.",
    )
    prepaid_rounding_unit = fields.Float(
        string="Bill in Increments of",
        help="Bill each entry rounded up to this many hours; 0: the team's increment.",
    )
    prepaid_rounding_minimum = fields.Float(
        string="Minimum per Entry",
        help="Hours billed at least for each entry; 0: the team's minimum.",
    )

    @api.constrains(
        "prepaid_multiplier", "prepaid_rounding_unit", "prepaid_rounding_minimum"
    )
    def _check_prepaid_billing(self):
        for time_type in self:
            if (
                time_type.prepaid_multiplier <= 0
                or min(
                    time_type.prepaid_rounding_unit, time_type.prepaid_rounding_minimum
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Work type %(type)s: the multiplier must be above 0 "
                        "(choose No charge for time that is not billed), the "
                        "increment and the minimum 0 or more.",
                        type=time_type.name,
                    )
                )

    @api.constrains("prepaid_billing")
    def _check_prepaid_billing_teams(self):
        # a type that became "outside the pack" may be a team's default
        self.env["helpdesk.ticket.team"].search(
            [("prepaid_time_type_id", "in", self.ids)]
        )._check_prepaid_time_type_id()

    @api.model_create_multi
    def create(self, vals_list):
        time_types = super().create(vals_list)
        if any(time_types.mapped(lambda t: t._get_prepaid_billing_terms_values())):
            time_types._check_prepaid_billing_rights()
        return time_types

    def write(self, vals):
        before = {t: t._get_prepaid_billing_terms_values() for t in self}
        res = super().write(vals)
        if any(t._get_prepaid_billing_terms_values() != before[t] for t in self):
            self._check_prepaid_billing_rights()
        return res

    def _get_prepaid_billing_terms_values(self):
        """How this type bills, as set on it; empty: as the hours spent (a
        type of any project manager's)."""
        self.ensure_one()
        values = (
            self.prepaid_billing,
            self.prepaid_multiplier,
            self.prepaid_rounding_unit,
            self.prepaid_rounding_minimum,
        )
        return () if values == ("billable", 1.0, 0.0, 0.0) else values

    def _check_prepaid_billing_rights(self):
        """What an hour of work bills is the prepaid billing managers' to say,
        not every project manager's (who manage work types)."""
        if not self.env["account.analytic.line"]._is_prepaid_billing_manager():
            raise AccessError(
                self.env._(
                    "Only prepaid billing managers may change how work type "
                    "%(type)s bills prepaid hours.",
                    type=", ".join(self.mapped("name")),
                )
            )

    def _get_prepaid_billing_terms(self, team):
        """How an hour of this work type bills on a ticket of ``team``."""
        self.ensure_one()
        team_terms = team._get_prepaid_billing_terms()
        return BillingTerms(
            multiplier=0.0
            if self.prepaid_billing == "no_charge"
            else self.prepaid_multiplier,
            increment=self.prepaid_rounding_unit or team_terms.increment,
            minimum=self.prepaid_rounding_minimum or team_terms.minimum,
            outside_pack=self.prepaid_billing == "outside_pack",
        )

    def _is_for_prepaid_billing_managers(self):
        """Time of this type bills less than the hours spent: the prepaid
        billing managers' decision, not an agent's."""
        self.ensure_one()
        return self.prepaid_billing == "no_charge" or self.prepaid_multiplier < 1
