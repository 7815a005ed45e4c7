# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.http import request

from .customer_lock import wait_for_customers


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _authenticate(cls, endpoint):
        # A request tried again because its time met another agent's entries
        # waits for those customers before it reads anything, so that this
        # try sees them (see customer_lock).
        keys = getattr(request, "prepaid_customer_keys", None)
        if keys:
            wait_for_customers(request.env, keys)
        return super()._authenticate(endpoint)
