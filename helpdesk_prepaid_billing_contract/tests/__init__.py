from . import test_retainer
