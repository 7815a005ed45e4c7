# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Prepaid Billing: Work Types",
    "summary": "After-hours, on-site and no-charge time: the work type of an "
    "entry decides what it takes from the prepaid hours",
    "version": "18.0.1.1.0",
    "category": "After-Sales",
    "author": "helpdesk_prepaid_billing developers",
    "license": "AGPL-3",
    "depends": ["helpdesk_prepaid_billing", "hr_timesheet_time_type"],
    "data": [
        "security/ir.model.access.csv",
        "views/project_time_type_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/prepaid_hours_report_views.xml",
        "views/portal_templates.xml",
        "report/prepaid_statement_templates.xml",
    ],
    "demo": ["demo/helpdesk_prepaid_billing_time_type_demo.xml"],
    "auto_install": True,
    "installable": True,
}
