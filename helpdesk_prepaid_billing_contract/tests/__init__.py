from . import test_retainer
from . import test_retainer_portal
