# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class PrepaidHoursReport(models.Model):
    """Hours sold and refunded (one row per pack), used (one row per
    timesheet entry billed to a pack: the hours billed, the hours spent, and
    those spent at no charge), rolled over (one row per renewal that took
    them) and adjusted (one row per adjustment), in hours, to compare them by
    customer, pack, team, agent and month."""

    _name = "prepaid.hours.report"
    _description = "Prepaid Hours Analysis"
    _auto = False
    _order = "date desc"
    # what the view reads: flushed before the analysis is searched
    _depends = {  # noqa: RUF012 (an Odoo model attribute, never mutated)
        "sale.order.line": [
            "order_id",
            "order_partner_id",
            "product_id",
            "product_uom",
            "product_uom_qty",
            "state",
            "company_id",
            "remaining_hours",
            "prepaid_end_date",
            "prepaid_rollover_from_id",
            "prepaid_hours_refunded",
        ],
        "prepaid.hours.adjustment": ["sale_line_id", "date", "hours"],
        "sale.order": ["date_order", "user_id"],
        "account.analytic.line": [
            "so_line",
            "date",
            "unit_amount",
            "billed_hours",
            "ticket_id",
            "employee_id",
            "project_id",
        ],
        "helpdesk.ticket": ["team_id"],
    }

    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    pack_id = fields.Many2one("sale.order.line", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Agent", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    hours_sold = fields.Float(readonly=True)
    hours_used = fields.Float(
        readonly=True, help="Hours billed for the time logged on the packs."
    )
    hours_spent = fields.Float(
        readonly=True, help="Hours actually spent, before rounding and multipliers."
    )
    hours_no_charge = fields.Float(
        string="Hours at No Charge",
        readonly=True,
        help="Hours spent that were not billed.",
    )
    # the row's timesheet entry, for what addons add to it (its work type)
    timesheet_id = fields.Many2one("account.analytic.line", readonly=True)
    hours_remaining = fields.Float(
        string="Hours Left",
        readonly=True,
        help="Hours that can still be used; the hours left on an expired pack "
        "count as expired.",
    )
    hours_expired = fields.Float(readonly=True)
    hours_rolled_over = fields.Float(
        readonly=True, help="Unused hours moved to the pack's renewal."
    )
    hours_adjusted = fields.Float(
        readonly=True, help="Hours that billing managers added (negative: removed)."
    )
    hours_refunded = fields.Float(
        readonly=True, help="Hours taken off the pack by its credit notes."
    )

    def init(self):
        # the view that versions before 18.0.1.1.0 made: read as a query now
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        # a query made at each read (not a view made at install): the packs
        # and the expiry are the ORM's rules of the moment, and "today" is the
        # user's, as everywhere else. Each row's id is its source's (pack,
        # entry, rollover line or adjustment, told apart by the remainder
        # of a division by 5, room kept for one source more): the same row
        # keeps its id from one read to the next, and PostgreSQL can filter
        # each source first (a numbering over the whole union, as
        # row_number() OVER (), made it aggregate everything before filtering)
        hour = self.env["sale.order.line"]._get_uom_hour()
        SaleOrderLine = self.env["sale.order.line"]
        # the packs: the lines of sale.order.line._prepaid_pack_domain()
        packs = SaleOrderLine._where_calc(
            SaleOrderLine._prepaid_pack_domain(), active_test=False
        ).subselect()
        # the expiry rule of sale.order.line._is_prepaid_pack_valid, today
        expired = SQL(
            "COALESCE(sol.prepaid_end_date < %s, FALSE)",
            fields.Date.context_today(self),
        )
        # the columns that addons read from the row's pack (in every branch)
        # and from its timesheet entry: read in the entry's branch of the
        # union, NULL in the others (a join over the whole union would cost
        # the analysis what it reads twice)
        pack_values = [
            SQL("%s AS %s", expr, SQL.identifier(name))
            for name, expr in self._get_prepaid_pack_columns()
        ]
        entry_columns = self._get_prepaid_entry_columns()
        entry_values = SQL("").join(
            SQL(", %s", value)
            for value in pack_values
            + [
                SQL("%s AS %s", expr, SQL.identifier(name))
                for name, expr, _type in entry_columns
            ]
        )
        other_values = SQL("").join(
            SQL(", %s", value)
            for value in pack_values
            + [
                SQL("NULL::%s AS %s", SQL(sql_type), SQL.identifier(name))
                for name, _expr, sql_type in entry_columns
            ]
        )
        return SQL(
            """
                        SELECT sol.id::bigint * 5 AS id,
                               so.date_order::date AS date,
                               partner.commercial_partner_id AS partner_id,
                               sol.id AS pack_id, sol.order_id, so.user_id,
                               NULL::integer AS team_id, NULL::integer AS ticket_id,
                               NULL::integer AS employee_id, sol.company_id,
                               sol.product_uom_qty / uom.factor * %(hour_factor)s
                                   AS hours_sold,
                               0.0 AS hours_used,
                               CASE WHEN %(expired)s
                                    THEN LEAST(sol.remaining_hours, 0)
                                    ELSE sol.remaining_hours END AS hours_remaining,
                               CASE WHEN %(expired)s
                                    THEN GREATEST(sol.remaining_hours, 0)
                                    ELSE 0 END AS hours_expired,
                               0.0 AS hours_rolled_over,
                               NULL::integer AS timesheet_id,
                               0.0 AS hours_spent,
                               0.0 AS hours_no_charge,
                               0.0 AS hours_adjusted,
                               COALESCE(sol.prepaid_hours_refunded, 0.0)
                                   AS hours_refunded
                               %(other_values)s
                        FROM sale_order_line sol
                        JOIN sale_order so ON so.id = sol.order_id
                        JOIN res_partner partner ON partner.id = sol.order_partner_id
                        JOIN uom_uom uom ON uom.id = sol.product_uom
                        WHERE sol.id IN (%(packs)s)
                        UNION ALL
                        SELECT aal.id::bigint * 5 + 1,
                               aal.date, partner.commercial_partner_id, sol.id,
                               sol.order_id, so.user_id, ticket.team_id,
                               aal.ticket_id, aal.employee_id, sol.company_id, 0.0,
                               aal.billed_hours,
                               0.0, 0.0, 0.0,
                               aal.id, aal.unit_amount,
                               CASE WHEN aal.billed_hours = 0
                                    THEN aal.unit_amount ELSE 0 END,
                               0.0, 0.0
                               %(entry_values)s
                        FROM sale_order_line sol
                        JOIN sale_order so ON so.id = sol.order_id
                        JOIN res_partner partner ON partner.id = sol.order_partner_id
                        JOIN account_analytic_line aal ON aal.so_line = sol.id
                        LEFT JOIN helpdesk_ticket ticket ON ticket.id = aal.ticket_id
                        WHERE sol.id IN (%(packs)s) AND aal.project_id IS NOT NULL
                        UNION ALL
                        SELECT rollover.id::bigint * 5 + 2,
                               renewal_order.date_order::date,
                               partner.commercial_partner_id, sol.id, sol.order_id,
                               so.user_id, NULL, NULL, NULL, sol.company_id, 0.0, 0.0,
                               0.0, 0.0,
                               rollover.product_uom_qty / ruom.factor
                                   * %(hour_factor)s,
                               NULL, 0.0, 0.0, 0.0, 0.0
                               %(other_values)s
                        FROM sale_order_line sol
                        JOIN sale_order so ON so.id = sol.order_id
                        JOIN res_partner partner ON partner.id = sol.order_partner_id
                        JOIN sale_order_line rollover
                            ON rollover.prepaid_rollover_from_id = sol.id
                            AND rollover.state = 'sale'
                        JOIN sale_order renewal_order
                            ON renewal_order.id = rollover.order_id
                        JOIN uom_uom ruom ON ruom.id = rollover.product_uom
                        WHERE sol.id IN (%(packs)s)
                        UNION ALL
                        SELECT adjustment.id::bigint * 5 + 3, adjustment.date,
                               partner.commercial_partner_id, sol.id, sol.order_id,
                               so.user_id, NULL, NULL, NULL, sol.company_id, 0.0, 0.0,
                               0.0, 0.0, 0.0, NULL, 0.0, 0.0, adjustment.hours, 0.0
                               %(other_values)s
                        FROM sale_order_line sol
                        JOIN sale_order so ON so.id = sol.order_id
                        JOIN res_partner partner ON partner.id = sol.order_partner_id
                        JOIN prepaid_hours_adjustment adjustment
                            ON adjustment.sale_line_id = sol.id
                        WHERE sol.id IN (%(packs)s)
            """,
            hour_factor=hour.factor,
            packs=packs,
            expired=expired,
            entry_values=entry_values,
            other_values=other_values,
        )

    def _get_prepaid_pack_columns(self):
        """[(column, SQL expression on the row's pack ``sol``)]: the columns
        that addons add to the analysis from each row's pack (see
        helpdesk_prepaid_billing_contract); none here."""
        return []

    def _get_prepaid_entry_columns(self):
        """[(column, SQL expression on the timesheet entry ``aal``, SQL
        type)]: the columns that addons add to the analysis from each row's
        entry (see helpdesk_prepaid_billing_time_type); none here."""
        return []
