# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    prepaid_rounding_delta = fields.Float(
        string="Rounding",
        readonly=True,
        copy=False,
        help="Hours that the team's rounding adds to bill this entry.",
    )
    billed_hours = fields.Float(
        compute="_compute_billed_hours",
        help="Hours billed for this entry: the hours spent, rounded by the team.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("ticket_id"):
                self._prepare_ticket_timesheet_vals(vals)
        lines = super().create(vals_list)
        if not self.env.context.get("prepaid_allocating"):
            lines._allocate_prepaid_time(new_time=True)
        return lines

    def write(self, vals):
        if vals.get("ticket_id"):
            self._prepare_ticket_timesheet_vals(vals)
        res = super().write(vals)
        if not self.env.context.get("prepaid_allocating") and {
            "unit_amount",
            "date",
            "ticket_id",
        } & set(vals):
            self._allocate_prepaid_time(new_time=True)
        return res

    @api.depends("unit_amount", "prepaid_rounding_delta")
    def _compute_billed_hours(self):
        for line in self:
            line.billed_hours = line.unit_amount + line.prepaid_rounding_delta

    @api.depends("ticket_id.task_id")
    def _compute_task_id(self):
        res = super()._compute_task_id()
        # Hours show on the task that their pack created, except invoiced ones
        # and those whose sales order item was set by hand.
        for line in self._filter_movable_ticket_time():
            line.task_id = line.ticket_id._get_timesheet_task(line.so_line)
        return res

    @api.depends("ticket_id.use_helpdesk_sale_timesheet")
    def _compute_so_line(self):
        previous = {line: line.so_line for line in self}
        res = super()._compute_so_line()
        # When a sales order item is computed away from a timesheet, the ORM
        # marks neither the old nor the new item's delivered quantity: tell
        # both, or Delivered and the remaining hours go stale.
        moved = self.filtered(lambda line: line.so_line != previous[line])
        items = moved.so_line.union(*(previous[line] for line in moved))
        items.modified(["analytic_line_ids"])
        return res

    @api.model
    def _prepare_ticket_timesheet_vals(self, vals):
        """Fill the project and task of a timesheet logged on a ticket, so that
        a line created with only ``ticket_id`` is a timesheet of the ticket."""
        ticket = self.env["helpdesk.ticket"].browse(vals["ticket_id"])
        if not vals.get("project_id"):
            vals["project_id"] = ticket.project_id.id
        if not vals.get("task_id") and vals["project_id"] == ticket.project_id.id:
            vals["task_id"] = ticket._get_timesheet_task().id
        return vals

    def _allocate_prepaid_time(self, new_time=False):
        """Spread the ticket time of these timesheets over the customers'
        prepaid packs; invoiced ones and those whose sales order item was set
        by hand stay where they are."""
        lines_by_ticket = defaultdict(lambda: self.browse())
        for line in self._filter_movable_ticket_time():
            lines_by_ticket[line.ticket_id] |= line
        for ticket, lines in lines_by_ticket.items():
            ticket._allocate_prepaid_time(lines, new_time)

    def _filter_movable_ticket_time(self):
        """Ticket timesheets that may follow the ticket's packs: not invoiced,
        and whose sales order item was not set by hand."""
        return self.filtered(
            lambda aal: (
                aal.ticket_id
                and aal.project_id
                and not aal.is_so_line_edited
                and aal._is_not_billed()
            )
        )

    def _timesheet_determine_sale_line(self):
        # Time on a ticket is billed only when its team bills time; it stays on
        # the pack (or overage line) that the allocation chose for it.
        if self.ticket_id:
            ticket = self.ticket_id.sudo()
            if not ticket.use_helpdesk_sale_timesheet:
                return self.env["sale.order.line"]
            current = self.sudo().so_line
            if current and ticket._is_prepaid_allocation(current):
                return current
            return ticket.sale_line_id
        return super()._timesheet_determine_sale_line()
