from tests.certificates.conftest import gxp  # noqa: F401  (the fixtures, shared)
from tests.content.conftest import write_course  # noqa: F401
from tests.learning.conftest import people, shipped  # noqa: F401
