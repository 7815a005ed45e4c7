# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Prepaid Billing: Retainers",
    "summary": "Hours that come every period by themselves: a prepaid pack per "
    "period of an OCA contract",
    "version": "18.0.1.1.0",
    "category": "After-Sales",
    "author": "helpdesk_prepaid_billing developers",
    "license": "AGPL-3",
    "depends": ["helpdesk_prepaid_billing", "contract_sale_generation"],
    "data": [
        "views/contract_contract_views.xml",
        "views/sale_order_views.xml",
        "views/prepaid_hours_report_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": ["demo/helpdesk_prepaid_billing_contract_demo.xml"],
    "auto_install": True,
    "installable": True,
}
