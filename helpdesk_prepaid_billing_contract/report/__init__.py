from . import prepaid_hours_report
