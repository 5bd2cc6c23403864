"""Flask extensions, created unbound here and bound to an app in `create_app`."""

from typing import TYPE_CHECKING

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Flask-Mailman: the SMTP (or .eml file) connection the outbox's worker sends through.
mailman = Mail()
# Bound by app/core/compression.py, which decides which responses it compresses.
compress = Compress()
# No default limits: limits are declared where they protect something (login, later exams).
limiter = Limiter(key_func=get_remote_address)

# Feature models subclass `Model`: Flask-SQLAlchemy's `db.Model` at run time, and the typed
# declarative base for mypy, which cannot see through `db.Model`'s dynamic class.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
