# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _authenticate(cls, endpoint):
        # A request tried again because its time met another agent's entries
        # waits for those customers before it reads anything, so that this
        # try sees them (see account.analytic.line._wait_prepaid_customers).
        keys = getattr(request, "prepaid_customer_keys", None)
        if keys:
            request.env["account.analytic.line"]._lock_prepaid_customers(keys)
        return super()._authenticate(endpoint)
