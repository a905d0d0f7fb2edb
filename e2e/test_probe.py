import sys

import conftest


def test_probe():
    print(conftest.__file__, [k for k in sys.modules if "conftest" in k])
    print([m.__file__ for k, m in sys.modules.items() if "conftest" in k])
