"""Fixtures: the shipped courses, people, and the GxP course set up for blended learning."""

from __future__ import annotations

import pytest

from tests.blended import Gxp, set_up_gxp
from tests.learning.conftest import people, shipped  # noqa: F401  (the fixtures, shared)


@pytest.fixture
def gxp(shipped, people, make_user, clock) -> Gxp:  # type: ignore[no-untyped-def]  # noqa: F811
    return set_up_gxp(people, make_user, clock)
