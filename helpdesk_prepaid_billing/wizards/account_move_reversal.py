# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def reverse_moves(self, is_modify=False):
        # settled once the wizard is done: "Reverse and Create Invoice" posts
        # the credit note, then issues the invoice again, which takes no hours
        with self.move_ids._settling_prepaid_packs():
            return super().reverse_moves(is_modify=is_modify)
