# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    # The hours left of a pack sold in hours now follow its Delivered (exact
    # to the hundredth of an hour), and the hours rolled over are stored
    # (filled by Odoo with their new column): every balance counted again.
    SaleOrderLine = env["sale.order.line"].with_context(active_test=False)
    packs = SaleOrderLine.search(SaleOrderLine._prepaid_pack_domain())
    env.add_to_compute(SaleOrderLine._fields["remaining_hours"], packs)
    packs.flush_recordset(["remaining_hours"])
