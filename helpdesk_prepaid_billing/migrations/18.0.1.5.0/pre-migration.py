# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def migrate(cr, version):
    # No pack had adjustments before this version, and only packs with
    # credit notes have hours refunded (counted in post-migration): the
    # columns are made at 0 here rather than computed line by line by Odoo.
    for column in ("prepaid_hours_adjusted", "prepaid_hours_refunded"):
        cr.execute(
            f"ALTER TABLE sale_order_line ADD COLUMN IF NOT EXISTS {column} "
            "double precision DEFAULT 0"
        )
        cr.execute(f"ALTER TABLE sale_order_line ALTER COLUMN {column} DROP DEFAULT")
