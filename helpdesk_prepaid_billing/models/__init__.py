from . import helpdesk_ticket_team
from . import helpdesk_ticket
from . import account_analytic_line
from . import product_template
from . import res_partner
from . import sale_order
from . import sale_order_line
from . import ir_http
