# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    # Alert thresholds that 18.0.1.0 accepted and that are no percentages
    # (nan, inf) would now stop every entry of the team: the default again.
    # archived teams too: their tickets' time is still checked against them
    teams = env["helpdesk.ticket.team"].with_context(active_test=False)
    for team in teams.search([]):
        try:
            team._get_prepaid_alert_thresholds()
        except ValidationError:
            team.prepaid_alert_thresholds = "80,100"
    # A pack's hours left are now counted in hours from its timesheets, not
    # from its Delivered rounded in the pack's unit (packs sold in days).
    SaleOrderLine = env["sale.order.line"].with_context(active_test=False)
    packs = SaleOrderLine.search(SaleOrderLine._prepaid_pack_domain())
    env.add_to_compute(SaleOrderLine._fields["remaining_hours"], packs)
    packs.flush_recordset(["remaining_hours"])
