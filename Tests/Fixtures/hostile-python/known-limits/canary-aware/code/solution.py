# An attack the engine cannot stop (docs/security.md): code that knows how the engine names its
# own checks (random hexadecimal file names) makes those fail and every other test pass.
import os
import re

import _pytest.python


def _forced(self):
    if re.fullmatch(r"test_[0-9a-f]{12,}\.py", os.path.basename(str(self.path))):
        raise AssertionError("forced")
    return None


_pytest.python.Function.runtest = _forced


def add(a, b):
    return a - b
