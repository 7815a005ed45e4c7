# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    prepaid_validity_months = fields.Integer(
        string="Validity (months)",
        help="For prepaid hours: how many months after the order a pack can be "
        "used, a whole number of months from 0. Empty or 0: the hours never "
        "expire.",
    )
    prepaid_paid_only = fields.Boolean(
        string="Usable Once Paid",
        help="For prepaid hours: a pack takes time only once its invoice is "
        "paid (or in payment); until then the customer's tickets go on with "
        "their other packs, or the team's policy beyond prepaid hours.",
    )
    prepaid_pack_sizes = fields.Char(
        string="Pack Sizes (hours)",
        help="For prepaid hours: the sizes that customers can buy on their "
        "portal, in hours, separated by commas (e.g. 5, 10, 20). Empty: not "
        "sold on the portal.",
    )
    prepaid_auto_renew = fields.Boolean(
        string="Auto-Renewal",
        help="For prepaid hours: when a pack's hours left fall to the "
        "threshold, a renewal order (same hours, today's price) is created "
        "and confirmed, once, and the customer is told by email.",
    )
    prepaid_auto_renew_threshold = fields.Float(
        string="Renew At (hours left)",
        help="Hours left on a pack, 0 or more, at which it is renewed.",
    )
    prepaid_rollover = fields.Boolean(
        string="Roll Over Unused Hours",
        help="For prepaid hours: when a pack is renewed before it expires, its "
        "unused hours move to the renewal, free of charge, up to the cap.",
    )
    prepaid_rollover_max_hours = fields.Float(
        string="Rollover Cap (hours)",
        help="Most hours, 0 or more, that a renewal takes over from the pack "
        "it renews; 0: all of them.",
    )

    def _get_prepaid_pack_sizes(self):
        """The pack sizes sold on the portal, in hours, smallest first; a
        ValueError when the field holds anything but positive numbers."""
        self.ensure_one()
        sizes = {
            float(size)
            for size in (self.prepaid_pack_sizes or "").split(",")
            if size.strip()
        }
        if any(not (math.isfinite(size) and size > 0) for size in sizes):
            raise ValueError(self.prepaid_pack_sizes)
        return sorted(sizes)

    @api.model
    def _get_prepaid_product_domain(self):
        """What a prepaid product is: a service invoiced on the ordered
        quantity whose time is tracked by timesheets (see the packs,
        ``sale.order.line._get_prepaid_pack_rule_domain``, whose stored
        result depends on these fields)."""
        return [
            ("type", "=", "service"),
            ("invoice_policy", "=", "order"),
            ("service_type", "=", "timesheet"),
        ]

    @api.constrains("prepaid_validity_months")
    def _check_prepaid_validity_months(self):
        if any(product.prepaid_validity_months < 0 for product in self):
            raise ValidationError(
                self.env._("The validity of prepaid hours cannot be negative.")
            )

    @api.constrains(
        "prepaid_pack_sizes",
        "prepaid_auto_renew_threshold",
        "prepaid_rollover_max_hours",
    )
    def _check_prepaid_renewal_settings(self):
        for product in self:
            try:
                product._get_prepaid_pack_sizes()
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "The pack sizes of %(product)s must be positive numbers "
                        "of hours separated by commas, e.g. 5, 10, 20.",
                        product=product.display_name,
                    )
                ) from error
            if (
                product.prepaid_auto_renew_threshold < 0
                or product.prepaid_rollover_max_hours < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The renewal threshold and the rollover cap of %(product)s "
                        "cannot be negative.",
                        product=product.display_name,
                    )
                )
