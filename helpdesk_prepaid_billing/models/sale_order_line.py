# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, float_round, format_date, formatLang, get_lang

from .allocation import HOURS_PRECISION, refunded_hours
from .ledger import (
    CREDIT,
    EXPIRY,
    PURCHASE,
    ROLLOVER,
    USAGE,
    LedgerMove,
    running_balance,
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    prepaid_end_date = fields.Date(
        string="Valid Until",
        compute="_compute_prepaid_end_date",
        store=True,
        readonly=False,
        copy=False,
        help="Last day the prepaid hours can be used, on or after the order "
        "date; time dated later does not consume them. Computed from the "
        "product's validity.",
    )
    prepaid_alert_level = fields.Float(
        copy=False,
        help="Highest alert threshold (% of the hours) already notified.",
    )
    # the customer whose balance a pack counts in, stored: the packs are
    # searched and the analysis grouped by it without reading the partners
    prepaid_partner_id = fields.Many2one(
        related="order_partner_id.commercial_partner_id",
        string="Commercial Entity",
        store=True,
        index=True,
        precompute=True,
    )
    # stored: every search of packs (the tickets', the balance's, the
    # portal's, the analysis') reads one column, not the product and the unit
    is_prepaid_pack = fields.Boolean(
        compute="_compute_is_prepaid_pack",
        store=True,
        compute_sudo=True,
        help="A confirmed line of a prepaid service sold in hours: a pack.",
    )
    prepaid_hours_sold = fields.Float(
        string="Hours Sold", compute="_compute_prepaid_hours", compute_sudo=True
    )
    prepaid_hours_used = fields.Float(
        string="Hours Used", compute="_compute_prepaid_hours", compute_sudo=True
    )
    prepaid_hours_remaining = fields.Float(
        string="Hours Left",
        compute="_compute_prepaid_hours",
        compute_sudo=True,
        help="Hours that can still be used; negative when over-consumed. "
        "The hours left on an expired pack count as expired.",
    )
    prepaid_hours_expired = fields.Float(
        string="Hours Expired", compute="_compute_prepaid_hours", compute_sudo=True
    )
    prepaid_adjustment_ids = fields.One2many(
        "prepaid.hours.adjustment", "sale_line_id", string="Adjustments"
    )
    prepaid_hours_adjusted = fields.Float(
        string="Hours Adjusted",
        compute="_compute_prepaid_hours_adjusted",
        store=True,
        compute_sudo=True,
        help="Hours that billing managers added to the pack (negative: removed).",
    )
    prepaid_hours_refunded = fields.Float(
        string="Hours Refunded",
        compute="_compute_prepaid_hours_refunded",
        store=True,
        compute_sudo=True,
        help="Hours of the pack's posted credit notes, less those invoiced "
        "again: they are no longer the customer's to use.",
    )

    prepaid_renewed_line_id = fields.Many2one(
        "sale.order.line",
        string="Renews",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The pack that this line renews.",
    )
    prepaid_renewal_line_ids = fields.One2many(
        "sale.order.line", "prepaid_renewed_line_id", string="Renewals"
    )
    prepaid_rollover_from_id = fields.Many2one(
        "sale.order.line",
        string="Rolled Over From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The pack whose unused hours this free line carries.",
    )
    prepaid_rollover_line_ids = fields.One2many(
        "sale.order.line", "prepaid_rollover_from_id", string="Rollovers"
    )
    prepaid_hours_rolled_over = fields.Float(
        string="Hours Rolled Over",
        compute="_compute_prepaid_hours_rolled_over",
        store=True,
        compute_sudo=True,
        help="Unused hours moved to the confirmed renewal of the pack.",
    )

    @api.depends("product_id.prepaid_validity_months", "order_id.date_order", "state")
    def _compute_prepaid_end_date(self):
        for line in self:
            months = line.product_id.prepaid_validity_months
            if months and line.state == "sale":
                start = fields.Date.to_date(line.order_id.date_order)
                line.prepaid_end_date = start + relativedelta(months=months)

    @api.depends(
        "remaining_hours_available",
        "remaining_hours",
        "product_uom_qty",
        "product_uom",
        "prepaid_end_date",
        "prepaid_hours_rolled_over",
        "prepaid_hours_adjusted",
        "prepaid_hours_refunded",
    )
    def _compute_prepaid_hours(self):
        today = fields.Date.context_today(self)
        for line in self:
            if not line.remaining_hours_available:
                line.prepaid_hours_sold = line.prepaid_hours_used = 0.0
                line.prepaid_hours_remaining = line.prepaid_hours_expired = 0.0
                continue
            # hours left: neither used nor rolled over (see remaining_hours)
            left = line.remaining_hours
            expired = not line._is_prepaid_pack_valid(today)
            line.prepaid_hours_sold = line._get_prepaid_hours_sold()
            line.prepaid_hours_used = (
                line._get_prepaid_hours_credited()
                - left
                - line.prepaid_hours_rolled_over
            )
            line.prepaid_hours_expired = max(left, 0.0) if expired else 0.0
            line.prepaid_hours_remaining = left - line.prepaid_hours_expired

    @api.constrains("prepaid_end_date")
    def _check_prepaid_end_date(self):
        for line in self.filtered("prepaid_end_date"):
            if line.prepaid_end_date < line._get_prepaid_start_date():
                raise ValidationError(
                    self.env._(
                        "Pack %(pack)s cannot end on %(end)s, before its order date.",
                        pack=line.order_id.name,
                        end=format_date(self.env, line.prepaid_end_date),
                    )
                )

    def write(self, vals):
        # which alerts were sent is the server's record alone
        vals = {k: v for k, v in vals.items() if k != "prepaid_alert_level"}
        sold = {}
        if {"product_uom_qty", "product_uom"} & set(vals):
            self._check_prepaid_rolled_over()
            # the quantities only: reading more before the write would
            # compute sale's fields (the price) before the new quantity
            sold = {line: line.product_uom_qty for line in self}
        res = super().write(vals)
        if "prepaid_end_date" in vals:
            # time dated after a pack's new end goes to the customer's next pack
            self._move_prepaid_time(
                where=lambda aal: not aal.so_line._is_prepaid_pack_valid(aal.date)
            )
        if sold:
            self._resize_prepaid_packs(sold, new_unit="product_uom" in vals)
        return res

    def _get_prepaid_start_date(self):
        """The first day of the pack: its order's date (time logged before
        it may still use the pack, when it waited for one)."""
        self.ensure_one()
        return fields.Date.to_date(self.order_id.date_order)

    def _resize_prepaid_packs(self, sold, new_unit=False):
        """The hours of these confirmed prepaid lines changed (``sold``:
        {line: its quantity before}; ``new_unit``: now sold in another unit):
        a line left with no hours is no pack, its tickets and time move on; a
        pack shortened below the time it carries hands the latest entries on
        to the next packs (or the overage); a pack given more hours serves
        the customer's tickets waiting for some."""
        lines = self.filtered(
            lambda line: line.state == "sale" and line.remaining_hours_available
        )
        (lines - lines.filtered("is_prepaid_pack"))._release_prepaid_time()
        packs = lines.filtered("is_prepaid_pack")
        packs._settle_prepaid_hours(
            grown=packs.filtered(
                lambda pack: new_unit or pack.product_uom_qty > sold[pack]
            )
        )

    def _settle_prepaid_hours(self, grown):
        """The hours of these packs changed (resized, adjusted, refunded):
        a pack left below the time it carries hands the latest entries on to
        the next packs (or the overage); the ``grown`` ones serve the
        customer's tickets waiting for hours."""
        self.filtered(
            lambda pack: pack.remaining_hours < -HOURS_PRECISION
        )._move_prepaid_time(follow_ticket=False)
        grown.order_id._feed_prepaid_customers()

    def _release_prepaid_time(self):
        """These lines are no packs any more (cancelled, or of no hours):
        their tickets and time move on to the customer's next pack."""
        self.order_id._assign_prepaid_packs([("sale_line_id", "in", self.ids)])
        self._move_prepaid_time()

    @api.depends(
        "product_uom",
        "timesheet_ids.billed_hours",
        "timesheet_ids.product_uom_id",
        "prepaid_hours_rolled_over",
        "prepaid_hours_adjusted",
        "prepaid_hours_refunded",
    )
    def _compute_remaining_hours(self):
        res = super()._compute_remaining_hours()
        # Counted in hours from the timesheets, exact to the hours billed, as
        # the allocation counts them: Delivered is rounded in the pack's unit
        # (3 h of a pack in days: 0.38 d, or 3.04 h; 20 min: 0.33 h). A line
        # being edited in a form counts the timesheets of the saved one.
        uom_hour = self._get_uom_hour()
        lines = self.filtered(
            lambda line: line.remaining_hours_available and line._origin.id
        )
        used = defaultdict(float)
        for line, uom, billed in lines._origin._read_prepaid_billed_hours(
            lines._timesheet_compute_delivered_quantity_domain()
        ):
            # time in no unit of time is no hours
            if uom.category_id == uom_hour.category_id:
                used[line] += uom._compute_quantity(billed, uom_hour, round=False)
        for line in lines:
            line.remaining_hours = (
                line._get_prepaid_hours_credited() - used[line._origin]
            )
        # hours rolled over to a renewal are the renewal's to use now
        for line in self.filtered("prepaid_hours_rolled_over"):
            line.remaining_hours -= line.prepaid_hours_rolled_over
        return res

    def _get_prepaid_hours_sold(self):
        """The hours that this line sells, whatever its unit of time."""
        self.ensure_one()
        return self.product_uom._compute_quantity(
            self.product_uom_qty, self._get_uom_hour(), round=False
        )

    def _get_prepaid_hours_credited(self):
        """The hours that this pack gives the customer: those sold, those
        that billing managers added or removed, less those refunded. What is
        left of them is ``remaining_hours``."""
        self.ensure_one()
        return (
            self._get_prepaid_hours_sold()
            + self.prepaid_hours_adjusted
            - self.prepaid_hours_refunded
        )

    @api.depends("prepaid_adjustment_ids.hours")
    def _compute_prepaid_hours_adjusted(self):
        for line in self:
            line.prepaid_hours_adjusted = sum(
                line.prepaid_adjustment_ids.mapped("hours")
            )

    @api.depends(
        "invoice_lines.parent_state",
        "invoice_lines.quantity",
        "invoice_lines.product_uom_id",
        "invoice_lines.move_id.move_type",
        "product_uom_qty",
        "product_uom",
        "product_id.service_policy",
    )
    def _compute_prepaid_hours_refunded(self):
        for line in self:
            hours = {"out_invoice": 0.0, "out_refund": 0.0}
            for move, invoiced in line._get_prepaid_invoiced_hours():
                hours[move.move_type] += invoiced
            # (a line of no time has no hours refunded, nor hours sold)
            sold = line.remaining_hours_available and line._get_prepaid_hours_sold()
            line.prepaid_hours_refunded = refunded_hours(
                sold or 0.0, hours["out_invoice"], hours["out_refund"]
            )

    def _get_prepaid_invoiced_hours(self):
        """[(invoice or credit note, hours)] of this prepaid line, in date
        order: what counts for the hours refunded. A draft invoice is one
        issued again; a draft credit note takes nothing yet."""
        self.ensure_one()
        if not self.remaining_hours_available:
            return []
        uom_hour = self._get_uom_hour()
        invoice_lines = self.invoice_lines.sorted(lambda aml: (aml.date, aml.id))
        return [
            (
                invoice_line.move_id,
                invoice_line.product_uom_id._compute_quantity(
                    invoice_line.quantity, uom_hour, round=False
                ),
            )
            for invoice_line in invoice_lines
            # the hours of prepaid lines, as remaining_hours counts them
            if invoice_line.product_uom_id.category_id == uom_hour.category_id
            and (invoice_line.move_id.move_type, invoice_line.parent_state)
            in (
                ("out_invoice", "posted"),
                ("out_invoice", "draft"),
                ("out_refund", "posted"),
            )
        ]

    def _settle_prepaid_refunds(self, refunded):
        """``refunded``: {pack: its hours refunded before an invoice or a
        credit note changed}. The packs whose hours refunded changed settle
        (see ``_settle_prepaid_hours``): more refunded, the latest time beyond
        what is left moves on; less, the tickets waiting for hours take
        them."""
        changed = self.filtered(
            lambda pack: (
                abs(pack.prepaid_hours_refunded - refunded[pack]) > HOURS_PRECISION
            )
        )
        changed._settle_prepaid_hours(
            grown=changed.filtered(
                lambda pack: pack.prepaid_hours_refunded < refunded[pack]
            )
        )

    @api.depends("prepaid_hours_refunded")
    def _compute_qty_to_invoice(self):
        res = super()._compute_qty_to_invoice()
        # hours refunded are taken off the pack, not to be invoiced again
        uom_hour = self._get_uom_hour()
        for line in self.filtered(
            lambda line: line.prepaid_hours_refunded and line.state == "sale"
        ):
            refunded = uom_hour._compute_quantity(
                line.prepaid_hours_refunded, line.product_uom, round=False
            )
            line.qty_to_invoice = max(line.qty_to_invoice - refunded, 0.0)
        return res

    def action_prepaid_adjust(self):
        """Open a new adjustment of this pack's hours."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Adjust Prepaid Hours"),
            "res_model": "prepaid.hours.adjustment",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_sale_line_id": self.id},
        }

    def _read_prepaid_billed_hours(self, domain):
        """[(line, unit, hours billed)] of these lines' timesheets that match
        ``domain``: the one read of what timesheets deliver, for Delivered
        and the hours left."""
        if not self:
            return []
        return (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                expression.AND([[("so_line", "in", self.ids)], domain]),
                ["so_line", "product_uom_id"],
                ["billed_hours:sum"],
            )
        )

    def _check_prepaid_rolled_over(self):
        """Refuse to cancel or resize these lines while a confirmed renewal
        (not cancelled with them) carries their unused hours: the renewal's
        free hours would no longer be hours that the customer paid for."""
        rollovers = self._get_prepaid_confirmed_rollovers() - self
        if rollovers:
            packs = rollovers.prepaid_rollover_from_id.order_id
            raise UserError(
                self.env._(
                    "The unused hours of %(packs)s rolled over to %(renewals)s: "
                    "cancel %(renewals)s before cancelling or resizing %(packs)s "
                    "(or cancel both together).",
                    packs=", ".join(packs.mapped("name")),
                    renewals=", ".join(rollovers.order_id.mapped("name")),
                )
            )

    def _get_prepaid_confirmed_rollovers(self):
        """The lines of confirmed renewals that carry these packs' unused
        hours: what rolled over, as opposed to a quotation that would."""
        return self.sudo().prepaid_rollover_line_ids.filtered(
            lambda line: line.state == "sale"
        )

    @api.depends(
        "prepaid_rollover_line_ids.product_uom_qty",
        "prepaid_rollover_line_ids.product_uom",
        "prepaid_rollover_line_ids.state",
    )
    def _compute_prepaid_hours_rolled_over(self):
        for pack in self:
            pack.prepaid_hours_rolled_over = sum(
                line._get_prepaid_hours_sold()
                for line in pack._get_prepaid_confirmed_rollovers()
            )

    @api.depends("analytic_line_ids.billed_hours")
    def _compute_qty_delivered(self):
        return super()._compute_qty_delivered()

    def _get_delivered_quantity_by_analytic(self, additional_domain):
        # A timesheet delivers the hours it bills (account.analytic.line's
        # billed_hours: the hours spent, and what the team's rounding adds),
        # converted to the line's unit as sale converts the hours spent.
        by_timesheet = self.filtered(
            lambda line: line.qty_delivered_method == "timesheet"
        )
        result = super(
            SaleOrderLine, self - by_timesheet
        )._get_delivered_quantity_by_analytic(additional_domain)
        for line, uom, billed in by_timesheet._read_prepaid_billed_hours(
            additional_domain
        ):
            if not uom:
                continue
            if line.product_uom.category_id == uom.category_id:
                billed = uom._compute_quantity(
                    billed, line.product_uom, rounding_method="HALF-UP"
                )
            result[line.id] += billed
        return result

    @api.model
    def _get_prepaid_pack_rule_domain(self):
        """What a pack is: a confirmed line of a prepaid service ('ordered
        prepaid', time tracked by timesheets) sold in a time unit, for a
        positive quantity. Stored on each line as ``is_prepaid_pack``, which
        the tickets, the timesheets, the customer's balance, the portal, the
        statement and the analysis search (see ``_prepaid_pack_domain``; when
        a pack is valid: ``_is_prepaid_pack_valid``). A field that an
        override reads must be added to ``_compute_is_prepaid_pack``'s
        dependencies, or the stored value goes stale."""
        product_domain = self.env["product.template"]._get_prepaid_product_domain()
        return [
            ("state", "=", "sale"),
            # no hours, no pack: never picked, consumed, nor overdrawn
            ("product_uom_qty", ">", 0),
            *((f"product_id.{name}", op, value) for name, op, value in product_domain),
            (
                "product_uom.category_id",
                "=",
                self.env["ir.model.data"]._xmlid_to_res_id("uom.uom_categ_wtime"),
            ),
        ]

    @api.model
    def _prepaid_pack_domain(self, partners=None, companies=None):
        """The packs; of the commercial entities of ``partners``, in
        ``companies``, when they are given."""
        domain = [("is_prepaid_pack", "=", True)]
        if partners is not None:
            domain.append(
                ("prepaid_partner_id", "in", partners.commercial_partner_id.ids)
            )
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        return domain

    @api.model
    def _get_uom_hour(self):
        # by its cached id: env.ref checks that the record exists, a query
        # per call on the paths that log time
        IrModelData = self.env["ir.model.data"]
        return self.env["uom.uom"].browse(
            IrModelData._xmlid_to_res_id("uom.product_uom_hour")
        )

    @api.model
    def _get_prepaid_packs(self, partners, companies, lock=False):
        """The packs of ``partners`` in ``companies``, oldest first, by
        (commercial partner, company); read as superuser, since agents read
        no orders (and packs of archived products still count). ``lock``:
        found and locked in one query, before their hours left are read (see
        ``_lock_prepaid_packs``)."""
        packs = defaultdict(lambda: self.env["sale.order.line"])
        if not partners or not companies:
            return packs
        SaleOrderLine = self.sudo().with_context(active_test=False)
        domain = self._prepaid_pack_domain(partners, companies)
        if lock:
            query = SQL(
                "%s FOR NO KEY UPDATE OF sale_order_line",
                SaleOrderLine._search(domain, order="id").select(),
            )
            # what the search reads is written first, as execute_query does
            self.env.flush_query(query)
            self.env.cr.execute(query, log_exceptions=False)
            lines = SaleOrderLine.browse(row[0] for row in self.env.cr.fetchall())
        else:
            lines = SaleOrderLine.search(domain)
        for line in lines.sorted(lambda sol: (sol.order_id.date_order, sol.id)):
            key = (line.prepaid_partner_id, line.company_id)
            packs[key] |= line
        return packs

    @api.depends(
        "state",
        "product_uom_qty",
        "product_id.type",
        "product_id.invoice_policy",
        "product_id.service_type",
        "product_uom.category_id",
    )
    def _compute_is_prepaid_pack(self):
        # the lines read together are checked together: one domain filter for
        # a batch of timesheets, not one per entry
        packs = self.with_context(active_test=False).filtered_domain(
            self._get_prepaid_pack_rule_domain()
        )
        for line in self:
            line.is_prepaid_pack = line in packs

    def _is_billed_on_timesheets(self):
        """Whether this is a confirmed service invoiced on its timesheets
        (time and materials), which a ticket's time may be billed to."""
        self.ensure_one()
        return (
            self.state == "sale"
            and self.product_id.service_policy == "delivered_timesheet"
        )

    def _is_prepaid_pack_valid(self, on_date):
        """Whether the pack is valid on ``on_date``: the expiry rule (the
        analysis has it in SQL, see prepaid.hours.report)."""
        self.ensure_one()
        return not (self.prepaid_end_date and self.prepaid_end_date < on_date)

    def _can_take_prepaid_time(self, on_date):
        """Whether the pack can take time dated ``on_date``: valid then, and
        paid when its product wants it so (an unpaid pack's hours are not
        expired: they wait)."""
        self.ensure_one()
        return self._is_prepaid_pack_valid(on_date) and self._is_prepaid_pack_paid()

    def _is_prepaid_pack_paid(self):
        """Whether the pack is paid as far as its use goes: always, unless
        its product is usable once paid; then once one of its invoices is
        paid or in payment (see account.move._invoice_paid_hook)."""
        self.ensure_one()
        if not self.product_id.prepaid_paid_only:
            return True
        return any(
            move.move_type == "out_invoice"
            and move.state == "posted"
            and move.payment_state in ("paid", "in_payment")
            for move in self.sudo().invoice_lines.move_id
        )

    def _is_prepaid_credit_held(self, team, left=None):
        """Whether the customer of this pack, its last one, is on credit hold
        for ``team``'s tickets: overdrawn by more than the team allows
        (``left``: its hours left being allocated, else its own), and the
        hold not lifted."""
        self.ensure_one()
        limit = team._get_prepaid_credit_hold_limit(self)
        left = self.remaining_hours if left is None else left
        return (
            limit is not None
            and -left > limit + HOURS_PRECISION
            and not self.order_partner_id._is_prepaid_hold_lifted()
        )

    def _filter_prepaid_usable(self, on_date, left=None):
        """These packs that can still take time dated ``on_date``, in their
        order (the first is the oldest usable one): valid then, with hours
        left (``left``: {pack: hours} being allocated, else their own)."""
        return self.filtered(
            lambda pack: (
                (left[pack] if left is not None else pack.remaining_hours)
                > HOURS_PRECISION
                and pack._can_take_prepaid_time(on_date)
            )
        )

    def _get_prepaid_overage_order_vals(self):
        """The values of the overage order that bills the time beyond these
        packs (those of a customer valid on the time's date): the time of
        different values goes on different orders. None here: one open
        overage order per customer (helpdesk_prepaid_billing_contract makes
        one per retainer period)."""
        return {}

    def _move_prepaid_time(self, follow_ticket=True, where=None):
        """Allocate again the ticket time on these lines (of it, what
        ``where(timesheet)`` says), as when a pack is cancelled, shortened or
        overdrawn: see ``account.analytic.line._reallocate_prepaid_time``."""
        timesheets = (
            self.env["account.analytic.line"]
            .sudo()
            .search([("so_line", "in", self.ids), ("ticket_id", "!=", False)])
        )
        if where:
            timesheets = timesheets.filtered(where)
        timesheets._reallocate_prepaid_time(follow_ticket=follow_ticket)

    def _lock_prepaid_packs(self):
        """Lock the packs before their hours left are read, so that two
        agents logging the last hours at once cannot both use them: the
        second one waits, then fails to serialize and is retried (as Odoo
        does for every request) with the first one's hours counted. That
        expected conflict is Odoo's retry to log, not an error of ours."""
        if self:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM sale_order_line WHERE id IN %s "
                    "ORDER BY id FOR NO KEY UPDATE",
                    tuple(self.ids),
                ),
                log_exceptions=False,
            )

    # renewal

    def action_prepaid_renew(self):
        """Open the renewal quotation of this pack, created if none is open."""
        self.ensure_one()
        if not self.is_prepaid_pack:
            raise UserError(
                self.env._(
                    "Only a confirmed pack of prepaid hours can be renewed, and "
                    "%(line)s is none.",
                    line=self.display_name,
                )
            )
        order = self._get_prepaid_renewal()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "views": [(False, "form")],
        }

    def _get_prepaid_renewal(self):
        """The open renewal quotation of this pack, created (for the same
        customer, product and hours, at today's price) if there is none."""
        self.ensure_one()
        quotation = self.prepaid_renewal_line_ids.order_id.filtered(
            lambda order: order.state in ("draft", "sent")
        )[:1]
        return quotation or self.env["sale.order"].create(
            self._prepare_prepaid_renewal_vals()
        )

    def _prepare_prepaid_renewal_vals(self):
        order = self.order_id
        return {
            "partner_id": order.partner_id.id,
            "partner_invoice_id": order.partner_invoice_id.id,
            "partner_shipping_id": order.partner_shipping_id.id,
            "company_id": order.company_id.id,
            "user_id": order.user_id.id,
            "team_id": order.team_id.id,
            "origin": order.name,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_qty": self.product_uom_qty,
                        "product_uom": self.product_uom.id,
                        "prepaid_renewed_line_id": self.id,
                    }
                )
            ],
        }

    def _get_prepaid_auto_renew_at(self):
        """Hours left at which this pack renews itself, None if it does not."""
        product = self.product_id
        return (
            product.prepaid_auto_renew_threshold if product.prepaid_auto_renew else None
        )

    def _prepaid_auto_renew(self):
        """Renew, once, the packs of auto-renewed products whose hours left
        fell to the product's threshold: their open renewal quotation, or a
        new order, confirmed, and the customer told by email. Called on
        packs that the allocation locked: two agents crossing the threshold
        at once renew once (the second one is retried and sees the first
        renewal)."""
        today = fields.Date.context_today(self)
        due = self.sudo().filtered(
            lambda line: (
                line._get_prepaid_auto_renew_at() is not None
                and line.is_prepaid_pack
                and line._is_prepaid_pack_valid(today)
                and line.prepaid_hours_remaining
                <= line._get_prepaid_auto_renew_at() + HOURS_PRECISION
                and "sale" not in line.prepaid_renewal_line_ids.mapped("state")
            )
        )
        for line in due:
            order = line._get_prepaid_renewal()
            order.action_confirm()
            # by XML id, as the alerts: looked up only when a pack renews
            order.message_post_with_source(
                "helpdesk_prepaid_billing.mail_template_prepaid_auto_renewal",
                subtype_xmlid="mail.mt_comment",
                partner_ids=order.partner_id.ids,
            )
        return due

    def _prepare_prepaid_rollover_vals(self):
        """Values of the free line of this renewal that carries the unused
        hours of the pack it renews (up to the product's cap), or None when
        nothing rolls over: the product does not, the pack expired, it has
        no hours left or they already rolled over."""
        self.ensure_one()
        pack = self.prepaid_renewed_line_id.sudo()
        product = pack.product_id
        if not (
            product.prepaid_rollover
            and pack.is_prepaid_pack
            and pack._is_prepaid_pack_valid(self._get_prepaid_rollover_date())
            and not pack._get_prepaid_confirmed_rollovers()
            # a renewal confirmed again (cancelled, then set to quotation)
            # has its rollover line already
            and not self.order_id.order_line.filtered(
                lambda line: line.prepaid_rollover_from_id == pack
            )
        ):
            return None
        # its hours left, valid on that day (see prepaid_hours_remaining)
        hours = pack.remaining_hours
        if product.prepaid_rollover_max_hours:
            hours = min(hours, product.prepaid_rollover_max_hours)
        if hours <= HOURS_PRECISION:
            return None
        return {
            "order_id": self.order_id.id,
            "product_id": product.id,
            "product_uom_qty": hours,
            "product_uom": self._get_uom_hour().id,
            "price_unit": 0.0,
            "prepaid_rollover_from_id": pack.id,
            "name": self.env._(
                "%(product)s: %(hours)s h rolled over from %(pack)s",
                product=product.display_name,
                hours=formatLang(self.env, hours, digits=2),
                pack=pack.order_id.name,
            ),
        }

    def _get_prepaid_rollover_date(self):
        """The day on which the pack that this line renews must still be
        valid for its unused hours to roll over: today, as a renewal is sold
        before the pack expires."""
        return fields.Date.context_today(self)

    def _get_prepaid_summary(self):
        """'3.50 h left of 10.00 h (pack S00042, valid until 03/31/2027)', or
        what expired."""
        self.ensure_one()
        return self._get_prepaid_summaries()[self]

    def _get_prepaid_summaries(self):
        """{pack: its summary} (see ``_get_prepaid_summary``), the language
        looked up once for all."""
        lang = self.env["res.lang"].browse(get_lang(self.env).id)
        formatted = {}

        def hours(value):
            # as formatLang does, without looking the language up each time,
            # and once per value: packs are sold in a few sizes
            value = float_round(value, precision_digits=2, rounding_method="HALF-EVEN")
            if value not in formatted:
                formatted[value] = lang.format("%.2f", value, grouping=True)
            return formatted[value]

        summaries = {}
        for line in self:
            values = {
                "left": hours(line.prepaid_hours_remaining),
                "sold": hours(line.prepaid_hours_sold),
                "pack": line.order_id.name,
            }
            if line.prepaid_hours_expired:
                summaries[line] = self.env._(
                    "Pack %(pack)s expired on %(end)s with %(expired)s h unused.",
                    pack=line.order_id.name,
                    end=format_date(self.env, line.prepaid_end_date),
                    expired=hours(line.prepaid_hours_expired),
                )
            elif line.prepaid_end_date:
                summaries[line] = self.env._(
                    "%(left)s h left of %(sold)s h (pack %(pack)s, valid until "
                    "%(end)s)",
                    end=format_date(self.env, line.prepaid_end_date),
                    **values,
                )
            else:
                summaries[line] = self.env._(
                    "%(left)s h left of %(sold)s h (pack %(pack)s)", **values
                )
        return summaries

    def _get_prepaid_banners(self):
        """{pack: (text, level)}: the banner of the tickets using each of
        these packs, when no time of theirs is billed as overage."""
        packs = self.filtered("remaining_hours_available")
        banners = dict.fromkeys(self - packs, (False, False))
        over = packs.filtered(lambda line: line.prepaid_hours_remaining < 0)
        for line in over:
            banners[line] = (
                self.env._(
                    "Over by %(hours)s h on pack %(pack)s, not billed.",
                    hours=formatLang(self.env, -line.prepaid_hours_remaining, digits=2),
                    pack=line.order_id.name,
                ),
                "danger",
            )
        for line, summary in (packs - over)._get_prepaid_summaries().items():
            level = "info" if line.prepaid_hours_remaining > 0 else "warning"
            banners[line] = (summary, level)
        return banners

    def _notify_prepaid_thresholds(self, team):
        """Once per threshold and pack: an alert activity for the salesperson
        and, if the team says so, an email to the customer; returns the
        activities."""
        thresholds = team._get_prepaid_alert_thresholds()
        activities = []
        for line in self:
            credited = line._get_prepaid_hours_credited()
            if credited <= HOURS_PRECISION:
                continue
            consumed = 100.0 * line.prepaid_hours_used / credited
            crossed = [
                t for t in thresholds if line.prepaid_alert_level < t <= consumed + 1e-6
            ]
            if not crossed:
                continue
            # the highest one only: one alert, even when an entry crosses two
            level = crossed[-1]
            super(SaleOrderLine, line).write({"prepaid_alert_level": level})
            activities.append(line._prepare_prepaid_alert_activity_vals(int(level)))
            if team.prepaid_alert_email:
                line._post_prepaid_alert_email(int(level))
        self._prepaid_auto_renew()
        # one batch for all the packs that crossed a threshold
        no_activity = self.env["mail.activity"]
        return no_activity.create(activities) if activities else no_activity

    def _prepare_prepaid_alert_activity_vals(self, percent):
        """The salesperson's alert that ``percent`` % of this pack is used,
        in the salesperson's language, with the link that renews it."""
        self.ensure_one()
        order = self.order_id
        salesperson = order.user_id or order.partner_id.user_id or self.env.user
        for_salesperson = self.with_context(lang=salesperson.lang)
        return {
            "res_model_id": self.env["ir.model"]._get_id("sale.order"),
            "res_id": order.id,
            "activity_type_id": self.env["ir.model.data"]._xmlid_to_res_id(
                "helpdesk_prepaid_billing.mail_act_prepaid_alert"
            ),
            "automated": True,
            "user_id": salesperson.id,
            "date_deadline": fields.Date.context_today(self),
            "summary": for_salesperson.env._(
                "%(percent)s%% of the prepaid hours used", percent=percent
            ),
            # renewing is one click away (the quotation is made then)
            "note": Markup(
                "<p>%s</p><p><a href='/helpdesk_prepaid_billing/renew/%s'>%s</a></p>"
            )
            % (
                for_salesperson._get_prepaid_summary(),
                self.id,
                for_salesperson.env._("Renew this pack"),
            ),
        }

    def _post_prepaid_alert_email(self, percent):
        """Email the customer, in the customer's language, that ``percent`` %
        of this pack is used."""
        self.ensure_one()
        order = self.order_id
        order.with_context(
            prepaid_threshold=percent,
            prepaid_summary=self.with_context(
                lang=order.partner_id.lang
            )._get_prepaid_summary(),
        ).message_post_with_source(
            "helpdesk_prepaid_billing.mail_template_prepaid_alert",
            subtype_xmlid="mail.mt_comment",
            partner_ids=order.partner_id.ids,
        )

    def _get_prepaid_ticket_hours(self):
        """{pack: [(ticket, hours billed)]}: the tickets that consumed each
        pack, those that used the most hours first."""
        result = {line: [] for line in self}
        if not self:
            return result
        data = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [("so_line", "in", self.ids), ("ticket_id", "!=", False)],
                ["so_line", "ticket_id"],
                ["billed_hours:sum"],
                order="billed_hours:sum desc, ticket_id desc",
            )
        )
        for line, ticket, billed in data:
            result[line.with_env(self.env)].append((ticket, billed))
        return result

    def _get_prepaid_statement(self, date_from=None, date_to=None):
        """The pack's ledger over a period: the opening balance, each move of
        its hours in order with the balance after it (see
        ``_get_prepaid_ledger_moves``), the closing balance, and the totals
        of the period by kind, in hours. Over the pack's whole life, the
        closing balance is its hours left."""
        self.ensure_one()
        opening, rows, closing = running_balance(
            self._get_prepaid_ledger_moves(), date_from, date_to
        )

        def total(kind):
            return sum(move.hours for move, _balance in rows if move.kind == kind)

        return {
            "opening": opening,
            "rows": rows,
            "closing": closing,
            "entries": self.env["account.analytic.line"]
            .sudo()
            .browse()
            .union(*(move.record for move, _b in rows if move.kind == USAGE)),
            "used": -total(USAGE),
            "rollovers": self.browse().union(
                *(move.record for move, _b in rows if move.kind == ROLLOVER)
            ),
            "rolled_over": -total(ROLLOVER),
            "expired": -total(EXPIRY),
        }

    def _get_prepaid_ledger_moves(self):
        """[LedgerMove]: the pack's hours bought (at the start, even when
        time logged earlier waited for it), adjusted, refunded by credit
        notes (and given back when invoiced again), used by each timesheet
        entry, rolled over to its renewal, and expired (at the end). They add
        up to the hours left."""
        self.ensure_one()
        pack = self.sudo()
        timesheets = (
            self.env["account.analytic.line"]
            .sudo()
            .search(
                [("so_line", "=", self.id), ("project_id", "!=", False)],
                order="date, id",
            )
        )
        moves = [
            LedgerMove(entry.date, USAGE, entry.date, "", -entry.billed_hours, entry)
            for entry in timesheets
        ]
        moves += [
            LedgerMove(
                adjustment.date,
                CREDIT,
                adjustment.date,
                self.env._("Adjustment: %(reason)s", reason=adjustment.reason),
                adjustment.hours,
                adjustment,
            )
            for adjustment in pack.prepaid_adjustment_ids.sorted(
                lambda a: (a.date, a.id)
            )
        ]
        moves += pack._get_prepaid_refund_moves()
        moves += [
            LedgerMove(
                rollover.order_id.date_order.date(),
                ROLLOVER,
                rollover.order_id.date_order.date(),
                self.env._("Rolled over to %(order)s", order=rollover.order_id.name),
                -rollover.prepaid_hours_sold,
                rollover,
            )
            for rollover in pack._get_prepaid_confirmed_rollovers()
        ]
        order_date = pack.order_id.date_order.date()
        purchase = LedgerMove(
            min([order_date] + [move.on for move in moves]),
            PURCHASE,
            order_date,
            (
                self.env._(
                    "Rolled over from %(order)s",
                    order=pack.prepaid_rollover_from_id.order_id.name,
                )
                if pack.prepaid_rollover_from_id
                else self.env._(
                    "Purchase: %(order)s, %(product)s",
                    order=pack.order_id.name,
                    product=pack.product_id.display_name,
                )
            ),
            pack._get_prepaid_hours_sold(),
            pack.order_id,
        )
        moves.append(purchase)
        if pack.prepaid_hours_expired:
            end = pack.prepaid_end_date + relativedelta(days=1)
            moves.append(
                LedgerMove(
                    max([end] + [move.on for move in moves]),
                    EXPIRY,
                    end,
                    self.env._("Expired"),
                    -pack.prepaid_hours_expired,
                )
            )
        return moves

    def _get_prepaid_refund_moves(self):
        """[LedgerMove]: each posted credit note of the pack takes its hours
        off; the hours invoiced again beyond those sold give them back, with
        the latest invoice (see ``refunded_hours``)."""
        self.ensure_one()
        moves, last_invoice = [], None
        for move, hours in self._get_prepaid_invoiced_hours():
            if move.move_type == "out_refund":
                day = move.invoice_date or move.date
                label = self.env._("Credit note %(move)s", move=move.name)
                moves.append(LedgerMove(day, CREDIT, day, label, -hours, move))
            else:
                last_invoice = move
        given_back = -sum(move.hours for move in moves) - self.prepaid_hours_refunded
        if given_back > HOURS_PRECISION:
            # not before the credit notes that it gives back
            day = max(
                [last_invoice.invoice_date or last_invoice.date]
                + [move.on for move in moves]
            )
            label = self.env._(
                "Invoiced again: %(move)s", move=last_invoice.display_name
            )
            moves.append(LedgerMove(day, CREDIT, day, label, given_back, last_invoice))
        return moves

    def _get_prepaid_statement_filename(self):
        self.ensure_one()
        return self.env._("Prepaid hours statement %(pack)s", pack=self.order_id.name)
