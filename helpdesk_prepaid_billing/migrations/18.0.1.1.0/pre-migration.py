# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def migrate(cr, version):
    # The hours billed are stored from this version on: filled here in one
    # statement, rather than computed entry by entry when the column appears.
    cr.execute(
        "ALTER TABLE account_analytic_line "
        "ADD COLUMN IF NOT EXISTS billed_hours double precision"
    )
    cr.execute(
        "UPDATE account_analytic_line "
        "SET billed_hours = unit_amount + COALESCE(prepaid_rounding_delta, 0)"
    )
