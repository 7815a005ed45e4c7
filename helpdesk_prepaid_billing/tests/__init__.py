from . import test_prepaid_flow
from . import test_ticket_sale_line
from . import test_security
from . import test_concurrency
from . import test_prepaid_contract
from . import test_i18n
from . import test_tour
