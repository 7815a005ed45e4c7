# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    # Credit notes take their hours off the packs from this version on: the
    # packs that have some count them, and their time beyond what is left
    # moves on, as after a credit note posted now.
    SaleOrderLine = env["sale.order.line"].with_context(active_test=False)
    packs = SaleOrderLine.search(
        SaleOrderLine._prepaid_pack_domain()
        + [
            ("invoice_lines.move_id.move_type", "=", "out_refund"),
            ("invoice_lines.parent_state", "=", "posted"),
        ]
    )
    if not packs:
        return
    env.add_to_compute(SaleOrderLine._fields["prepaid_hours_refunded"], packs)
    packs.flush_recordset(["prepaid_hours_refunded"])
    # what derives from them: the hours left, the quantity to invoice, ...
    packs.modified(["prepaid_hours_refunded"])
    env.flush_all()
    packs._settle_prepaid_refunds(dict.fromkeys(packs, 0.0))
