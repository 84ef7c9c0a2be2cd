"""The built-in marketplace policies, one module per marketplace; importing this registers them."""

from gigpolicy._policy import set_default_policy
from gigpolicy.policies import fiverr, freelancer, upwork

__all__ = ["fiverr", "freelancer", "upwork"]

set_default_policy("upwork")  # the SPEC: a record without a marketplace is judged under Upwork's rules
