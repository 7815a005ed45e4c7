# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class PrepaidBilledHoursWizard(models.TransientModel):
    _name = "prepaid.billed.hours.wizard"
    _description = "Bill timesheet entries otherwise, with a reason"

    timesheet_ids = fields.Many2many(
        "account.analytic.line", string="Entries", required=True
    )
    billed_hours = fields.Float(
        help="Hours billed for each entry instead of what the billing rules "
        "say; 0: no charge."
    )
    reason = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        # from the Timesheets list: the selected entries
        if (
            "timesheet_ids" in fields_list
            and "timesheet_ids" not in res
            and self.env.context.get("active_model") == "account.analytic.line"
        ):
            entries = self.env["account.analytic.line"].browse(
                self.env.context.get("active_ids", [])
            )
            res["timesheet_ids"] = [fields.Command.set(entries.ids)]
            # the hours the entries bill today when they agree: an empty field
            # would read as "no charge"
            billed = set(entries.mapped("billed_hours"))
            if len(billed) == 1:
                res["billed_hours"] = billed.pop()
        return res

    def action_apply(self):
        self.ensure_one()
        if not self.timesheet_ids:
            raise UserError(self.env._("Choose the timesheet entries to bill."))
        self.timesheet_ids._set_prepaid_billed_hours(self.billed_hours, self.reason)
        return {"type": "ir.actions.act_window_close"}
