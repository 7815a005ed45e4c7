# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models

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

    def _compute_prepaid_hours(self):
        """The balance of the packs of the partner's commercial entity."""
        packs = self._get_prepaid_pack_lines()
        packs_by_partner = defaultdict(lambda: self.env["sale.order.line"])
        for line in packs:
            packs_by_partner[line.order_partner_id.commercial_partner_id] |= line
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
        SaleOrderLine = self.env["sale.order.line"].with_context(active_test=False)
        return SaleOrderLine.search(self._get_prepaid_pack_domain())

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
