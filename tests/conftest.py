"""Hypothesis profiles for the test suite, chosen by the ``HYPOTHESIS_PROFILE`` variable.

- ``dev`` (the default): few examples, for a fast edit-test loop;
- ``ci``: many more examples, printing the blob that reproduces a failure.

Neither has a deadline: replaying a long record on a loaded CI machine is slow, not wrong.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True)
# CI's runs on the other Pythons: the interpreter is what they test, the drawn data the run above
settings.register_profile("interpreter", max_examples=10, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
