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

    @api.depends(
        "contract_line_ids.sale_line_ids.state",
        "contract_line_ids.sale_line_ids.prepaid_period_start",
    )
    def _compute_prepaid_pack_ids(self):
        for contract in self:
            lines = contract.contract_line_ids
            packs = self.env["sale.order.line"].union(
                *(line._get_prepaid_period_lines() for line in lines)
            )
            # the confirmed ones that the user may read (a salesperson of
            # own documents reads the orders of own customers)
            contract.prepaid_pack_ids = (
                packs.filtered(lambda line: line.state == "sale")
                .with_env(self.env)
                ._filtered_access("read")
            )
