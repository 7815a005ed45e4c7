# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError

SALES = "sales_team.group_sale_salesman"


class ResPartner(models.Model):
    _inherit = "res.partner"

    prepaid_pack_count = fields.Integer(compute="_compute_prepaid_hours", groups=SALES)
    prepaid_hours_sold = fields.Float(compute="_compute_prepaid_hours", groups=SALES)
    prepaid_hours_used = fields.Float(compute="_compute_prepaid_hours", groups=SALES)
    prepaid_hours_remaining = fields.Float(
        string="Prepaid Hours Left", compute="_compute_prepaid_hours", groups=SALES
    )
    prepaid_hours_expired = fields.Float(compute="_compute_prepaid_hours", groups=SALES)
    prepaid_hold_lifted_until = fields.Date(
        string="Credit Hold Lifted Until",
        tracking=True,
        copy=False,
        help="Agents may log time for this customer up to this day, even if its "
        "last pack is overdrawn beyond what the team allows. Set by billing "
        "managers.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("prepaid_hold_lifted_until") for vals in vals_list):
            self._check_prepaid_hold_rights()
        return super().create(vals_list)

    def write(self, vals):
        if "prepaid_hold_lifted_until" in vals:
            self._check_prepaid_hold_rights()
            if set(vals) == {"prepaid_hold_lifted_until"}:
                # a billing decision, not an edit of the contact: billing
                # managers lift it whether or not they may edit contacts
                return super(ResPartner, self.sudo()).write(vals)
        return super().write(vals)

    def _check_prepaid_hold_rights(self):
        """Lifting a credit hold is a billing decision."""
        Timesheet = self.env["account.analytic.line"]
        if not Timesheet._is_prepaid_billing_manager():
            raise AccessError(
                self.env._(
                    "Only a prepaid billing manager can lift the credit hold of "
                    "%(customers)s.",
                    customers=", ".join(self.mapped("display_name")),
                )
            )

    def _commercial_fields(self):
        # the hold is the customer's, whichever contact opens the ticket
        return super()._commercial_fields() + ["prepaid_hold_lifted_until"]

    def _get_prepaid_credit_hold(self):
        """``(last pack, team)`` when this customer is on credit hold for a
        team's tickets (see sale.order.line._is_prepaid_credit_held), else
        None: what the portal tells the customer."""
        self.ensure_one()
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search(
                [
                    ("prepaid_credit_hold", "=", True),
                    ("prepaid_overage_policy", "=", "allow"),
                ]
            )
        )
        if not teams:
            return None
        packs = self.env["sale.order.line"]._get_prepaid_packs(
            self.commercial_partner_id, teams.company_id | self.env.companies
        )
        today = fields.Date.context_today(self)
        for (_partner, company), customer_packs in packs.items():
            # the pack that time logged today would overdraw, as the
            # allocation finds it (account.analytic.line._allocate_prepaid_overage)
            last = customer_packs.filtered(
                lambda pack: pack._can_take_prepaid_time(today)
            )[-1:]
            for team in teams.filtered(
                lambda t, c=company: not t.company_id or t.company_id == c
            ):
                if last._is_prepaid_credit_held(team):
                    return last, team
        return None

    def _is_prepaid_hold_lifted(self, on_date=None):
        """Whether a billing manager lifted this customer's credit hold up to
        ``on_date`` (today by default)."""
        self.ensure_one()
        lifted = self.commercial_partner_id.prepaid_hold_lifted_until
        return bool(lifted) and lifted >= (on_date or fields.Date.context_today(self))

    def _compute_prepaid_hours(self):
        """The balance of the packs of the partner's commercial entity."""
        packs = self._get_prepaid_pack_lines()
        packs_by_partner = defaultdict(lambda: self.env["sale.order.line"])
        for line in packs:
            packs_by_partner[line.prepaid_partner_id] |= line
        for partner in self:
            lines = packs_by_partner[partner.commercial_partner_id]
            partner.prepaid_pack_count = len(lines)
            partner.prepaid_hours_sold = sum(lines.mapped("prepaid_hours_sold"))
            partner.prepaid_hours_used = sum(lines.mapped("prepaid_hours_used"))
            partner.prepaid_hours_remaining = sum(
                lines.mapped("prepaid_hours_remaining")
            )
            partner.prepaid_hours_expired = sum(lines.mapped("prepaid_hours_expired"))

    def _get_prepaid_pack_lines(self):
        """The packs of the partner's commercial entity, newest first (the
        current retainer period first), as the portal lists them."""
        SaleOrderLine = self.env["sale.order.line"].with_context(active_test=False)
        return SaleOrderLine.search(self._get_prepaid_pack_domain(), order="id desc")

    def _get_prepaid_pack_domain(self):
        return self.env["sale.order.line"]._prepaid_pack_domain(
            self, self.env.companies
        )

    def action_view_prepaid_packs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Prepaid Hours of %(customer)s", customer=self.name),
            "res_model": "sale.order.line",
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "helpdesk_prepaid_billing.sale_order_line_view_list_prepaid"
                    ).id,
                    "list",
                )
            ],
            "domain": self._get_prepaid_pack_domain(),
            "context": {"create": False, "active_test": False},
        }
