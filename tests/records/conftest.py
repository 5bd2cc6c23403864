from tests.content.conftest import write_course  # noqa: F401  (the fixture, shared)
