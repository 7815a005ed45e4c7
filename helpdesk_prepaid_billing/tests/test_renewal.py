# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import PrepaidBillingCommon


@tagged("post_install", "-at_install")
class TestRenewal(PrepaidBillingCommon):
    """Renewal of a pack by the salesperson, auto-renewal and rollover."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="hpb_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )

    def _sell(self, partner, qty, product=None, confirm=True, order_date=None):
        # the salesman's own orders: a salesman sees only those
        line = super()._sell(partner, qty, product, confirm, order_date)
        line.order_id.user_id = self.salesman
        return line

    def _open_renewal(self, pack, user=None):
        action = pack.with_user(user or self.salesman).action_prepaid_renew()
        return self.env["sale.order"].browse(action["res_id"])

    def test_renew_once_and_reopen(self):
        """Renew makes a quotation for the same customer, product and hours at
        today's price, linked to the pack; while it is open, Renew opens it;
        once it is cancelled, Renew makes a new one."""
        pack = self._sell(self.customer, 10)
        self.product_pack.list_price = 95.0
        quotation = self._open_renewal(pack)
        self.assertEqual(quotation.state, "draft")
        self.assertEqual(quotation.partner_id, self.customer)
        line = quotation.order_line
        self.assertEqual(
            (line.product_id, line.product_uom_qty, line.price_unit),
            (self.product_pack, 10.0, 95.0),
        )
        self.assertEqual(line.prepaid_renewed_line_id, pack)
        self.assertEqual(self._open_renewal(pack), quotation, "reopened, not new")
        quotation._action_cancel()
        self.assertNotEqual(self._open_renewal(pack), quotation)

    def test_only_packs_renew(self):
        quotation_line = self._sell(self.customer, 10, confirm=False)
        with self.assertRaises(UserError):
            quotation_line.action_prepaid_renew()

    def test_auto_renewal_once(self):
        """An auto-renewed product's pack that falls to the threshold is
        renewed once: an order confirmed for the same hours, the customer
        told by email; the time beyond goes to the renewal."""
        self.product_pack.write(
            {"prepaid_auto_renew": True, "prepaid_auto_renew_threshold": 1.0}
        )
        pack = self._sell(self.customer, 5)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 3.0)
        self.assertFalse(pack.prepaid_renewal_line_ids, "2 h left, above 1 h")
        self._log(ticket, 1.5)
        renewal = pack.prepaid_renewal_line_ids
        self.assertEqual(renewal.order_id.state, "sale")
        self.assertEqual(renewal.product_uom_qty, 5.0)
        email = renewal.order_id.message_ids.filtered(
            lambda m: self.customer in m.partner_ids
        )
        self.assertEqual(len(email), 1)
        self.assertIn("renewed", email.subject)
        self._log(ticket, 2.0)
        self.assertEqual(len(pack.prepaid_renewal_line_ids), 1, "renewed once")
        self.assertEqual(pack.prepaid_hours_remaining, 0.0)
        self.assertEqual(renewal.qty_delivered, 1.5)

    def test_rollover(self):
        """Renewed before it expires, a pack hands its unused hours (up to the
        cap) to the renewal as a free line; they count as rolled over, not
        expired, on the pack, its statement and the analysis."""
        self.product_pack.write(
            {
                "prepaid_rollover": True,
                "prepaid_rollover_max_hours": 4.0,
                "prepaid_validity_months": 12,
            }
        )
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        self._log(ticket, 3.0)
        renewal = self._open_renewal(pack)
        renewal.action_confirm()
        rollover = renewal.order_line.filtered("prepaid_rollover_from_id")
        self.assertEqual(rollover.prepaid_rollover_from_id, pack)
        self.assertEqual((rollover.product_uom_qty, rollover.price_unit), (4.0, 0.0))
        self.assertEqual(renewal.amount_untaxed, 800.0, "rolled over hours are free")
        self.assertEqual(
            (
                pack.prepaid_hours_used,
                pack.prepaid_hours_rolled_over,
                pack.prepaid_hours_remaining,
            ),
            (3.0, 4.0, 3.0),
        )
        # expired a year later: the rolled over hours are not expired ones
        with self.env.cr.savepoint():
            pack.order_id.date_order = fields.Datetime.now() - relativedelta(months=13)
            self.assertEqual(pack.prepaid_hours_expired, 3.0)
            self.assertEqual(pack.prepaid_hours_rolled_over, 4.0)
        statement = pack._get_prepaid_statement()
        self.assertEqual(statement["rollovers"], rollover)
        # (the order date moved above stays: the ledger ends on the expiry)
        self.assertEqual(
            (
                statement["used"],
                statement["rolled_over"],
                statement["expired"],
                statement["closing"],
            ),
            (3.0, 4.0, 3.0, 0.0),
        )
        self.assertEqual(statement["closing"], pack.prepaid_hours_remaining)
        report = self.env["prepaid.hours.report"]._read_group(
            [("pack_id", "=", pack.id)],
            [],
            ["hours_sold:sum", "hours_used:sum", "hours_rolled_over:sum"],
        )
        self.assertEqual(report, [(10.0, 3.0, 4.0)])
        # renewing again rolls nothing over twice
        self.assertFalse(
            renewal.order_line.filtered(
                "prepaid_renewed_line_id"
            )._prepare_prepaid_rollover_vals()
        )

    def test_rollover_moves_tickets_on(self):
        """Without a cap all the hours roll over: the pack's tickets move on
        to the renewal, their time staying on the pack."""
        self.product_pack.prepaid_rollover = True
        pack = self._sell(self.customer, 5)
        ticket = self._create_ticket(self.customer)
        entry = self._log(ticket, 2.0)
        renewal = self._open_renewal(pack)
        renewal.action_confirm()
        self.assertEqual(pack.prepaid_hours_rolled_over, 3.0)
        self.assertEqual(pack.prepaid_hours_remaining, 0.0)
        self.assertIn(ticket.sale_line_id, renewal.order_line)
        self.assertEqual(entry.so_line, pack)
        self.assertEqual(pack.qty_delivered, 2.0)

    def test_no_rollover_when_expired_or_off(self):
        pack = self._sell(self.customer, 10)
        renewal = self._open_renewal(pack)
        renewal.action_confirm()
        self.assertEqual(len(renewal.order_line), 1, "the product does not roll over")
        self.assertEqual(pack.prepaid_hours_remaining, 10.0)

    def test_product_settings_validated(self):
        with self.assertRaises(ValidationError):
            self.product_pack.prepaid_pack_sizes = "5, ten"
        with self.assertRaises(ValidationError):
            self.product_pack.prepaid_pack_sizes = "5, -10"
        with self.assertRaises(ValidationError):
            self.product_pack.prepaid_rollover_max_hours = -1
        self.product_pack.prepaid_pack_sizes = "20, 5,10"
        self.assertEqual(
            self.product_pack.product_tmpl_id._get_prepaid_pack_sizes(),
            [5.0, 10.0, 20.0],
        )
