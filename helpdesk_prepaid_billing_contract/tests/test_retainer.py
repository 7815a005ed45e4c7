# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.helpdesk_prepaid_billing.tests.common import (
    PrepaidBillingCommon,
    assert_po_translated,
)


@tagged("post_install", "-at_install")
class TestRetainer(PrepaidBillingCommon):
    """10 hours a month on an OCA contract: each period, the contract's cron
    makes that period's pack, confirmed; unused hours roll over by the
    product's rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.retainer_product = cls._create_pack_product("Support retainer (hours)")
        cls.retainer_product.write(
            {"prepaid_rollover": True, "prepaid_rollover_max_hours": 5}
        )
        cls.contract = cls.env["contract.contract"].create(
            {
                "name": "Retainer Dupont",
                "partner_id": cls.customer.id,
                "generation_type": "sale",
                "sale_autoconfirm": True,
                "line_recurrence": True,
                "contract_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.retainer_product.id,
                            "name": "Support from #START# to #END#",
                            "quantity": 10,
                            "uom_id": cls.uom_hour.id,
                            "price_unit": 80,
                            "recurring_rule_type": "monthly",
                            "recurring_interval": 1,
                            "recurring_invoicing_type": "pre-paid",
                            "date_start": date(2025, 12, 1),
                            "recurring_next_date": date(2025, 12, 1),
                        }
                    )
                ],
            }
        )
        cls.ticket = cls._create_ticket(cls.customer)

    def _run_cron(self, day):
        """What the contract's cron does on ``day``, that day."""
        with freeze_time(day):
            self.env["contract.contract"].cron_recurring_create_sale()

    def _log_on(self, day, hours):
        """An agent logs ``hours`` on ``day``, that day."""
        with freeze_time(day):
            return self._log(self.ticket, hours, date=day)

    def test_a_year_of_periods(self):
        overage = self._create_overage_product(list_price=90.0)
        self.team.write(
            {"prepaid_overage_policy": "bill", "overage_product_id": overage.id}
        )
        months = [date(2025, 12, 1) + relativedelta(months=n) for n in range(12)]
        # hours used each month: the first leaves 4 h (rolled over), the
        # second leaves 7 h (capped to 5 h), the third uses all of them, the
        # fourth goes 2 h beyond its pack
        used = {0: 6, 1: 3, 2: 15, 3: 12}
        for n, month in enumerate(months):
            self._run_cron(month)
            if n in used:
                self._log_on(month + relativedelta(days=10), used[n])
        packs = self.contract.prepaid_pack_ids.sorted("prepaid_period_start")
        self.assertEqual(len(packs), 12, "one pack a period, nothing twice")
        self.assertEqual(
            [(p.prepaid_period_start, p.prepaid_end_date) for p in packs],
            [(m, m + relativedelta(months=1, days=-1)) for m in months],
        )
        self.assertTrue(all(p.state == "sale" for p in packs))
        first, second, third = packs[:3]
        self.assertEqual(
            (first.prepaid_hours_used, first.prepaid_hours_rolled_over), (6.0, 4.0)
        )
        # the second period: its 10 h, and the 4 h rolled over as a free line
        rolled_in = second.order_id.order_line.filtered("prepaid_rollover_from_id")
        self.assertEqual((rolled_in.product_uom_qty, rolled_in.price_unit), (4.0, 0.0))
        self.assertEqual(rolled_in.prepaid_end_date, second.prepaid_end_date)
        self.assertEqual(second.prepaid_hours_rolled_over, 5.0, "up to the cap")
        # the third period: 15 h on its 10 h and the 5 h rolled over
        self.assertEqual(third.prepaid_hours_used, 10.0)
        third_rollover = third.order_id.order_line.filtered("prepaid_rollover_from_id")
        self.assertEqual(third_rollover.prepaid_hours_used, 5.0)
        # March's overage, on March's own overage order, and no other
        overage_order = self.contract.prepaid_overage_order_ids
        self.assertEqual(
            (
                overage_order.prepaid_overage_period_start,
                overage_order.order_line.qty_delivered,
            ),
            (months[3], 2.0),
        )
        # nothing counted twice: what the periods delivered and the overage
        # billed is what was logged
        all_lines = self.contract.prepaid_pack_ids | packs.order_id.order_line
        self.assertEqual(
            sum(all_lines.mapped("qty_delivered"))
            + overage_order.order_line.qty_delivered,
            sum(used.values()),
        )

    def test_back_dated_time_goes_to_its_period(self):
        for month in (date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)):
            self._run_cron(month)
        _december, january, february = self.contract.prepaid_pack_ids.sorted(
            "prepaid_period_start"
        )
        with freeze_time(date(2026, 2, 3)):
            entry = self._log(self.ticket, 2, date=date(2026, 1, 31))
            self.assertEqual(entry.so_line, january, "back-dated: January's")
            entry = self._log(self.ticket, 1, date=date(2026, 2, 1))
            self.assertEqual(entry.so_line, february)
            # January's 5 h left (5 h rolled over to February on 1 February)
            # used up, its back-dated time takes the 5 h that December rolled
            # over into January, then goes beyond them (allow): never to
            # February's hours
            self._log(self.ticket, 9, date=date(2026, 1, 20))
        rolled_in = january.order_id.order_line.filtered("prepaid_rollover_from_id")
        self.assertEqual(
            (
                january.prepaid_hours_rolled_over,
                january.prepaid_hours_remaining,
                rolled_in.prepaid_hours_remaining,
            ),
            (5.0, 0.0, -1.0),
        )
        self.assertEqual(february.prepaid_hours_remaining, 9.0)

    def test_ended_contract_stops_the_periods(self):
        self.contract.contract_line_ids.date_end = date(2026, 2, 28)
        for n in range(6):
            self._run_cron(date(2025, 12, 1) + relativedelta(months=n))
        packs = self.contract.prepaid_pack_ids
        self.assertEqual(len(packs), 3)
        self.assertEqual(max(packs.mapped("prepaid_end_date")), date(2026, 2, 28))

    def test_paused_contract_stops_the_periods(self):
        """Pausing (OCA's contract 18.0: the line marked *Canceled*, or the
        contract archived) stops new periods; the period started keeps its
        pack and its hours, valid to its end."""
        self._run_cron(date(2025, 12, 1))
        self._run_cron(date(2026, 1, 1))
        self.contract.contract_line_ids.is_canceled = True
        for month in (date(2026, 2, 1), date(2026, 3, 1)):
            self._run_cron(month)
        self.contract.contract_line_ids.is_canceled = False
        self.contract.active = False
        self._run_cron(date(2026, 4, 1))
        packs = self.contract.prepaid_pack_ids.sorted("prepaid_period_start")
        self.assertEqual(len(packs), 2, "no period while paused")
        january = packs[-1]
        entry = self._log_on(date(2026, 1, 20), 3)
        self.assertEqual(entry.so_line, january)
        self.assertEqual(
            (january.state, january.prepaid_end_date, january.prepaid_hours_remaining),
            ("sale", date(2026, 1, 31), 7.0),
        )

    def test_time_logged_before_the_cron_takes_the_period(self):
        """Time of a period logged before the contract's cron made its pack
        (billed as overage meanwhile) moves onto the pack when it comes:
        billed once, by the pack."""
        overage = self._create_overage_product(list_price=90.0)
        self.team.write(
            {"prepaid_overage_policy": "bill", "overage_product_id": overage.id}
        )
        self._run_cron(date(2025, 12, 1))
        early = self._log_on(date(2026, 1, 1), 2)
        self.assertEqual(early.so_line.product_id, overage, "no pack yet")
        self._run_cron(date(2026, 1, 1))
        january = self.contract.prepaid_pack_ids.sorted("prepaid_period_start")[-1]
        self.assertEqual(january.prepaid_period_start, date(2026, 1, 1))
        self.assertEqual(early.so_line, january)
        self.assertEqual(january.qty_delivered, 2.0)
        overage_lines = self.env["sale.order.line"].search(
            [("product_id", "=", overage.id)]
        )
        self.assertEqual(sum(overage_lines.mapped("qty_delivered")), 0.0)

    def test_overage_billed_once_per_period(self):
        """Under *bill*, the hours beyond a period's pack go on that period's
        overage order, one per period, back-dated time included; each order
        is invoiced once for its period."""
        overage = self._create_overage_product(list_price=90.0)
        self.team.write(
            {"prepaid_overage_policy": "bill", "overage_product_id": overage.id}
        )
        self._run_cron(date(2025, 12, 1))
        self._log_on(date(2025, 12, 11), 12)
        self._run_cron(date(2026, 1, 1))
        self._log_on(date(2026, 1, 11), 11)
        with freeze_time(date(2026, 1, 12)):
            late = self._log(self.ticket, 1, date=date(2025, 12, 20))
        orders = self.contract.prepaid_overage_order_ids.sorted(
            "prepaid_overage_period_start"
        )
        self.assertEqual(
            [
                (
                    o.prepaid_overage_period_start,
                    o.prepaid_overage_period_end,
                    o.order_line.qty_delivered,
                )
                for o in orders
            ],
            [
                (date(2025, 12, 1), date(2025, 12, 31), 3.0),
                (date(2026, 1, 1), date(2026, 1, 31), 1.0),
            ],
        )
        december, january = orders
        self.assertEqual(late.so_line.order_id, december, "back-dated: December's")
        # December's overage invoiced once: nothing of it left to invoice,
        # and January's hour still waits for January's invoice
        with freeze_time(date(2026, 1, 31)):
            invoice = december._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.quantity, 3.0)
        self.assertEqual(december.order_line.qty_to_invoice, 0.0)
        self.assertEqual(january.order_line.qty_to_invoice, 1.0)
        packs = self.contract.prepaid_pack_ids
        self.assertEqual(sum(packs.mapped("qty_delivered")), 20.0)
        self.assertEqual(sum(packs.mapped("prepaid_hours_remaining")), 0.0)

    def test_analysis_by_period(self):
        """The *Prepaid Hours* analysis grouped by period: each period's
        hours sold (the hours rolled in included), used, rolled over and
        left."""
        self._run_cron(date(2025, 12, 1))
        self._log_on(date(2025, 12, 11), 6)
        self._run_cron(date(2026, 1, 1))
        self._log_on(date(2026, 1, 11), 3)
        with freeze_time(date(2026, 1, 15)):
            groups = self.env["prepaid.hours.report"]._read_group(
                [("partner_id", "=", self.customer.id), ("period_start", "!=", False)],
                ["period_start:month"],
                [
                    "hours_sold:sum",
                    "hours_used:sum",
                    "hours_rolled_over:sum",
                    "hours_remaining:sum",
                ],
            )
        self.assertEqual(
            [(month, *hours) for month, *hours in groups],
            [
                (date(2025, 12, 1), 10.0, 6.0, 4.0, 0.0),
                (date(2026, 1, 1), 14.0, 3.0, 0.0, 11.0),
            ],
        )

    def test_periods_are_pre_paid(self):
        with self.assertRaises(ValidationError):
            self.contract.contract_line_ids.recurring_invoicing_type = "post-paid"

    def test_french(self):
        assert_po_translated(self, "helpdesk_prepaid_billing_contract")
