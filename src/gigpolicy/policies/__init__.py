"""The built-in marketplace policies, one module per marketplace."""
