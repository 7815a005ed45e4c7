# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.osv import expression
from odoo.tools import SQL, Query


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
            "prepaid_partner_id",
            "is_prepaid_pack",
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
            "prepaid_partner_id",
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
        # a query of the moment (not a view made at install): the packs and
        # the expiry are the ORM's rules, and "today" is the user's, as
        # everywhere else; made once a day per time zone in each worker (and
        # read twice by each search)
        return self._get_prepaid_table_query(
            fields.Date.context_today(self),
            self.env["sale.order.line"]._get_uom_hour().factor,
        )

    @tools.ormcache("today", "hour_factor")
    def _get_prepaid_table_query(self, today, hour_factor):
        """The analysis' rows on ``today``, as SQL, an hour being
        ``hour_factor`` in its unit's category. Each row's id is its
        source's (pack, entry, rollover line or adjustment, told apart by the
        remainder of a division by 5, room kept for one source more): the
        same row keeps its id from one read to the next, and PostgreSQL can
        filter each source first (a numbering over the whole union, as
        row_number() OVER (), made it aggregate everything before
        filtering)."""
        SaleOrderLine = self.env["sale.order.line"]
        # the packs: the lines of sale.order.line._prepaid_pack_domain(), as
        # "sol", the first table of each branch but the entries' (not a
        # subquery that each branch joins again)
        packs = Query(self.env, "sol", SQL.identifier(SaleOrderLine._table))
        expression.expression(
            SaleOrderLine._prepaid_pack_domain(),
            SaleOrderLine.with_context(active_test=False),
            alias="sol",
            query=packs,
        )
        # the expiry rule of sale.order.line._is_prepaid_pack_valid, today
        expired = SQL("COALESCE(sol.prepaid_end_date < %s, FALSE)", today)
        columns = self._get_prepaid_columns()
        # every row: its pack's, and what addons read from the pack
        pack = {
            "partner_id": SQL("sol.prepaid_partner_id"),
            "pack_id": SQL("sol.id"),
            "order_id": SQL("sol.order_id"),
            "user_id": SQL("so.user_id"),
            "company_id": SQL("sol.company_id"),
        }
        pack.update(
            (name, expr) for name, expr, _type in self._get_prepaid_pack_columns()
        )
        # what addons read from the row's timesheet entry, in its branch only
        # (a join over the whole union would cost the analysis what it reads
        # twice)
        entry = {name: expr for name, expr, _t in self._get_prepaid_entry_columns()}

        def select(values):
            # each column cast to its type in every branch: with the same
            # types, PostgreSQL flattens the union, filters each branch and
            # leaves out the joins that the grouping does not read
            return SQL(", ").join(
                SQL(
                    "CAST(%s AS %s) AS %s",
                    values.get(name, SQL("0") if sql_type == "float8" else SQL("NULL")),
                    SQL(sql_type),
                    SQL.identifier(name),
                )
                for name, sql_type in columns
            )

        hours_sold = SQL("sol.product_uom_qty / uom.factor * %s", hour_factor)
        return SQL(
            """
            SELECT %(packs_row)s
            FROM %(packs)s
            JOIN uom_uom uom ON uom.id = sol.product_uom
            WHERE %(is_pack)s
            UNION ALL
            SELECT %(entries_row)s
            FROM account_analytic_line aal
            LEFT JOIN sale_order_line sol ON sol.id = aal.so_line
            LEFT JOIN sale_order so ON so.id = sol.order_id
            LEFT JOIN helpdesk_ticket ticket ON ticket.id = aal.ticket_id
            WHERE aal.prepaid_partner_id IS NOT NULL AND aal.project_id IS NOT NULL
            UNION ALL
            SELECT %(rollovers_row)s
            FROM %(packs)s
            JOIN sale_order_line rollover
                ON rollover.prepaid_rollover_from_id = sol.id
                AND rollover.state = 'sale'
            JOIN sale_order renewal_order ON renewal_order.id = rollover.order_id
            JOIN uom_uom ruom ON ruom.id = rollover.product_uom
            WHERE %(is_pack)s
            UNION ALL
            SELECT %(adjustments_row)s
            FROM %(packs)s
            JOIN prepaid_hours_adjustment adjustment
                ON adjustment.sale_line_id = sol.id
            WHERE %(is_pack)s
            """,
            # the packs and their orders (every line has one; a
            # left join, which PostgreSQL leaves out when the grouping reads
            # nothing of it)
            packs=SQL(
                "%s LEFT JOIN sale_order so ON so.id = sol.order_id",
                packs.from_clause,
            ),
            is_pack=packs.where_clause,
            packs_row=select(
                {
                    **pack,
                    "id": SQL("sol.id::bigint * 5"),
                    "date": SQL("so.date_order::date"),
                    "hours_sold": hours_sold,
                    "hours_remaining": SQL(
                        "CASE WHEN %s THEN LEAST(sol.remaining_hours, 0)"
                        " ELSE sol.remaining_hours END",
                        expired,
                    ),
                    "hours_expired": SQL(
                        "CASE WHEN %s THEN GREATEST(sol.remaining_hours, 0) ELSE 0 END",
                        expired,
                    ),
                    "hours_refunded": SQL("COALESCE(sol.prepaid_hours_refunded, 0)"),
                }
            ),
            # the time billed to a pack (account.analytic.line.
            # prepaid_partner_id), read by its own columns: one customer's
            # by their index; the pack's other columns by left joins, which
            # PostgreSQL leaves out when the grouping reads none of them
            entries_row=select(
                {
                    **pack,
                    **entry,
                    "partner_id": SQL("aal.prepaid_partner_id"),
                    "pack_id": SQL("aal.so_line"),
                    "id": SQL("aal.id::bigint * 5 + 1"),
                    "date": SQL("aal.date"),
                    "team_id": SQL("ticket.team_id"),
                    "ticket_id": SQL("aal.ticket_id"),
                    "employee_id": SQL("aal.employee_id"),
                    "timesheet_id": SQL("aal.id"),
                    "hours_used": SQL("aal.billed_hours"),
                    "hours_spent": SQL("aal.unit_amount"),
                    "hours_no_charge": SQL(
                        "CASE WHEN aal.billed_hours = 0 THEN aal.unit_amount ELSE 0 END"
                    ),
                }
            ),
            rollovers_row=select(
                {
                    **pack,
                    "id": SQL("rollover.id::bigint * 5 + 2"),
                    "date": SQL("renewal_order.date_order::date"),
                    "hours_rolled_over": SQL(
                        "rollover.product_uom_qty / ruom.factor * %s", hour_factor
                    ),
                }
            ),
            adjustments_row=select(
                {
                    **pack,
                    "id": SQL("adjustment.id::bigint * 5 + 3"),
                    "date": SQL("adjustment.date"),
                    "hours_adjusted": SQL("adjustment.hours"),
                }
            ),
        )

    def _get_prepaid_columns(self):
        """[(column, SQL type)] of the analysis, those that addons add
        included: what each branch of its union gives, in this order."""
        return [
            ("id", "bigint"),
            ("date", "date"),
            ("partner_id", "integer"),
            ("pack_id", "integer"),
            ("order_id", "integer"),
            ("user_id", "integer"),
            ("company_id", "integer"),
            ("team_id", "integer"),
            ("ticket_id", "integer"),
            ("employee_id", "integer"),
            ("timesheet_id", "integer"),
            ("hours_sold", "float8"),
            ("hours_used", "float8"),
            ("hours_spent", "float8"),
            ("hours_no_charge", "float8"),
            ("hours_remaining", "float8"),
            ("hours_expired", "float8"),
            ("hours_rolled_over", "float8"),
            ("hours_adjusted", "float8"),
            ("hours_refunded", "float8"),
            *(
                (name, sql_type)
                for name, _expr, sql_type in self._get_prepaid_pack_columns()
                + self._get_prepaid_entry_columns()
            ),
        ]

    def _get_prepaid_pack_columns(self):
        """[(column, SQL expression on the row's pack ``sol``, SQL type)]:
        the columns that addons add to the analysis from each row's pack
        (see helpdesk_prepaid_billing_contract); none here. Cached with the
        analysis' query: fixed SQL, read from no record nor context."""
        return []

    def _get_prepaid_entry_columns(self):
        """[(column, SQL expression on the timesheet entry ``aal``, SQL
        type)]: the columns that addons add to the analysis from each row's
        entry (see helpdesk_prepaid_billing_time_type); none here. Cached
        with the analysis' query: fixed SQL, read from no record nor
        context."""
        return []
