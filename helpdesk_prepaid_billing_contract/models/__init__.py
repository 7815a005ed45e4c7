from . import contract_contract
from . import contract_line
from . import sale_order
from . import sale_order_line
