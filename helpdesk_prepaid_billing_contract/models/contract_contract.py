# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ContractContract(models.Model):
    _inherit = "contract.contract"

    prepaid_pack_ids = fields.Many2many(
        "sale.order.line",
        string="Prepaid Periods",
        compute="_compute_prepaid_pack_ids",
        help="The pack of each period of the contract's prepaid hours, the "
        "latest first.",
    )
    prepaid_overage_order_ids = fields.Many2many(
        "sale.order",
        string="Overage Orders",
        compute="_compute_prepaid_pack_ids",
        help="The orders that bill the hours beyond each period's pack, one "
        "per period.",
    )

    @api.depends(
        "contract_line_ids.sale_line_ids.state",
        "contract_line_ids.sale_line_ids.prepaid_period_start",
    )
    def _compute_prepaid_pack_ids(self):
        packs_by_contract = {
            contract: self.env["sale.order.line"].union(
                *(
                    line._get_prepaid_period_lines()
                    for line in contract.contract_line_ids
                )
            )
            for contract in self
        }
        # the overage orders of all these contracts' periods, read at once
        all_packs = self.env["sale.order.line"].union(*packs_by_contract.values())
        overage_orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("is_prepaid_overage", "=", True),
                    ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                    (
                        "prepaid_overage_period_start",
                        "in",
                        all_packs.mapped("prepaid_period_start"),
                    ),
                ],
                order="prepaid_overage_period_start desc",
            )
        )
        for contract, packs in packs_by_contract.items():
            customer = contract.partner_id.commercial_partner_id
            starts = set(packs.mapped("prepaid_period_start"))
            # the confirmed ones that the user may read (a salesperson of
            # own documents reads the orders of own customers)
            contract.prepaid_pack_ids = (
                packs.filtered(lambda line: line.state == "sale")
                .with_env(self.env)
                ._filtered_access("read")
            )
            contract.prepaid_overage_order_ids = (
                overage_orders.filtered(
                    lambda order, customer=customer, starts=starts: (
                        order.partner_id == customer
                        and order.prepaid_overage_period_start in starts
                    )
                )
                .with_env(self.env)
                ._filtered_access("read")
            )
