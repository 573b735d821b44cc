"""Helpers of tests/test_hostile.py: hostile files, the mock's flows, the results table.

Not a test package (nothing here is named ``test_*``) and not a conftest: the suite
module imports what it needs.
"""
