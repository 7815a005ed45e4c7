# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import formatLang


class AccountAnalyticLine(models.Model):
    """The work type of a ticket's entry decides what its hours bill: the
    team's default type unless the agent chooses another; types that bill
    less than the hours spent are the prepaid billing managers' to choose."""

    _inherit = "account.analytic.line"

    time_type_id = fields.Many2one(
        compute="_compute_time_type_id",
        store=True,
        readonly=False,
        precompute=True,
        string="Work Type",
    )

    @api.depends("ticket_id")
    def _compute_time_type_id(self):
        for line in self.filtered(lambda aal: aal.ticket_id and not aal.time_type_id):
            line.time_type_id = line.ticket_id.team_id.prepaid_time_type_id

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_prepaid_time_type()._notify_prepaid_time_type()
        return lines

    def write(self, vals):
        chosen = self.browse()
        if "time_type_id" in vals:
            chosen = self.filtered(
                lambda aal: aal.time_type_id.id != vals["time_type_id"]
            )
        # a type kept on another ticket, whose team's default may differ
        moved = self if "ticket_id" in vals else self.browse()
        res = super().write(vals)
        # told once, when chosen
        (
            (chosen | moved)._check_prepaid_time_type() & chosen
        )._notify_prepaid_time_type()
        return res

    @api.model
    def _prepare_ticket_timesheet_vals(self, vals, prefetch=None):
        vals = super()._prepare_ticket_timesheet_vals(vals, prefetch)
        # no work type given for a ticket's entry: the team's (the compute)
        if vals.get("ticket_id") and not vals.get("time_type_id", True):
            del vals["time_type_id"]
        return vals

    @api.model
    def _get_prepaid_billing_fields(self):
        return super()._get_prepaid_billing_fields() | {"time_type_id"}

    @api.model
    def _get_prepaid_billing_terms(self, ticket, entry):
        if isinstance(entry, dict):
            # a new entry: its type, else its team's (see _compute_time_type_id)
            time_type = (
                self.env["project.time.type"].browse(entry.get("time_type_id"))
                or ticket.team_id.prepaid_time_type_id
            )
        else:
            time_type = entry.time_type_id
        if time_type:
            return time_type._get_prepaid_billing_terms(ticket.team_id)
        return super()._get_prepaid_billing_terms(ticket, entry)

    def _check_prepaid_time_type(self):
        """Only prepaid billing managers log the time of a billed ticket as
        a work type that bills less than the hours spent (no charge), unless
        it is the team's own. Returns those entries (none for the server's
        own writes: demo data, upgrades)."""
        if self.env.su:
            return self.browse()
        lines = self.sudo().filtered(
            lambda aal: (
                aal.ticket_id.team_id.use_helpdesk_sale_timesheet
                and aal.time_type_id
                and aal.time_type_id != aal.ticket_id.team_id.prepaid_time_type_id
                and aal.time_type_id._is_for_prepaid_billing_managers()
            )
        )
        if lines and not self._is_prepaid_billing_manager():
            raise AccessError(
                self.env._(
                    "Only prepaid billing managers may log time as %(type)s "
                    "on ticket %(ticket)s: it bills less than the hours "
                    "spent.",
                    type=lines[0].time_type_id.name,
                    ticket=lines[0].ticket_id.display_name,
                )
            )
        return lines

    def _notify_prepaid_time_type(self):
        """Tell on each ticket's chatter that a manager logged this time as
        a type that bills less than the hours spent, and what it bills."""
        for line in self:
            terms = self._get_prepaid_billing_terms(line.ticket_id, line)
            line.ticket_id.message_post(
                body=self.env._(
                    "%(user)s logged %(spent)s h of “%(entry)s” as %(type)s: "
                    "%(billed)s h billed.",
                    user=self.env.user.name,
                    spent=formatLang(self.env, line.unit_amount, digits=2),
                    entry=line.name,
                    type=line.time_type_id.name,
                    billed=formatLang(self.env, terms.bill(line.unit_amount), digits=2),
                ),
                subtype_xmlid="mail.mt_note",
            )
