"""Fuzzers: short seeded runs in the test suite, long runs with ``python -m tests.fuzz``."""
