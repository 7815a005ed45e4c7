# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.helpdesk_prepaid_billing.models.allocation import BillingTerms

# a type any project manager may create: it bills the hours spent, as is
BILLED_AS_SPENT = ("billable", 1.0, 0.0, 0.0)


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
        # a type that became "outside the pack" may be a team's default, in
        # any company
        self.env["helpdesk.ticket.team"].sudo().search(
            [("prepaid_time_type_id", "in", self.ids)]
        )._check_prepaid_time_type_id()

    @api.model_create_multi
    def create(self, vals_list):
        time_types = super().create(vals_list)
        if any(
            t._read_prepaid_billing_setting() != BILLED_AS_SPENT for t in time_types
        ):
            time_types._check_prepaid_billing_rights()
        return time_types

    def write(self, vals):
        before = {t: t._read_prepaid_billing_setting() for t in self}
        res = super().write(vals)
        if any(t._read_prepaid_billing_setting() != before[t] for t in self):
            self._check_prepaid_billing_rights()
            self.env.registry.clear_cache()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_prepaid_billing(self):
        # deleted, a type that bills otherwise than the hours spent (or a
        # team's default) would leave its time billed as spent
        if any(
            t._read_prepaid_billing_setting() != BILLED_AS_SPENT for t in self
        ) or self.env["helpdesk.ticket.team"].sudo().search_count(
            [("prepaid_time_type_id", "in", self.ids)], limit=1
        ):
            self._check_prepaid_billing_rights()

    def _read_prepaid_billing_setting(self):
        """How this type bills, as set on it: (billing, multiplier,
        increment, minimum)."""
        self.ensure_one()
        return (
            self.prepaid_billing,
            self.prepaid_multiplier,
            self.prepaid_rounding_unit,
            self.prepaid_rounding_minimum,
        )

    @api.model
    @tools.ormcache("time_type_id")
    def _get_prepaid_billing_setting(self, time_type_id):
        """``_read_prepaid_billing_setting`` of a type, read for every entry
        logged and seldom changed: cached, the cache cleared when it changes."""
        return self.sudo().browse(time_type_id)._read_prepaid_billing_setting()

    def _check_prepaid_billing_rights(self):
        """What an hour of work bills is the prepaid billing managers' to say,
        not every project manager's (who manage work types)."""
        if not self.env["account.analytic.line"]._is_prepaid_billing_manager():
            raise AccessError(
                self.env._(
                    "Only prepaid billing managers may change or delete how "
                    "work type %(type)s bills prepaid hours.",
                    type=", ".join(self.mapped("name")),
                )
            )

    def _get_prepaid_billing_terms(self, team):
        """How an hour of this work type bills on a ticket of ``team``."""
        self.ensure_one()
        billing, multiplier, increment, minimum = self._get_prepaid_billing_setting(
            self.id
        )
        team_terms = team._get_prepaid_billing_terms() if team else BillingTerms()
        return BillingTerms(
            multiplier=0.0 if billing == "no_charge" else multiplier,
            increment=increment or team_terms.increment,
            minimum=minimum or team_terms.minimum,
            outside_pack=billing == "outside_pack",
        )

    def _is_for_prepaid_billing_managers(self):
        """Time of this type bills less than the hours spent: the prepaid
        billing managers' decision, not an agent's."""
        self.ensure_one()
        billing, multiplier, _increment, _minimum = self._get_prepaid_billing_setting(
            self.id
        )
        return billing == "no_charge" or multiplier < 1
