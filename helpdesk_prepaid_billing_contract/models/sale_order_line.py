# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    prepaid_period_start = fields.Date(
        string="Period Start",
        copy=False,
        help="First day of the retainer period that this pack serves: time "
        "dated earlier goes to the packs of earlier periods.",
    )

    def _get_prepaid_start_date(self):
        return self.prepaid_period_start or super()._get_prepaid_start_date()

    def _can_take_prepaid_time(self, on_date):
        # a period's pack takes the time of its period (and later, if it is
        # not over): an entry back-dated into last month goes to last month's
        return super()._can_take_prepaid_time(on_date) and not (
            self.prepaid_period_start and on_date < self.prepaid_period_start
        )

    def _get_prepaid_rollover_date(self):
        # a period renews the previous one the day after that one ends,
        # whenever the contract's cron makes it
        if self.prepaid_period_start:
            return self.prepaid_period_start - relativedelta(days=1)
        return super()._get_prepaid_rollover_date()

    def _prepare_prepaid_rollover_vals(self):
        vals = super()._prepare_prepaid_rollover_vals()
        # the hours carried over are the new period's, valid as long as it
        if vals and self.prepaid_period_start:
            vals.update(
                prepaid_period_start=self.prepaid_period_start,
                prepaid_end_date=self.prepaid_end_date,
            )
        return vals

    def _compute_prepaid_end_date(self):
        # a period's pack ends with its period, whatever the product says
        periods = self.filtered("prepaid_period_start")
        for line in periods:
            line.prepaid_end_date = line.prepaid_end_date
        return super(SaleOrderLine, self - periods)._compute_prepaid_end_date()

    def _get_prepaid_overage_order_vals(self):
        # the time beyond a period's packs goes on that period's overage
        # order, billed once for the period; time of no period on another
        period = self.filtered("prepaid_period_start")[-1:]
        return {
            **super()._get_prepaid_overage_order_vals(),
            "prepaid_overage_period_start": period.prepaid_period_start,
            "prepaid_overage_period_end": period.prepaid_end_date,
        }

    def _take_prepaid_period_time(self):
        """The ticket time of these period packs' periods that was logged
        before they came (the contract's cron runs after the period started):
        on no sales order item or on the overage order, and free to move, it
        is allocated again, onto them; for all of them at once (the cron
        starts the periods of many customers together)."""
        packs = self.sudo()
        if not packs:
            return
        periods = defaultdict(list)
        for pack in packs:
            customer = pack.prepaid_partner_id
            periods[customer].append((pack.prepaid_period_start, pack.prepaid_end_date))
        entries = (
            self.env["account.analytic.line"]
            .sudo()
            .search(
                [
                    ("ticket_id.commercial_partner_id", "in", [c.id for c in periods]),
                    ("date", ">=", min(packs.mapped("prepaid_period_start"))),
                    ("date", "<=", max(packs.mapped("prepaid_end_date"))),
                    "|",
                    ("so_line", "=", False),
                    ("so_line.order_id.is_prepaid_overage", "=", True),
                ]
            )
        )
        entries.filtered(
            lambda aal: any(
                start <= aal.date <= end
                for start, end in periods[aal.ticket_id.commercial_partner_id]
            )
        )._filter_movable_ticket_time()._reallocate_prepaid_time()
