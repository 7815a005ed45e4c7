from . import project_time_type
from . import helpdesk_ticket_team
from . import account_analytic_line
