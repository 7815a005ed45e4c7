from . import prepaid_statement
from . import prepaid_hours_report
