# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customers' locks: infrastructure, no billing rule. The allocations of
one customer's time (a commercial partner in a company) run one after the
other, so that two agents cannot both use a pack's last hours and neither is
refused for it.

Under Odoo's repeatable read, an agent who waits for another's entry fails
once that one commits (its snapshot predates it) and the whole request is
tried again, refused after 5 tries. So a transaction that has read nothing
yet (an API call) waits for the customer before its first read, and its
snapshot sees the other entry. One that has read already (a web client's
request, which authenticates first) would wait for nothing but that failure:
it fails at once if another transaction holds the customer, and the next try
of its request waits before it reads (``ir.http``).

The locks are PostgreSQL advisory locks, held by a connection of their own
so that they can be taken before the transaction's first read, and released
when the transaction ends: one more connection per request that logs billed
time, none for the others.

Entry points: ``lock_ticket_customers(env, ticket_ids)`` and, for the retried
request, ``lock_keys(env, keys)``."""

import hashlib

import psycopg2
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
    """Wait until no other transaction allocates time of the customers of
    these tickets (of teams that bill time), and hold them until this
    transaction ends."""
    if not ticket_ids:
        return
    read_already = env.cr.connection.info.transaction_status != TRANSACTION_STATUS_IDLE
    if read_already:
        tickets = env["helpdesk.ticket"].sudo().browse(ticket_ids)
        customers = {
            (ticket.commercial_partner_id.id, ticket.company_id.id)
            for ticket in tickets
            if ticket.use_helpdesk_sale_timesheet and ticket.commercial_partner_id
        }
    else:
        # read on the locks' connection: this one's snapshot is not taken yet
        customers = _read_billed_customers(_lock_cursor(env)[0], ticket_ids)
    keys = {lock_key(*customer) for customer in customers}
    if keys and read_already and request:
        # for the next try of this request (see the module's docstring)
        request.prepaid_customer_keys = (
            getattr(request, "prepaid_customer_keys", set()) | keys
        )
    lock_keys(env, keys, wait=not read_already)


def lock_keys(env, keys, wait=True):
    """Take the advisory locks ``keys`` that this transaction does not hold
    yet, in one order for all, so that two batches cannot wait on each other.
    Without ``wait``, a lock held by another transaction fails at once (lock
    not available), a conflict that Odoo retries, not an error to log."""
    if not keys:
        return
    cursor, held = _lock_cursor(env)
    missing = sorted(set(keys) - held)
    if not missing:
        return
    cursor.execute(SQL("SET LOCAL lock_timeout = %s", 0 if wait else 1))
    try:
        for key in missing:
            cursor.execute(
                SQL("SELECT pg_advisory_xact_lock(%s)", key), log_exceptions=False
            )
            held.add(key)
    except psycopg2.errors.LockNotAvailable:
        # The locks' transaction is aborted: ended here (its keys released),
        # so that a caller that goes on (an import row's savepoint caught the
        # error) takes them again, rather than failing on a dead connection.
        if cursor is not env.cr:
            cursor.rollback()
            held.clear()
        raise
    # the cursor may be the transaction's own (HTTP tests)
    cursor.execute(SQL("SET LOCAL lock_timeout = DEFAULT"))


def _read_billed_customers(cursor, ticket_ids):
    """{(commercial partner id, company id)} of these tickets of teams that
    bill time, read on ``cursor``."""
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
    return set(cursor.fetchall())


def _lock_cursor(env):
    """The cursor that holds this transaction's customer locks, and the keys
    it holds: a connection of its own, opened at the first need and rolled
    back (which releases the locks) when this transaction ends. Kept with
    that hook: a savepoint rolled back forgets ``precommit.data``, not the
    locks. Odoo's HTTP tests run every request on the test's connection, one
    at a time, and never end its transaction: there the locks are taken on
    it (granted at once, no other connection takes them)."""
    cr = env.cr
    data = cr.postrollback.data
    if LOCKS not in data:
        cursor = None
        if not env.registry.in_test_mode():
            cursor = env.registry.cursor()
            cr.postcommit.add(cursor.close)
            cr.postrollback.add(cursor.close)
        data[LOCKS] = (cursor, set())
    cursor, held = data[LOCKS]
    return (cr if cursor is None else cursor), held
