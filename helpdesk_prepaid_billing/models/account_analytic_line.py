# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, formatLang

from .allocation import (
    HOURS_PRECISION,
    BillingTerms,
    add_to_last,
    share_spent_hours,
    take_hours,
)
from .customer_lock import lock_ticket_customers


class AccountAnalyticLine(models.Model):
    """Where an hour goes. A ticket's entry is allocated before it is
    inserted: its hours billed are decided (``_get_prepaid_billing_terms``,
    or a billing manager's ``_set_prepaid_billed_hours``), then they go to the
    ticket's pack first, then its customer's other packs oldest
    first, each valid on the entry's date; an entry larger than what a pack
    has left is split, one row per pack; what no pack can take follows the
    team's overage policy. Moving time later (the ticket changed, a pack
    cancelled or shortened, an entry edited) runs the same allocation over
    the moved entries alone."""

    _inherit = "account.analytic.line"

    # not indexed by helpdesk_mgmt_timesheet: a ticket's totals, the time
    # that follows a ticket and the time waiting for a pack are read by ticket
    ticket_id = fields.Many2one(index="btree_not_null")
    prepaid_rounding_delta = fields.Float(
        string="Billed Beyond Spent",
        readonly=True,
        copy=False,
        help="Hours billed for this entry minus the hours spent (what rounding "
        "or a multiplier adds, or takes away for no charge); set by the server "
        "only.",
    )
    prepaid_billing_reason = fields.Char(
        string="Billing Reason",
        readonly=True,
        help="Why a prepaid billing manager set the hours billed for this entry "
        "by hand; empty: the billing rules of the ticket's team decide.",
    )
    billed_hours = fields.Float(
        compute="_compute_billed_hours",
        store=True,
        precompute=True,
        help="Hours billed for this entry: the hours spent, multiplied and "
        "rounded by the billing rules (or set by a prepaid billing manager); "
        "decided by the server when the entry is allocated. What Delivered, "
        "the balance, the statement, the portal and the analysis count.",
    )

    # the customer of the pack the time is billed to, stored: the analysis
    # reads one customer's time by this index, not through the packs (whose
    # join PostgreSQL plans from the biggest customers' statistics)
    prepaid_partner_id = fields.Many2one(
        "res.partner",
        string="Prepaid Customer",
        compute="_compute_prepaid_partner_id",
        store=True,
        index="btree_not_null",
        help="The customer whose prepaid hours this line is billed to; empty "
        "when it is billed to no pack.",
    )

    @api.depends("so_line.is_prepaid_pack", "so_line.prepaid_partner_id")
    def _compute_prepaid_partner_id(self):
        for line in self:
            pack = line.so_line
            line.prepaid_partner_id = (
                pack.prepaid_partner_id if pack.is_prepaid_pack else False
            )

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

    @api.constrains("so_line", "ticket_id", "unit_amount")
    def _check_prepaid_so_line(self):
        """A ticket's hours are billed only to a pack or the overage line of
        the ticket's customer in its company, and never given back to a pack."""
        for line in self.sudo().filtered(lambda aal: aal.ticket_id and aal.so_line):
            ticket = line.ticket_id
            # the ticket's own pack was checked against its customer and
            # company when it became the ticket's (see _check_sale_line_id)
            if not (
                line.so_line == ticket.sale_line_id and line.so_line.is_prepaid_pack
            ):
                ticket._check_prepaid_billing_line(line.so_line)
            if line.unit_amount < 0:
                raise ValidationError(
                    self.env._(
                        "Time billed on ticket %(ticket)s cannot be negative: "
                        "delete or shorten the entry instead.",
                        ticket=ticket.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        ticket_ids = {vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")}
        # locked before the access check: the lock must come before the
        # transaction's first read (see customer_lock)
        lock_ticket_customers(self.env, ticket_ids)
        # the batch's tickets read together, not one query per entry
        tickets = self.env["helpdesk.ticket"].browse(ticket_ids)
        tickets._check_timesheet_access()
        vals_list = [
            self._prepare_ticket_timesheet_vals(vals, tickets) for vals in vals_list
        ]
        vals_list, more_parts = self._allocate_prepaid_vals(vals_list)
        lines = super().create(self._prepare_timesheet_amount_vals(vals_list))
        # the other parts of split entries: created too, but create() returns
        # one record per values given, as callers (JSON-RPC among them) expect
        parts = (
            super().create(self._prepare_timesheet_amount_vals(more_parts))
            if more_parts
            else self.browse()
        )
        (lines | parts)._notify_prepaid_thresholds()
        return lines

    def write(self, vals):
        if vals.get("ticket_id"):
            self.env["helpdesk.ticket"].browse(
                vals["ticket_id"]
            )._check_timesheet_access()
        vals = self._prepare_ticket_timesheet_vals(vals)
        # On a ticket, a sales order item written by a user or a client is set
        # by hand (the allocation writes its own past this method); elsewhere
        # Odoo's web client says so itself, and Odoo's rules stay Odoo's.
        edited = self.browse()
        if "so_line" in vals and "is_so_line_edited" not in vals:
            edited = self if vals.get("ticket_id") else self.filtered("ticket_id")
            if edited == self:
                vals["is_so_line_edited"] = True
        # the hours billed that a manager set stand when the hours spent are
        # corrected (the reason says why they differ)
        by_hand = {}
        if "unit_amount" in vals:
            by_hand = {
                line: line.billed_hours for line in self if line.prepaid_billing_reason
            }
        res = super().write(vals)
        for line, billed in by_hand.items():
            super(AccountAnalyticLine, line).write(
                {"prepaid_rounding_delta": billed - line.unit_amount}
            )
        if edited and edited != self:
            super(AccountAnalyticLine, edited).write({"is_so_line_edited": True})
        # time moved to another ticket (or project) is new time there: billed
        # by its team
        new_time = bool(
            (self._get_prepaid_billing_fields() | {"ticket_id", "project_id"})
            & set(vals)
        )
        if new_time or "date" in vals:
            # an edited entry alone is allocated again, its hours billed anew
            self._reallocate_prepaid_time(
                new_time=new_time, follow_ticket="ticket_id" in vals
            )
        return res

    def _check_can_write(self, values):
        """What decides the hours a ticket's entry bills and where they go
        never changes once invoiced; once a prepaid billing manager set them,
        only such a manager changes it; the sales order item is chosen by
        hand by salespeople and billing managers only."""
        res = super()._check_can_write(values)
        changed = self._get_prepaid_guarded_fields() & set(values)
        if not changed:
            return res
        lines = self.sudo().filtered("ticket_id")
        lines._check_prepaid_not_invoiced()
        if lines and {"so_line", "is_so_line_edited"} & changed:
            self._check_prepaid_so_line_rights()
        by_hand = lines.filtered("prepaid_billing_reason")
        if by_hand and not self._is_prepaid_billing_manager():
            raise AccessError(
                self.env._(
                    "A prepaid billing manager set the hours billed for %(entries)s: "
                    "ask one to change its hours, work, ticket or sales order "
                    "item, or to delete it.",
                    entries=by_hand[:1].name,
                )
            )
        return res

    def _check_prepaid_not_invoiced(self):
        """Invoiced time never changes what it bills, nor where."""
        invoiced = self.filtered(lambda line: not line._is_not_billed())
        if invoiced:
            raise UserError(
                self.env._(
                    "The time of %(entries)s is invoiced: its hours, work, "
                    "ticket and sales order item cannot change.",
                    entries=invoiced[:1].name,
                )
            )

    @api.model
    def _get_prepaid_guarded_fields(self):
        """The fields of a ticket's entry that decide what it bills and
        where: guarded once it is invoiced or billed by hand."""
        return self._get_prepaid_billing_fields() | {
            "ticket_id",
            "project_id",
            "so_line",
            "is_so_line_edited",
        }

    @api.model
    def _check_prepaid_so_line_rights(self):
        """Putting a ticket's time on a sales order item by hand (or on none)
        bypasses the allocation: salespeople's and billing managers' only."""
        if not (
            self._is_prepaid_billing_manager()
            or self.env.user.has_group("sales_team.group_sale_salesman")
        ):
            raise AccessError(
                self.env._(
                    "Only salespeople and prepaid billing managers choose the "
                    "sales order item of the time logged on a ticket."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed_by_hand(self):
        # deleted and logged again, an entry would escape a manager's decision
        if (
            self.sudo().filtered("prepaid_billing_reason")
            and not self._is_prepaid_billing_manager()
        ):
            raise AccessError(
                self.env._(
                    "A prepaid billing manager set the hours billed for this "
                    "entry: ask one to delete it."
                )
            )

    @api.model
    def _is_prepaid_billing_manager(self):
        """The current user (or the server itself) decides what is billed
        (see group_prepaid_billing_manager)."""
        return self.env.su or self.env.user.has_group(
            "helpdesk_prepaid_billing.group_prepaid_billing_manager"
        )

    @api.model
    def _prepare_ticket_timesheet_vals(self, vals, prefetch=None):
        """Fill the project and task of a timesheet logged on a ticket, so that
        a line created with only ``ticket_id`` is a timesheet of the ticket;
        what rounding bills is the server's alone to say."""
        vals = dict(vals)
        if vals.get("ticket_id") and vals.get("is_so_line_edited"):
            self._check_prepaid_so_line_rights()
        for fname in (
            "prepaid_rounding_delta",
            "billed_hours",
            "prepaid_billing_reason",
            "prepaid_partner_id",
        ):
            vals.pop(fname, None)
        if not vals.get("ticket_id"):
            return vals
        ticket = self.env["helpdesk.ticket"].browse(vals["ticket_id"])
        if prefetch is not None:
            ticket = ticket.with_prefetch(prefetch._prefetch_ids)
        if not vals.get("project_id"):
            vals["project_id"] = ticket.project_id.id
        if not vals.get("task_id") and vals["project_id"] == ticket.project_id.id:
            vals["task_id"] = ticket._get_timesheet_task().id
        return vals

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
        # The allocation decides where a ticket's time goes and it stays
        # there: a recomputation (the employee or the task changed) keeps it.
        if self.ticket_id:
            if self.so_line or not self.ticket_id.sudo().use_helpdesk_sale_timesheet:
                return self.so_line
            return self.ticket_id.sudo().sale_line_id
        return super()._timesheet_determine_sale_line()

    # what an entry bills

    @api.model
    def _get_prepaid_billing_fields(self):
        """The fields of an entry that decide the hours it bills: written,
        the entry is billed anew."""
        return {"unit_amount"}

    @api.model
    def _get_prepaid_billing_terms(self, ticket, entry):
        """How the hours spent on an entry of ``ticket`` are billed
        (allocation.BillingTerms): the ticket's team's rounding.
        ``entry``: the values of a new entry, or the entry itself. The one
        hook for what an hour of a kind of work bills (see
        helpdesk_prepaid_billing_time_type)."""
        if not ticket.team_id:
            # a ticket of no team has no billing rules: billed as spent
            return BillingTerms()
        return ticket.team_id._get_prepaid_billing_terms()

    def _set_prepaid_billed_hours(self, hours, reason):
        """Bill ``hours`` for each of these entries, for ``reason``: a
        prepaid billing manager's decision (0: no charge), told on the
        ticket's chatter; the time moves on as for an edited entry. Invoiced
        time never changes."""
        if not self._is_prepaid_billing_manager():
            raise AccessError(
                self.env._("Only prepaid billing managers may change billed hours.")
            )
        if hours < 0 or not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Give billed hours of 0 or more, and the reason for the change."
                )
            )
        lines = self.sudo()
        if any(
            not (line.ticket_id and line.ticket_id._bills_prepaid_time())
            for line in lines
        ):
            raise UserError(
                self.env._(
                    "Only the time logged on tickets whose team bills time is "
                    "billed by hand."
                )
            )
        lines._check_prepaid_not_invoiced()
        for line in lines:
            before = line.billed_hours
            super(AccountAnalyticLine, line).write(
                {
                    "prepaid_rounding_delta": hours - line.unit_amount,
                    "prepaid_billing_reason": reason.strip(),
                }
            )
            line.ticket_id.message_post(
                body=self.env._(
                    "%(user)s billed %(hours)s h instead of %(before)s h for "
                    "the entry “%(entry)s” of %(date)s (%(spent)s h spent): "
                    "%(reason)s",
                    user=self.env.user.name,
                    hours=formatLang(self.env, hours, digits=2),
                    before=formatLang(self.env, before, digits=2),
                    entry=line.name,
                    date=format_date(self.env, line.date),
                    spent=formatLang(self.env, line.unit_amount, digits=2),
                    reason=reason.strip(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        # more hours may go beyond the pack, fewer give it hours back
        lines._reallocate_prepaid_time(follow_ticket=False)
        return True

    def action_set_prepaid_billed_hours(self):
        """Open the billed hours of this entry for a prepaid billing manager."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_prepaid_billing.prepaid_billed_hours_wizard_action"
        )
        action["context"] = {
            "default_timesheet_ids": self.ids,
            "default_billed_hours": self.billed_hours,
            "default_reason": self.prepaid_billing_reason,
        }
        return action

    # allocation

    @api.model
    def _allocate_prepaid_vals(self, vals_list):
        """The values of the new timesheets with their sales order item, task
        and rounding set, and the values of the other parts of the entries
        split over several packs."""
        entries = [
            vals
            for vals in vals_list
            if vals.get("ticket_id") and vals.get("project_id")
        ]
        if not entries:
            return vals_list, []
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .browse({vals["ticket_id"] for vals in entries})
        )
        # each entry's ticket, billed hours and date, and what each ticket needs
        today = fields.Date.context_today(self)
        entry_values, needs = {}, defaultdict(list)
        for vals in entries:
            ticket = tickets.browse(vals["ticket_id"]).with_prefetch(
                tickets._prefetch_ids
            )
            terms = self._get_prepaid_billing_terms(ticket, vals)
            billed = terms.bill(vals.get("unit_amount", 0.0))
            date = fields.Date.to_date(vals.get("date")) or today
            entry_values[id(vals)] = (ticket, billed, date, terms.outside_pack)
            if not vals.get("is_so_line_edited"):
                # hours outside the pack need none of its hours
                needs[ticket].append((0.0 if terms.outside_pack else billed, date))
        allocation = needs and self._prepaid_allocation(
            tickets.browse().union(*needs), needs=needs
        )
        result, more_parts = [], []
        for vals in vals_list:
            if id(vals) not in entry_values:
                result.append(vals)
                continue
            ticket, billed, date, outside_pack = entry_values[id(vals)]
            if vals.get("is_so_line_edited"):
                # on the sales order item chosen by hand, billed all the same
                result.append(
                    dict(
                        vals,
                        prepaid_rounding_delta=billed - vals.get("unit_amount", 0.0),
                    )
                )
                continue
            if vals.get("so_line"):
                # what the screen computed: accepted only if it could be billed
                ticket._check_prepaid_billing_line(
                    self.env["sale.order.line"].browse(vals["so_line"])
                )
            spent = vals.get("unit_amount", 0.0)
            parts = self._split_prepaid_hours(
                allocation,
                ticket,
                billed,
                date,
                new_time=True,
                first_pack=allocation["ticket_packs"][ticket],
                outside_pack=outside_pack,
            )
            first, *others = (
                dict(vals, **part_vals)
                for part_vals in self._prepare_prepaid_parts_vals(ticket, spent, parts)
            )
            result.append(first)
            more_parts += others
        if allocation:
            self._advance_prepaid_tickets(allocation)
        return result, more_parts

    def _reallocate_prepaid_time(self, new_time=False, follow_ticket=True):
        """Allocate these timesheets again, in date order; invoiced ones and
        those whose sales order item was set by hand stay where they are.
        ``follow_ticket``: they go to their ticket's pack first, else they
        stay on their own pack while it can hold them. ``new_time``: their
        hours changed, so they are rounded again and the block policy
        applies."""
        if new_time:
            # time kept on a sales order item set by hand is billed anew there
            for line in self.sudo().filtered(
                lambda aal: (
                    aal.ticket_id
                    and aal.is_so_line_edited
                    and aal._is_not_billed()
                    and not aal.prepaid_billing_reason
                )
            ):
                terms = self._get_prepaid_billing_terms(line.ticket_id, line)
                super(AccountAnalyticLine, line).write(
                    {
                        "prepaid_rounding_delta": terms.bill(line.unit_amount)
                        - line.unit_amount
                    }
                )
        lines = self.sudo()._filter_movable_ticket_time()
        if not lines:
            return
        allocation = self._prepaid_allocation(lines.ticket_id, moving=lines)
        # decide everything first, then write: a write would make the next
        # read recompute what depends on the packs, once per entry
        changes, new_parts = defaultdict(lambda: self.sudo().browse()), []
        for line in lines.sorted(lambda aal: (aal.date, aal.id)):
            ticket = line.ticket_id
            terms = self._get_prepaid_billing_terms(ticket, line)
            billed = (
                terms.bill(line.unit_amount)
                if new_time and not line.prepaid_billing_reason
                else line.billed_hours
            )
            first_pack = (
                allocation["ticket_packs"][ticket] if follow_ticket else line.so_line
            )
            parts = self._split_prepaid_hours(
                allocation,
                ticket,
                billed,
                line.date,
                new_time,
                first_pack,
                outside_pack=terms.outside_pack,
            )
            first, *others = self._prepare_prepaid_parts_vals(
                ticket, line.unit_amount, parts
            )
            changed = tuple(
                (name, value)
                for name, value in first.items()
                if line._fields[name].convert_to_write(line[name], line) != value
            )
            if changed:
                changes[changed] |= line
            new_parts += [line.copy_data(vals)[0] for vals in others]
        # past our own create and write: these values are the allocation's
        for changed, changed_lines in changes.items():
            super(AccountAnalyticLine, changed_lines).write(dict(changed))
        # what follows the sales order item (order, partner, invoice type)
        # written with it, in one update per row, not another one at commit
        lines.flush_recordset()
        created = super(AccountAnalyticLine, self.sudo()).create(
            self._prepare_timesheet_amount_vals(new_parts)
        )
        self._advance_prepaid_tickets(allocation)
        (lines | created)._notify_prepaid_thresholds()

    @api.model
    def _prepaid_allocation(self, tickets, moving=None, needs=None):
        """What the allocation of the time of ``tickets`` reads once: the
        packs of each ticket's customer, locked, with the hours each has left
        without the ``moving`` timesheets, and each ticket's own pack.
        ``needs`` ({ticket: [(billed hours, date)]}, new time): when each
        ticket's own pack takes all of it and keeps hours left, that pack
        alone is locked and read (see ``_get_own_packs_covering``)."""
        tickets = tickets.sudo()
        own_packs = {ticket: ticket.sale_line_id for ticket in tickets}
        covering = self._get_own_packs_covering(own_packs, needs) if needs else None
        if covering is not None:
            covering._lock_prepaid_packs()
            packs = own_packs
        else:
            by_customer = self.env["sale.order.line"]._get_prepaid_packs(
                tickets.partner_id, tickets.company_id, lock=True
            )
            packs = {
                ticket: by_customer[ticket.commercial_partner_id, ticket.company_id]
                for ticket in tickets
            }
        all_packs = self.env["sale.order.line"].sudo().union(*packs.values())
        if moving:
            # the lines that moving time leaves are locked too
            (moving.so_line - all_packs)._lock_prepaid_packs()
        left = {pack: pack.remaining_hours for pack in all_packs}
        for line in moving or []:
            if line.so_line in left:
                left[line.so_line] += line.billed_hours
        return {"packs": packs, "left": left, "ticket_packs": own_packs, "overage": {}}

    @api.model
    def _get_own_packs_covering(self, own_packs, needs):
        """The tickets' own packs to lock if each takes the new time of its
        tickets and keeps hours left (above its renewal threshold), or bills
        it as time and materials: the common case, where the customer's other
        packs need not be searched nor locked. None otherwise. Read again once
        locked: a pack changed meanwhile makes the lock fail, and the request
        is retried."""
        needed = defaultdict(float)
        for ticket, entries in needs.items():
            own = own_packs[ticket]
            if not (own and ticket._bills_prepaid_time()):
                return None
            if own._is_billed_on_timesheets():
                continue
            if not (
                own.is_prepaid_pack
                and all(own._can_take_prepaid_time(date) for _h, date in entries)
            ):
                return None
            needed[own] += sum(hours for hours, _date in entries)
        for pack, hours in needed.items():
            floor = pack._get_prepaid_auto_renew_at() or 0.0
            if pack.remaining_hours - hours <= floor + HOURS_PRECISION:
                return None
        return self.env["sale.order.line"].sudo().union(*needed)

    @api.model
    def _advance_prepaid_tickets(self, allocation):
        """Move each ticket whose own pack the allocation used up on to its
        customer's oldest valid pack with hours left."""
        today = fields.Date.context_today(self)
        left = allocation["left"]
        tickets_by_pack = defaultdict(lambda: self.env["helpdesk.ticket"].sudo())
        for ticket, own in allocation["ticket_packs"].items():
            if own not in left or left[own] > HOURS_PRECISION:
                continue
            following = allocation["packs"][ticket]._filter_prepaid_usable(today, left)
            if following:
                tickets_by_pack[following[0]] |= ticket
        for pack, tickets in tickets_by_pack.items():
            tickets._advance_prepaid_pack(pack)

    @api.model
    def _split_prepaid_hours(
        self, allocation, ticket, billed, date, new_time, first_pack, outside_pack=False
    ):
        """``[(sale line, billed hours)]`` for ``billed`` hours of ``ticket``
        dated ``date``: what ``first_pack`` then the customer's other packs
        valid on that date, oldest first, can take (their hours left are
        updated), then the overage by the team's policy; no line when the
        time is not billed. ``outside_pack``: all of it to the team's overage
        order, whatever the packs have left."""
        no_line = self.env["sale.order.line"].sudo()
        own = allocation["ticket_packs"][ticket]
        customer_packs = allocation["packs"][ticket]
        left = allocation["left"]
        valid = ((first_pack & customer_packs) | customer_packs).filtered(
            lambda p: p._can_take_prepaid_time(date)
        )
        if (
            not ticket._bills_prepaid_time()
            # no sales order item although a pack has hours: removed on
            # purpose, the ticket is not billed
            or (not own and any(left[p] > HOURS_PRECISION for p in valid))
        ):
            return [(no_line, billed)]
        if own and first_pack == own and own._is_billed_on_timesheets():
            # time and materials chosen for the ticket: all its time, as is
            return [(own, billed)]
        if outside_pack:
            overage = self._get_prepaid_overage_line(allocation, ticket, valid)
            return [(overage, billed)]
        parts, rest = take_hours(billed, [(pack, left[pack]) for pack in valid])
        for pack, hours in parts:
            left[pack] -= hours
        if not rest:
            return parts or [(valid[:1], billed)]
        return self._allocate_prepaid_overage(
            allocation, ticket, parts, rest, valid, new_time
        )

    @api.model
    def _allocate_prepaid_overage(
        self, allocation, ticket, parts, hours, valid, new_time
    ):
        """Where the ``hours`` beyond the packs go, by the team's policy;
        returns the completed ``parts``."""
        team = ticket.team_id
        policy = team.prepaid_overage_policy
        if policy == "bill":
            overage = self._get_prepaid_overage_line(allocation, ticket, valid)
            return parts + [(overage, hours)]
        if policy == "block" and new_time:
            if not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_manager"):
                raise UserError(
                    self.env._(
                        "Only %(left)s h of prepaid hours are left for %(customer)s: "
                        "%(hours)s h cannot be logged on ticket %(ticket)s. Ask a "
                        "helpdesk manager, or sell a new pack.",
                        left=formatLang(
                            self.env, sum(h for _line, h in parts), digits=2
                        ),
                        hours=formatLang(
                            self.env, sum(h for _line, h in parts) + hours, digits=2
                        ),
                        customer=ticket.commercial_partner_id.name,
                        ticket=ticket.display_name,
                    )
                )
            # an internal note for the team, not an email to the customer
            ticket.message_post(
                body=self.env._(
                    "%(user)s logged %(hours)s h beyond the prepaid hours of "
                    "%(customer)s.",
                    user=self.env.user.name,
                    hours=formatLang(self.env, hours, digits=2),
                    customer=ticket.commercial_partner_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        # allow: only the customer's last pack valid on that date goes negative;
        # without any, the time is not billed
        last = (allocation["packs"][ticket] & valid)[-1:]
        if not last:
            return parts or [(last, hours)]
        if new_time:
            self._check_prepaid_credit_hold(ticket, last, allocation["left"][last])
        allocation["left"][last] -= hours
        return add_to_last(parts, last, hours)

    @api.model
    def _check_prepaid_credit_hold(self, ticket, last, left):
        """Refuse new time on ``ticket`` while its customer is on credit hold
        (``last``: the customer's last pack, with ``left`` hours); helpdesk
        managers still log it, as under the block policy."""
        team = ticket.team_id
        if not last._is_prepaid_credit_held(team, left) or self.env.user.has_group(
            "helpdesk_mgmt.group_helpdesk_manager"
        ):
            return
        raise UserError(
            self.env._(
                "%(customer)s is on credit hold: pack %(pack)s is overdrawn by "
                "%(over)s h, more than the %(limit)s h that team %(team)s allows. "
                "No more time can be logged on ticket %(ticket)s until the "
                "customer buys hours, or a billing manager adds some to the pack "
                "or lifts the hold (the customer's Prepaid Hours tab).",
                customer=ticket.commercial_partner_id.name,
                pack=last.order_id.name,
                over=formatLang(self.env, -left, digits=2),
                limit=formatLang(
                    self.env, team._get_prepaid_credit_hold_limit(last), digits=2
                ),
                team=team.name,
                ticket=ticket.display_name,
            )
        )

    @api.model
    def _get_prepaid_overage_line(self, allocation, ticket, valid):
        """The line of the customer's overage order that bills the hours of
        ``ticket`` beyond ``valid`` (its packs valid on the time's date),
        once per allocation, locked."""
        team = ticket.team_id
        if not team.overage_product_id:
            raise UserError(
                self.env._(
                    "Team %(team)s has no overage product: time billed outside "
                    "the prepaid hours of %(customer)s cannot be logged on "
                    "ticket %(ticket)s. Ask an administrator to set one on the "
                    "team.",
                    team=team.name,
                    customer=ticket.commercial_partner_id.name,
                    ticket=ticket.display_name,
                )
            )
        customer = (ticket.commercial_partner_id, ticket.company_id, team)
        order_vals = valid._get_prepaid_overage_order_vals()
        key = customer + tuple(sorted(order_vals.items()))
        if key not in allocation["overage"]:
            line = self.env["sale.order"]._get_prepaid_overage_line(
                *customer, order_vals
            )
            # its Delivered is what concurrent agents update: locked too
            line._lock_prepaid_packs()
            allocation["overage"][key] = line
        return allocation["overage"][key]

    @api.model
    def _prepare_prepaid_parts_vals(self, ticket, spent, parts):
        """The values of the parts of an entry of ``spent`` hours of
        ``ticket`` allocated as ``parts`` ([(sales order item, hours
        billed)]): each one's share of the hours spent, what rounding adds to
        bill it, its sales order item and the task that shows it."""
        return [
            {
                "unit_amount": part_spent,
                "prepaid_rounding_delta": billed - part_spent,
                "so_line": sale_line.id,
                "task_id": ticket._get_timesheet_task(sale_line).id,
            }
            for (sale_line, billed), part_spent in zip(
                parts, share_spent_hours(spent, parts), strict=True
            )
        ]

    def _notify_prepaid_thresholds(self):
        """Check once each pack these timesheets used against the alert
        thresholds of their tickets' team."""
        packs_by_team = {}
        for line in self.sudo().filtered(lambda aal: aal.ticket_id and aal.so_line):
            team = line.ticket_id.team_id
            packs_by_team[team] = packs_by_team.get(team, line.so_line) | line.so_line
        for team, packs in packs_by_team.items():
            packs.filtered("remaining_hours_available")._notify_prepaid_thresholds(team)

    # Performance only. These overrides of hr_timesheet and sale_timesheet
    # change no rule: each spares queries or writes that core makes per entry,
    # and falls back on core's own result where its guess does not hold.

    @api.model
    def _prepare_timesheet_amount_vals(self, vals_list):
        """The values of new timesheets with their cost, in the common case
        (the employee's hourly cost, in the currency of the timesheet's
        company): hr_timesheet costs each new timesheet after inserting it,
        with a write of its own, a quarter of the time of a large batch. It
        still computes every amount and writes only those that differ (see
        ``_timesheet_postprocess_values``): the other cases (an employee rate
        of the project, another currency) stay its own, at the price of that
        write."""
        # the employee as hr_timesheet takes it, when it is given
        default_employee = self.env.context.get("default_employee_id")
        employees = (
            self.env["hr.employee"]
            .sudo()
            .browse(
                {vals.get("employee_id", default_employee) for vals in vals_list}
                - {False, None}
            )
        )
        projects = (
            self.env["project.project"]
            .sudo()
            .browse({vals.get("project_id") for vals in vals_list} - {False, None})
        )
        result = []
        for vals in vals_list:
            employee = employees.browse(
                vals.get("employee_id", default_employee)
            ).with_prefetch(employees._prefetch_ids)
            project = projects.browse(vals.get("project_id")).with_prefetch(
                projects._prefetch_ids
            )
            # the timesheet's company as hr_timesheet sets it
            company = (
                project.company_id
                or self.env["res.company"].browse(vals.get("company_id"))
                or self.env.company
            )
            currency = company.currency_id
            # a timesheet only: other analytic lines carry their own amount
            if project and employee and employee.currency_id == currency:
                cost = -(vals.get("unit_amount") or 0.0) * employee.hourly_cost
                vals = dict(vals, amount=currency.round(cost) if cost else 0.0)
            result.append(vals)
        return result

    def _timesheet_preprocess_get_accounts(self, vals):
        # sale_timesheet checks that the accounts of the sales order item's
        # distribution exist, one query per entry; they are the same for all
        # the entries of a pack: checked once per transaction
        so_line = self.env["sale.order.line"].browse(vals.get("so_line"))
        distribution = so_line.sudo().analytic_distribution
        if not distribution:
            return super()._timesheet_preprocess_get_accounts(vals)
        checked = self.env.cr.precommit.data.setdefault(
            "helpdesk_prepaid_billing.timesheet_accounts", {}
        )
        key = (next(iter(distribution)), vals.get("company_id"))
        if key not in checked:
            checked[key] = super()._timesheet_preprocess_get_accounts(vals)
        return dict(checked[key])

    def _timesheet_postprocess_values(self, values):
        # hr_timesheet costs again every entry whose accounts were written (a
        # sales order item sets them: time moved to another pack) and writes
        # each amount with a write of its own, one per entry: the amounts
        # that did not change are not written
        result = super()._timesheet_postprocess_values(values)
        for line in self:
            line_values = result[line.id]
            if "amount" in line_values and not line.currency_id.compare_amounts(
                line_values["amount"], line.amount
            ):
                del line_values["amount"]
        return result
