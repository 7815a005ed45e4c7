# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class PrepaidHelpdeskTicketController(HelpdeskTicketController):
    @http.route(methods=["POST"])
    def support_ticket_close(self, **kw):
        # OCA's route closes any ticket as superuser on a plain GET: only a
        # user who may write the ticket closes it, and only by a form post. A
        # portal user writes the tickets that its record rule lets it read.
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(kw.get("ticket_id")))
            ticket.check_access("read" if request.env.user.share else "write")
        except (AccessError, MissingError, TypeError, ValueError):
            raise request.not_found() from None
        return super().support_ticket_close(**kw)


class PrepaidRenewalController(http.Controller):
    @http.route(
        "/helpdesk_prepaid_billing/renew/<int:line_id>", type="http", auth="user"
    )
    def prepaid_renew(self, line_id):
        """The link of the alert activity: the pack's renewal quotation,
        prepared on the first click (with the user's own rights), then opened
        in the back office."""
        line = request.env["sale.order.line"].browse(line_id)
        try:
            action = line.action_prepaid_renew()
        except (AccessError, MissingError):
            raise request.not_found() from None
        return request.redirect(f"/odoo/sale.order/{action['res_id']}")
