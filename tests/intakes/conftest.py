"""The intakes tests' network: a centre, its people, courses, programme and intake."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from app.auth.models import User
from app.content.models import Course
from tests.intakes.network import Network, build_network


@pytest.fixture
def network(make_course: Callable[..., Course], make_user: Callable[..., User],
            clock: Callable[[], datetime]) -> Network:
    return build_network(make_course, make_user, clock)
