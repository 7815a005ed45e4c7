# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Prepaid Billing",
    "summary": "Deduct the time logged on helpdesk tickets from prepaid support hours",
    "version": "18.0.1.7.0",
    "category": "After-Sales",
    "author": "helpdesk_prepaid_billing developers",
    "license": "AGPL-3",
    "depends": [
        "helpdesk_mgmt_timesheet_sale",
        "sale_project",
        "sale_timesheet",
    ],
    "data": [
        "security/helpdesk_prepaid_billing_security.xml",
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/sale_order_views.xml",
        "views/sale_order_line_views.xml",
        "views/prepaid_hours_adjustment_views.xml",
        "wizards/prepaid_statement_wizard_views.xml",
        "wizards/prepaid_billed_hours_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/product_template_views.xml",
        "views/prepaid_hours_report_views.xml",
        "views/portal_templates.xml",
        "report/prepaid_statement_templates.xml",
    ],
    "demo": ["demo/helpdesk_prepaid_billing_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "helpdesk_prepaid_billing/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
