# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class PrepaidStatementWizard(models.TransientModel):
    _name = "prepaid.statement.wizard"
    _description = "Print a customer's prepaid hours statement"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self.filtered(lambda w: w.date_from and w.date_to):
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period ends before it starts."))

    def action_print(self):
        self.ensure_one()
        packs = self.partner_id._get_prepaid_pack_lines()
        if not packs:
            raise UserError(
                self.env._(
                    "%(customer)s has no prepaid hours.",
                    customer=self.partner_id.commercial_partner_id.name,
                )
            )
        return self.env.ref(
            "helpdesk_prepaid_billing.action_report_prepaid_statement"
        ).report_action(
            packs,
            data={
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            },
        )
