"""Fixtures: people from the learning tests."""

from tests.learning.conftest import people, shipped  # noqa: F401  (the fixtures, shared)
