# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customers' locks: infrastructure, no billing rule. The allocations of
one customer's time (a commercial partner in a company) run one after the
other, so that two agents cannot both use a pack's last hours and neither is
refused for it.

Under Odoo's repeatable read, a transaction sees what was committed before
its first read. So where a transaction holds a customer depends on whether it
has read yet:

- it has read (a web client's request, which authenticates first, or a
  second entry): it takes the customer on its own connection at once, or
  fails at once with PostgreSQL's *lock not available*, a conflict that Odoo
  retries (an import reports it on its row). The next try of the request
  waits for the customer before it reads (``wait_for_customers``, called by
  ``ir.http``);
- it has read nothing yet (an API call, a retried request): a connection of
  its own reads the customers and waits for them, then holds them until the
  transaction ends; the transaction's first read comes after, and sees the
  other agents' entries.

The locks are PostgreSQL transaction advisory locks, released when their
transaction ends: they work through PgBouncer in transaction mode. The extra
connection is taken only by a transaction that has read nothing yet, never
by one that has.

Entry points: ``lock_ticket_customers(env, ticket_ids)`` for an allocation,
``lock_pack_customers(env, pack_ids)`` for an adjustment of packs,
``wait_for_customers(env, keys)`` for a retried request."""

import hashlib

from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from odoo.http import request
from odoo.tools import SQL

LOCKS = "helpdesk_prepaid_billing.locks"


def lock_key(partner_id, company_id):
    """The advisory lock key of a customer (commercial partner) in a company:
    the same in every process, apart from other modules' keys."""
    digest = hashlib.blake2b(
        f"helpdesk_prepaid_billing/{partner_id}/{company_id}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_ticket_customers(env, ticket_ids):
    """Hold the customers of these tickets (of teams that bill time) until
    this transaction ends, so that no other transaction allocates their time
    meanwhile."""
    if not ticket_ids:
        return

    def current_keys():
        return {
            lock_key(ticket.commercial_partner_id.id, ticket.company_id.id)
            for ticket in env["helpdesk.ticket"].sudo().browse(ticket_ids)
            if ticket.use_helpdesk_sale_timesheet and ticket.commercial_partner_id
        }

    _lock_customers(
        env, lambda cursor: _read_billed_customer_keys(cursor, ticket_ids), current_keys
    )


def lock_pack_customers(env, pack_ids):
    """Hold the customers of these packs until this transaction ends: a
    billing manager's adjustment and the agents' entries on the same packs
    run one after the other, as the entries do among themselves."""
    if not pack_ids:
        return

    def current_keys():
        return {
            lock_key(pack.prepaid_partner_id.id, pack.company_id.id)
            for pack in env["sale.order.line"].sudo().browse(pack_ids)
            if pack.prepaid_partner_id
        }

    _lock_customers(
        env, lambda cursor: _read_pack_customer_keys(cursor, pack_ids), current_keys
    )


def _lock_customers(env, read_keys, current_keys):
    """Hold customers until this transaction ends: if it has read nothing
    yet, those that ``read_keys(cursor)`` reads on a cursor of its own,
    waiting for them; else those that ``current_keys()`` gives, at once."""
    if env.cr.connection.info.transaction_status == TRANSACTION_STATUS_IDLE:
        # nothing read yet: this transaction's snapshot must follow the wait
        cursor = env.registry.cursor()
        try:
            keys = read_keys(cursor)
        finally:
            cursor.close()
        wait_for_customers(env, keys)
        return
    keys = current_keys()
    if keys and request:
        # for the next try of this request, if another transaction holds one
        request.prepaid_customer_keys = (
            getattr(request, "prepaid_customer_keys", set()) | keys
        )
    _take_at_once(env, keys - _held_elsewhere(env)[1])


def wait_for_customers(env, keys):
    """Wait until no other transaction holds these customers' ``keys``, then
    hold them until this transaction ends, on a connection of its own: the
    transaction, which has read nothing yet, sees what they committed."""
    if not keys:
        return
    cursor, held = _held_elsewhere(env, open_one=True)
    cursor.execute(SQL("SET LOCAL lock_timeout = 0"))
    # one order for all, so that two transactions cannot wait on each other
    for key in sorted(set(keys) - held):
        cursor.execute(SQL("SELECT pg_advisory_xact_lock(%s)", key))
        held.add(key)
    # the cursor may be the transaction's own (see _held_elsewhere)
    cursor.execute(SQL("SET LOCAL lock_timeout = DEFAULT"))


def _take_at_once(env, keys):
    """Take ``keys`` on this transaction's connection, without waiting."""
    if not keys:
        return
    # taken again after a savepoint rolled back, which released them
    env.cr.execute(
        SQL(
            "SELECT key FROM unnest(%s::bigint[]) key"
            " WHERE NOT pg_try_advisory_xact_lock(key)",
            sorted(keys),
        )
    )
    busy = [key for (key,) in env.cr.fetchall()]
    if busy:
        # PostgreSQL's own conflict, which Odoo retries and does not log
        env.cr.execute(SQL("SET LOCAL lock_timeout = 1"))
        for key in busy:
            env.cr.execute(
                SQL("SELECT pg_advisory_xact_lock(%s)", key), log_exceptions=False
            )
        env.cr.execute(SQL("SET LOCAL lock_timeout = DEFAULT"))


def _read_billed_customer_keys(cursor, ticket_ids):
    """The lock keys of these tickets' customers, for teams that bill time,
    read on ``cursor``."""
    cursor.execute(
        SQL(
            "SELECT DISTINCT ticket.commercial_partner_id, ticket.company_id"
            " FROM helpdesk_ticket ticket"
            " JOIN helpdesk_ticket_team team ON team.id = ticket.team_id"
            " WHERE ticket.id IN %s AND team.use_helpdesk_sale_timesheet"
            " AND ticket.commercial_partner_id IS NOT NULL",
            tuple(ticket_ids),
        )
    )
    return {lock_key(*customer) for customer in cursor.fetchall()}


def _read_pack_customer_keys(cursor, pack_ids):
    """The lock keys of these packs' customers, read on ``cursor``."""
    cursor.execute(
        SQL(
            "SELECT DISTINCT prepaid_partner_id, company_id FROM sale_order_line"
            " WHERE id IN %s AND prepaid_partner_id IS NOT NULL",
            tuple(pack_ids),
        )
    )
    return {lock_key(*customer) for customer in cursor.fetchall()}


def _held_elsewhere(env, open_one=False):
    """The connection that holds customers for this transaction, and their
    keys: opened by the first wait, closed (which releases them) when the
    transaction ends. A savepoint rolled back forgets ``precommit.data``,
    not these locks: kept with the hook that closes it. Where the registry's
    cursors share this transaction's connection (Odoo's HTTP tests run every
    request on one), the locks are held on the transaction's own cursor,
    released with it, and taken again at each call."""
    data = env.cr.postrollback.data
    if LOCKS not in data:
        if not open_one:
            return None, set()
        cursor = env.registry.cursor()
        if cursor.connection is env.cr.connection:
            cursor.close()
            return env.cr, set()
        env.cr.postcommit.add(cursor.close)
        env.cr.postrollback.add(cursor.close)
        data[LOCKS] = (cursor, set())
    return data[LOCKS]
