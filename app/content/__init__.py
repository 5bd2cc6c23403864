"""Course content: Markdown files -> typed specs -> validation -> database; media serving."""

from flask import Blueprint, Flask

bp = Blueprint("content", __name__, url_prefix="/content", cli_group="courses")

from app.content import cli, labels, queries, routes  # noqa: E402, F401
from app.core.moved import redirect_moved  # noqa: E402
from app.records.directory import COURSE_NAMES  # noqa: E402

# Lessons stored before the move (a course published in the browser and not imported
# since) link their media at /media/...: those links keep working.
OLD_ADDRESSES = {"/media/<course_slug>/<digest>/<path:name>": "content.media"}


def init_app(app: Flask) -> None:
    """Media and their old addresses, `flask courses`, and the course names records shows."""
    app.register_blueprint(bp)
    redirect_moved(app, OLD_ADDRESSES)
    COURSE_NAMES.provide(app, queries.course_names)
    app.add_template_global(labels.modality_name)
