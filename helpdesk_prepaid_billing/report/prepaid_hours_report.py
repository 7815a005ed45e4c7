# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class PrepaidHoursReport(models.Model):
    """Hours sold (one row per pack) and used (one row per timesheet entry
    billed to a pack), in hours, to compare them by customer, pack, team,
    agent and month."""

    _name = "prepaid.hours.report"
    _description = "Prepaid Hours Analysis"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    pack_id = fields.Many2one("sale.order.line", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Agent", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    hours_sold = fields.Float(readonly=True)
    hours_used = fields.Float(readonly=True)
    hours_remaining = fields.Float(string="Hours Left", readonly=True)

    def init(self):
        hour = self.env.ref("uom.product_uom_hour")
        tools.drop_view_if_exists(self.env.cr, self._table)
        packs = SQL(
            """
            sale_order_line sol
            JOIN sale_order so ON so.id = sol.order_id
            JOIN res_partner partner ON partner.id = sol.order_partner_id
            JOIN product_product pp ON pp.id = sol.product_id
            JOIN product_template pt ON pt.id = pp.product_tmpl_id
            JOIN uom_uom uom ON uom.id = sol.product_uom
            """
        )
        # the domain of sale.order.line._prepaid_pack_domain()
        is_pack = SQL(
            """
            sol.state = 'sale' AND pt.type = 'service'
            AND pt.invoice_policy = 'order' AND pt.service_type = 'timesheet'
            AND uom.category_id = %s
            """,
            hour.category_id.id,
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT row_number() OVER () AS id, rows.*,
                           rows.hours_sold - rows.hours_used AS hours_remaining
                    FROM (
                        SELECT so.date_order::date AS date,
                               partner.commercial_partner_id AS partner_id,
                               sol.id AS pack_id, sol.order_id,
                               NULL::integer AS team_id, NULL::integer AS ticket_id,
                               NULL::integer AS employee_id, sol.company_id,
                               sol.product_uom_qty / uom.factor * %(hour_factor)s
                                   AS hours_sold,
                               0.0 AS hours_used
                        FROM %(packs)s
                        WHERE %(is_pack)s
                        UNION ALL
                        SELECT aal.date, partner.commercial_partner_id, sol.id,
                               sol.order_id, ticket.team_id, aal.ticket_id,
                               aal.employee_id, sol.company_id, 0.0,
                               aal.unit_amount
                                   + COALESCE(aal.prepaid_rounding_delta, 0)
                        FROM %(packs)s
                        JOIN account_analytic_line aal ON aal.so_line = sol.id
                        LEFT JOIN helpdesk_ticket ticket ON ticket.id = aal.ticket_id
                        WHERE %(is_pack)s AND aal.project_id IS NOT NULL
                    ) AS rows
                )
                """,
                view=SQL.identifier(self._table),
                hour_factor=hour.factor,
                packs=packs,
                is_pack=is_pack,
            )
        )
