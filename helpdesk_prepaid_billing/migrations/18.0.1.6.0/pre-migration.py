# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def migrate(cr, version):
    # The packs' stored columns are made and filled here, in one query each,
    # rather than computed by Odoo for every order line of the database. As
    # of this version, a pack is a confirmed line of a service invoiced on
    # the ordered quantity whose time is tracked by timesheets, sold in a
    # time unit for a positive quantity
    # (sale.order.line._get_prepaid_pack_rule_domain).
    cr.execute(
        "ALTER TABLE sale_order_line ADD COLUMN IF NOT EXISTS prepaid_partner_id"
        " integer, ADD COLUMN IF NOT EXISTS is_prepaid_pack boolean"
    )
    cr.execute(
        """
        UPDATE sale_order_line sol
           SET prepaid_partner_id = partner.commercial_partner_id
          FROM res_partner partner
         WHERE partner.id = sol.order_partner_id
        """
    )
    cr.execute(
        """
        UPDATE sale_order_line sol
           SET is_prepaid_pack = COALESCE(
                sol.state = 'sale'
                AND sol.product_uom_qty > 0
                AND tmpl.type = 'service'
                AND tmpl.invoice_policy = 'order'
                AND tmpl.service_type = 'timesheet'
                AND uom.category_id = (
                    SELECT res_id FROM ir_model_data
                     WHERE module = 'uom' AND name = 'uom_categ_wtime'
                ),
                FALSE
           )
          FROM sale_order_line line
          LEFT JOIN product_product product ON product.id = line.product_id
          LEFT JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
          LEFT JOIN uom_uom uom ON uom.id = line.product_uom
         WHERE line.id = sol.id
        """
    )
