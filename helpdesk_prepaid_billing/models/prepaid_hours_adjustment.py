# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang

from .allocation import HOURS_PRECISION
from .customer_lock import lock_pack_customers


class PrepaidHoursAdjustment(models.Model):
    """Hours a billing manager adds to a pack or removes from it, with a
    reason: a goodwill gesture, a correction. An entry of the pack's account,
    never changed once made (another adjustment corrects it)."""

    _name = "prepaid.hours.adjustment"
    _description = "Prepaid Hours Adjustment"
    _order = "date desc, id desc"
    _rec_name = "reason"
    _check_company_auto = True

    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Pack",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain=lambda self: self.env["sale.order.line"]._prepaid_pack_domain(),
    )
    order_id = fields.Many2one(related="sale_line_id.order_id", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="sale_line_id.prepaid_partner_id",
        store=True,
    )
    company_id = fields.Many2one(related="sale_line_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    hours = fields.Float(
        required=True,
        help="Hours added to the pack; negative hours are removed from it.",
    )
    reason = fields.Char(
        required=True,
        help="Why: goodwill, correction, … The customer reads it on the portal "
        "and the statement.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Adjusted By",
        default=lambda self: self.env.user,
        readonly=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        # who adjusts is who is logged in, whatever the values say
        vals_list = [dict(vals, user_id=self.env.uid) for vals in vals_list]
        packs = self.env["sale.order.line"].browse(
            vals["sale_line_id"] for vals in vals_list if vals.get("sale_line_id")
        )
        # no one without the right to adjust waits for a customer
        self.check_access("create")
        # the hours left are read after the packs' customers and the packs
        # are locked: an agent logging time at the same moment cannot use
        # what is being removed, and waits for the adjustment (or it for him)
        lock_pack_customers(self.env, packs.ids)
        packs.sudo()._lock_prepaid_packs()
        packs.invalidate_recordset(["remaining_hours"])
        adjustments = super().create(vals_list)
        adjustments._check_prepaid_adjustment()
        # the packs' time moves as the allocation's, whoever adjusts them
        as_sudo = adjustments.sudo()
        as_sudo.sale_line_id._settle_prepaid_hours(
            grown=as_sudo.filtered(lambda adj: adj.hours > 0).sale_line_id
        )
        adjustments._post_prepaid_adjustment_message()
        return adjustments

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._(
                    "An adjustment of prepaid hours cannot be changed: add "
                    "another one that corrects it."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "An adjustment of prepaid hours cannot be deleted: add another "
                "one that corrects it."
            )
        )

    def _check_prepaid_adjustment(self):
        """Adjustments add or remove hours on packs, and never remove hours a
        pack does not have left (its expired hours included): the time
        already logged on it stays paid for."""
        for adjustment in self:
            pack = adjustment.sale_line_id.sudo()
            if abs(adjustment.hours) <= HOURS_PRECISION:
                raise ValidationError(
                    self.env._(
                        "An adjustment adds or removes hours: zero hours adjust "
                        "nothing."
                    )
                )
            if not pack.is_prepaid_pack:
                raise ValidationError(
                    self.env._(
                        "Hours can only be adjusted on a confirmed pack of "
                        "prepaid hours, and %(line)s is none.",
                        line=pack.display_name,
                    )
                )
            if pack.remaining_hours < -HOURS_PRECISION and adjustment.hours < 0:
                raise ValidationError(
                    self.env._(
                        "Pack %(pack)s has %(left)s h left: %(hours)s h cannot be "
                        "removed from it.",
                        pack=pack.order_id.name,
                        left=formatLang(
                            self.env,
                            max(pack.remaining_hours - adjustment.hours, 0.0),
                            digits=2,
                        ),
                        hours=formatLang(self.env, -adjustment.hours, digits=2),
                    )
                )

    def _post_prepaid_adjustment_message(self):
        """Track each adjustment on its order's chatter."""
        for adjustment in self.sudo():
            adjustment.order_id.message_post(
                body=self.env._(
                    "%(hours)s h on pack %(pack)s, dated %(date)s, by %(user)s: "
                    "%(reason)s",
                    hours=("+" if adjustment.hours > 0 else "")
                    + formatLang(self.env, adjustment.hours, digits=2),
                    pack=adjustment.sale_line_id.display_name,
                    date=format_date(self.env, adjustment.date),
                    user=adjustment.user_id.name,
                    reason=adjustment.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
