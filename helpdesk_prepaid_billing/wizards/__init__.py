from . import prepaid_statement_wizard
from . import prepaid_billed_hours_wizard
from . import account_move_reversal
