from . import prepaid_statement_wizard
