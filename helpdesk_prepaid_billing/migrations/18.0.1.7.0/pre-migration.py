# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def migrate(cr, version):
    # The customer of the pack each analytic line is billed to, made and
    # filled in one query from the packs' stored columns, rather than
    # computed by Odoo for every analytic line of the database
    # (account.analytic.line._compute_prepaid_partner_id).
    cr.execute(
        "ALTER TABLE account_analytic_line"
        " ADD COLUMN IF NOT EXISTS prepaid_partner_id integer"
    )
    cr.execute(
        """
        UPDATE account_analytic_line aal
           SET prepaid_partner_id = CASE
                WHEN sol.is_prepaid_pack THEN sol.prepaid_partner_id
           END
          FROM sale_order_line sol
         WHERE sol.id = aal.so_line
           AND (sol.is_prepaid_pack OR aal.prepaid_partner_id IS NOT NULL)
        """
    )
