# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .allocation import BillingTerms


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
    prepaid_overage_policy = fields.Selection(
        [
            ("allow", "Allow: the last pack goes negative"),
            ("bill", "Bill the overage"),
            ("block", "Block"),
        ],
        string="Beyond Prepaid Hours",
        default="allow",
        required=True,
        help="What happens to time logged beyond all the customer's prepaid "
        "hours. Bill the overage: the hours go to the customer's overage order "
        "and are invoiced as delivered. Block: agents cannot log them; a "
        "helpdesk manager still can, and the ticket's chatter says so.",
    )
    prepaid_credit_hold = fields.Boolean(
        string="Credit Hold",
        help="Under Allow: once a customer's last pack is overdrawn by more "
        "than the limit, agents can no longer log time on the customer's "
        "tickets of this team until hours are bought or added, or a billing "
        "manager lifts the hold; a helpdesk manager still can.",
    )
    prepaid_credit_hold_limit = fields.Float(
        string="Hold Beyond",
        help="How far the last pack may be overdrawn before the hold: in hours, "
        "or in % of the pack's hours.",
    )
    prepaid_credit_hold_unit = fields.Selection(
        [("hours", "Hours"), ("percent", "% of the pack")],
        string="Hold Unit",
        default="hours",
        required=True,
    )
    overage_product_id = fields.Many2one(
        "product.product",
        domain=[("type", "=", "service"), ("service_type", "=", "timesheet")],
        help="Service invoiced on timesheets that carries the hours beyond the "
        "prepaid packs.",
    )
    overage_price_unit = fields.Float(
        string="Overage Hourly Price",
        digits="Product Price",
        help="Price of an overage hour, 0 or more; empty: the product's sales price.",
    )
    prepaid_alert_thresholds = fields.Char(
        string="Alert Thresholds (%)",
        default="80,100",
        help="Comma-separated percentages above 0 of a pack's hours, such as "
        "80,100: when a pack crosses one, its salesperson gets an activity (and "
        "the customer an email if set), once per threshold and pack.",
    )
    prepaid_alert_email = fields.Boolean(
        string="Email the Customer",
        help="Also email the customer when one of its packs crosses a threshold.",
    )

    prepaid_rounding_unit = fields.Float(
        string="Bill in Increments of",
        help="Bill the time of each entry rounded up to this many hours (0:15 for "
        "quarters of an hour), 0 or more; the hours actually spent stay on the "
        "timesheet. Empty: no rounding. Applies to time logged afterwards.",
    )
    prepaid_rounding_minimum = fields.Float(
        string="Minimum per Entry",
        help="Hours billed at least for each entry, however short; 0 or more. "
        "Applies to time logged afterwards.",
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

    @api.constrains("prepaid_overage_policy", "overage_product_id")
    def _check_overage_product_id(self):
        for team in self.filtered(lambda t: t.prepaid_overage_policy == "bill"):
            product = team.overage_product_id
            if not product or product.service_policy != "delivered_timesheet":
                raise ValidationError(
                    self.env._(
                        "Team %(team)s bills the overage: choose an overage product "
                        "that is a service invoiced on timesheets.",
                        team=team.name,
                    )
                )

    @api.constrains("prepaid_rounding_unit", "prepaid_rounding_minimum")
    def _check_prepaid_rounding(self):
        if any(
            t.prepaid_rounding_unit < 0 or t.prepaid_rounding_minimum < 0 for t in self
        ):
            raise ValidationError(
                self.env._("Rounding increments and minimums cannot be negative.")
            )

    @api.constrains("prepaid_credit_hold_limit")
    def _check_prepaid_credit_hold_limit(self):
        if any(team.prepaid_credit_hold_limit < 0 for team in self):
            raise ValidationError(
                self.env._("The overdraft before a credit hold cannot be negative.")
            )

    def _get_prepaid_credit_hold_limit(self, pack):
        """Hours that ``pack``, a customer's last one, may be overdrawn by on
        this team's tickets before the customer is on hold; None: the team
        puts no one on hold."""
        self.ensure_one()
        if not (self.prepaid_credit_hold and self.prepaid_overage_policy == "allow"):
            return None
        if self.prepaid_credit_hold_unit == "percent":
            credited = max(pack._get_prepaid_hours_credited(), 0.0)
            return credited * self.prepaid_credit_hold_limit / 100.0
        return self.prepaid_credit_hold_limit

    @api.constrains("overage_price_unit")
    def _check_overage_price_unit(self):
        if any(team.overage_price_unit < 0 for team in self):
            raise ValidationError(
                self.env._("The overage hourly price cannot be negative.")
            )

    @api.constrains("prepaid_alert_thresholds")
    def _check_prepaid_alert_thresholds(self):
        for team in self:
            team._get_prepaid_alert_thresholds()

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

    def _get_prepaid_alert_thresholds(self):
        """The alert thresholds, as sorted percentages."""
        self.ensure_one()
        try:
            thresholds = sorted(
                {
                    float(part)
                    for part in (self.prepaid_alert_thresholds or "").split(",")
                    if part.strip()
                }
            )
        except ValueError:
            thresholds = [-1.0]
        # nan and inf are floats too, and no percentages
        if any(not (math.isfinite(t) and t > 0) for t in thresholds):
            raise ValidationError(
                self.env._(
                    "Alert thresholds of team %(team)s: write positive percentages "
                    "separated by commas, such as 80,100 (not “%(value)s”).",
                    team=self.name,
                    value=self.prepaid_alert_thresholds,
                )
            )
        return thresholds

    def _get_prepaid_billing_terms(self):
        """How the time of the team's tickets is billed: rounded up to the
        team's increment, and at least its minimum."""
        self.ensure_one()
        return BillingTerms(
            increment=self.prepaid_rounding_unit,
            minimum=self.prepaid_rounding_minimum,
        )

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
