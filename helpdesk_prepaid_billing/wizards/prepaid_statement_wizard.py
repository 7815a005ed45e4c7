# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class PrepaidStatementWizard(models.TransientModel):
    _name = "prepaid.statement.wizard"
    _description = "Print a customer's prepaid hours statement"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    statement_file = fields.Binary(readonly=True, attachment=False)
    statement_filename = fields.Char()

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self.filtered(lambda w: w.date_from and w.date_to):
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period ends before it starts."))

    def action_print(self):
        self.ensure_one()
        packs = self._get_packs()
        return self.env.ref(
            "helpdesk_prepaid_billing.action_report_prepaid_statement"
        ).report_action(
            packs,
            data={
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            },
        )

    def action_export_xlsx(self):
        """Download the statement as a spreadsheet, for the accountant."""
        self.ensure_one()
        packs = self._get_packs()
        customer = self.partner_id.commercial_partner_id.name
        self.write(
            {
                "statement_file": base64.b64encode(
                    self.env[
                        "report.helpdesk_prepaid_billing.report_prepaid_statement"
                    ]._render_xlsx(packs, self.date_from, self.date_to)
                ),
                "statement_filename": self.env._(
                    "Prepaid hours statement %(customer)s.xlsx", customer=customer
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}"
            "&field=statement_file&filename_field=statement_filename&download=true",
            "target": "self",
        }

    def _get_packs(self):
        packs = self.partner_id._get_prepaid_pack_lines()
        if not packs:
            raise UserError(
                self.env._(
                    "%(customer)s has no prepaid hours.",
                    customer=self.partner_id.commercial_partner_id.name,
                )
            )
        return packs
