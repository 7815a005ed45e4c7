# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, http
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# what one portal page shows: this many packs, each with this many of the
# tickets that used it most
PACKS_PER_PAGE = 10
TICKETS_PER_PACK = 10
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PrepaidHoursPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "prepaid_pack_count" in counters:
            values["prepaid_pack_count"] = self._get_portal_prepaid_packs(count=True)
        return values

    def _get_portal_prepaid_packs(self, domain=(), count=False, **search_kw):
        """The packs of the portal user's commercial entity, and only those,
        newest first (or their number); ``domain`` narrows them. Read as
        superuser, since customers have no access to order lines."""
        partner = request.env.user.partner_id.commercial_partner_id
        SaleOrderLine = (
            request.env["sale.order.line"].sudo().with_context(active_test=False)
        )
        domain = SaleOrderLine._prepaid_pack_domain(partner) + list(domain)
        if count:
            return SaleOrderLine.search_count(domain)
        return SaleOrderLine.search(domain, order="id desc", **search_kw)

    def _get_portal_prepaid_products(self):
        """The prepaid products that the company sells on the portal: those
        with pack sizes."""
        Product = request.env["product.product"].sudo()
        return Product.search(
            Product.product_tmpl_id._get_prepaid_product_domain()
            + [
                ("prepaid_pack_sizes", "!=", False),
                ("sale_ok", "=", True),
                ("company_id", "in", [False, request.env.company.id]),
            ]
        )

    @http.route(
        ["/my/prepaid-hours", "/my/prepaid-hours/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_prepaid_hours(self, page=1, **kw):
        # a page of packs, each with its tickets that used the most hours: the
        # page stays the same size however long the customer's history (the
        # statement has every entry)
        pager = portal_pager(
            url="/my/prepaid-hours",
            total=self._get_portal_prepaid_packs(count=True),
            page=page,
            step=PACKS_PER_PAGE,
        )
        packs = self._get_portal_prepaid_packs(
            limit=PACKS_PER_PAGE, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        partner = request.env.user.partner_id
        values.update(
            {
                "page_name": "prepaid_hours",
                "pager": pager,
                "packs": packs,
                "tickets_by_pack": packs._get_prepaid_ticket_hours(),
                "tickets_shown": TICKETS_PER_PACK,
                "can_buy": bool(self._get_portal_prepaid_products()),
                "credit_hold": partner.sudo()._get_prepaid_credit_hold(),
            }
        )
        return request.render(
            "helpdesk_prepaid_billing.portal_my_prepaid_hours", values
        )

    @http.route(
        "/my/prepaid-hours/<int:line_id>/statement",
        type="http",
        auth="user",
        website=True,
    )
    def portal_prepaid_statement(self, line_id, **kw):
        pack = self._get_portal_prepaid_pack(line_id)
        report = request.env["ir.actions.report"].sudo().with_company(pack.company_id)
        pdf = report._render_qweb_pdf(
            "helpdesk_prepaid_billing.action_report_prepaid_statement", pack.ids
        )[0]
        filename = f"{pack._get_prepaid_statement_filename()}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route(
        "/my/prepaid-hours/<int:line_id>/statement.xlsx",
        type="http",
        auth="user",
        website=True,
    )
    def portal_prepaid_statement_xlsx(self, line_id, **kw):
        pack = self._get_portal_prepaid_pack(line_id)
        return request.make_response(
            request.env[
                "report.helpdesk_prepaid_billing.report_prepaid_statement"
            ]._render_xlsx(pack),
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                (
                    "Content-Disposition",
                    content_disposition(
                        f"{pack._get_prepaid_statement_filename()}.xlsx"
                    ),
                ),
            ],
        )

    def _get_portal_prepaid_pack(self, line_id):
        """The portal user's pack ``line_id``, or Not Found: someone else's
        pack, or none, is as if it did not exist."""
        pack = self._get_portal_prepaid_packs(domain=[("id", "=", line_id)])
        if not pack:
            raise request.not_found()
        return pack

    @http.route(
        "/my/prepaid-hours/buy",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_prepaid_buy(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prepaid_hours_buy",
                "products": self._get_portal_prepaid_products(),
            }
        )
        return request.render("helpdesk_prepaid_billing.portal_prepaid_buy", values)

    @http.route(
        "/my/prepaid-hours/buy",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_prepaid_buy_post(self, product_id=None, hours=None, **kw):
        """A quotation of the chosen pack for the user's own company, opened
        on Odoo's quotation page to sign and pay. The customer is the user's:
        nothing in the request can name another one."""
        product = self._get_portal_prepaid_products().filtered(
            lambda p: str(p.id) == product_id
        )
        try:
            hours = float(hours)
        except (TypeError, ValueError):
            hours = None
        if (
            not product
            or hours not in product.product_tmpl_id._get_prepaid_pack_sizes()
        ):
            raise request.not_found()
        partner = request.env.user.partner_id
        order = (
            request.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": request.env.company.id,
                    "require_signature": True,
                    "origin": request.env._("Customer portal"),
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": request.env["sale.order.line"]
                                ._get_uom_hour()
                                ._compute_quantity(hours, product.uom_id),
                                "product_uom": product.uom_id.id,
                            }
                        )
                    ],
                }
            )
        )
        # signed, and paid online if a payment provider can take this
        # customer's payment of this amount in this currency: the providers
        # that Odoo's quotation page offers (sale's _get_payment_values)
        order.require_payment = bool(
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                order.company_id.id,
                order.partner_id.id,
                order.amount_total,
                currency_id=order.currency_id.id,
                sale_order_id=order.id,
            )
        )
        return request.redirect(order.get_portal_url())
