"""The built-in marketplace policies, one module per marketplace; importing this registers them."""

from gigpolicy.policies import fiverr, freelancer, upwork

__all__ = ["fiverr", "freelancer", "upwork"]
