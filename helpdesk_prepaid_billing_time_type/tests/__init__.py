from . import test_time_type
