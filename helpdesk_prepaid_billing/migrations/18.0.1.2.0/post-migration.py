# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    # The hours rolled over are now stored (filled by Odoo with their new
    # column) and the hours left read them: every balance counted again.
    SaleOrderLine = env["sale.order.line"].with_context(active_test=False)
    packs = SaleOrderLine.search(SaleOrderLine._prepaid_pack_domain())
    env.add_to_compute(SaleOrderLine._fields["remaining_hours"], packs)
    packs.flush_recordset(["remaining_hours"])
