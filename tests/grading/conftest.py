from tests.content.conftest import write_course  # noqa: F401
from tests.learning.conftest import people  # noqa: F401
