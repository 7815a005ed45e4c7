# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ContractLine(models.Model):
    _inherit = "contract.line"

    sale_line_ids = fields.One2many(
        "sale.order.line", "contract_line_id", string="Sales Order Lines"
    )

    @api.constrains("product_id", "uom_id", "recurring_invoicing_type")
    def _check_prepaid_pre_paid(self):
        """A period's pack is made at the start of its period: made at its
        end (post-paid), it would serve no time of its period."""
        post_paid = self.filtered(lambda l: l.recurring_invoicing_type == "post-paid")
        for line in post_paid:
            if line._is_prepaid_retainer():
                raise ValidationError(
                    self.env._(
                        "%(line)s sells prepaid hours: its periods are pre-paid, "
                        "so that each period's hours are there when it starts.",
                        line=line.name or line.product_id.display_name,
                    )
                )

    def _prepare_sale_line_vals(self, dates, order_id=False):
        vals = super()._prepare_sale_line_vals(dates, order_id=order_id)
        first, last = dates[0], dates[1]
        if first and last and self._is_prepaid_retainer():
            # the period's pack, valid on its period; it renews the previous
            # period's pack, whose unused hours roll over by the product's rule
            vals.update(
                prepaid_period_start=first,
                prepaid_end_date=last,
                prepaid_renewed_line_id=self._get_prepaid_period_lines()[:1].id,
            )
        return vals

    def _is_prepaid_retainer(self):
        """Whether this line sells prepaid hours: each period, a pack."""
        self.ensure_one()
        product_domain = self.env["product.template"]._get_prepaid_product_domain()
        return bool(
            self.product_id.filtered_domain(product_domain)
            and self.uom_id.category_id
            == self.env.ref("uom.product_uom_hour").category_id
        )

    def _get_prepaid_period_lines(self):
        """The sales order lines of this line's periods, the latest first,
        but those cancelled (the free lines of the hours rolled over are no
        line of the contract); as superuser: the contract's reader may not
        read every order."""
        self.ensure_one()
        return (
            self.sudo()
            .sale_line_ids.filtered(
                lambda line: line.state != "cancel" and line.prepaid_period_start
            )
            .sorted(lambda line: (line.prepaid_period_start, line.id), reverse=True)
        )
