"""The administrators' mail pages: the outbox (and retrying what failed), and the .eml files
written without a server."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app.core.auth import role_required
from app.core.boundary import ran_service, run_service
from app.core.forms import EmptyForm
from app.core.roles import Role
from app.core.time import now
from app.mail import bp
from app.mail.eml import list_mail_files, read_mail_file
from app.mail.queries import failed_messages, outbox_counts, retrying_messages
from app.mail.services import retry_failed, retry_message

# The HTML part of a message is shown as it would be in a mail client, and may hold what the
# message was given (a name): nothing in it may run or load, and no page may frame it but ours.
# Opened on its own, the CSP's `sandbox` keeps it in an origin of its own, as the frame does.
MESSAGE_CSP = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


def _files_shown() -> bool:
    return not current_app.config["MAIL_SERVER"]


@bp.route("/outbox")
@role_required(Role.ADMIN)
def outbox() -> str:
    return render_template("mail/admin_outbox.html", counts=outbox_counts(),
                           failed=failed_messages(), retrying=retrying_messages(),
                           files_shown=_files_shown())


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@role_required(Role.ADMIN)
def retry(message_id: int) -> Response:
    """Put one failed message back to be sent at once (a message that has not failed is
    refused, and the page says why)."""
    if EmptyForm().validate_on_submit() and ran_service(
            None, lambda: retry_message(current_user, message_id, now())):
        flash(_("The message will be tried again within a minute."), "success")
    return redirect(url_for("mail.outbox"))


@bp.route("/outbox/retry-failed", methods=["POST"])
@role_required(Role.ADMIN)
def retry_all() -> Response:
    """Put every failed message back to be sent at once."""
    if EmptyForm().validate_on_submit():
        count = run_service(None, lambda: retry_failed(current_user, now()))
        if count:
            flash(ngettext("%(num)d failed message will be tried again within a minute.",
                           "%(num)d failed messages will be tried again within a minute.",
                           count), "success")
        elif count is not None:
            flash(_("No message had failed."), "info")
    return redirect(url_for("mail.outbox"))


@bp.route("/files")
@role_required(Role.ADMIN)
def files() -> str:
    """The .eml files, newest first; only while no mail server is configured."""
    if not _files_shown():
        abort(404)
    return render_template("mail/admin_files.html", files=list_mail_files())


@bp.route("/files/<name>")
@role_required(Role.ADMIN)
def file(name: str) -> str:
    content = read_mail_file(name) if _files_shown() else None
    if content is None:
        abort(404)
    return render_template("mail/admin_file.html", content=content)


@bp.route("/files/<name>/html")
@role_required(Role.ADMIN)
def file_html(name: str) -> Response:
    """The HTML part alone, for the sandboxed frame of the message's page."""
    content = read_mail_file(name) if _files_shown() else None
    if content is None or not content.html:
        abort(404)
    response = Response(content.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = MESSAGE_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
