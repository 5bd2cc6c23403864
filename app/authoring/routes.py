"""Authoring pages: the instructor's courses, upload, overview and validation report, the
editor with preview, changes, publish, revisions and roll back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import (
    Response,
    abort,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app.authoring import bp
from app.authoring.archive import UploadRefused
from app.authoring.checking import Checked, check_files, preview
from app.authoring.drafts import (
    EditConflict,
    add_media,
    add_module,
    add_version,
    create_course,
    delete_file,
    rename_module,
    save_file,
    upload_course,
)
from app.authoring.forms import (
    AddModuleForm,
    EditForm,
    MediaForm,
    NewCourseForm,
    RenameForm,
    UploadForm,
)
from app.authoring.models import CourseSource, SourceBlob, SourceFile, SourceRevision
from app.authoring.publishing import KeptVersion, publish, roll_back
from app.authoring.queries import editable_sources, revisions
from app.authoring.revisions import revision_files, text_of
from app.authoring.tree import changes
from app.content.loader import MEDIA_TYPES
from app.content.render import MEDIA_URL_PREFIX
from app.content.routes import media_response
from app.content.specs import ContentError, Problem
from app.content.versions import coverage
from app.core.auth import authorize_or_403, can
from app.core.boundary import run_service
from app.core.forms import EmptyForm
from app.core.languages import language_name
from app.core.time import now
from app.extensions import db

T = TypeVar("T")


def _source_or_404(slug: str, action: str = "authoring.edit") -> CourseSource:
    """The course's sources, if the viewer may do `action` to them (else 403)."""
    source = db.first_or_404(select(CourseSource).where(CourseSource.slug == slug))
    authorize_or_403(action, source)
    return source


def _draft_media_urls(slug: str, html: str) -> str:
    """Draft media are not published yet: point the preview at the draft's own files."""
    return html.replace(f'"{MEDIA_URL_PREFIX}{slug}/', f'"/authoring/{slug}/media/')


@bp.route("/")
@login_required
def index(upload: UploadForm | None = None, new: NewCourseForm | None = None,
          refused: list[str] | None = None) -> str:
    """The instructor's courses, with upload and new course; `refused` are the reasons an
    archive was refused, in the page's language."""
    if not can(current_user, "authoring.create", None) and not editable_sources(current_user):
        abort(403)
    return render_template("authoring/index.html", sources=editable_sources(current_user),
                           upload=upload or UploadForm(formdata=None),
                           new=new or NewCourseForm(formdata=None), refused=refused or [],
                           may_create=can(current_user, "authoring.create", None))


@bp.route("/upload", methods=["POST"])
@login_required
def upload() -> str | WerkzeugResponse:
    form = UploadForm()
    if form.validate_on_submit():
        file = form.archive.data
        try:
            revision = run_service(form, lambda: upload_course(
                current_user, file.filename or "course.zip", file.read(), now()))
        except UploadRefused as refused:
            db.session.rollback()  # not a domain error: the archive itself was refused
            return index(upload=form, refused=[reason.text(_) for reason in refused.reasons])
        if revision is not None:
            source = db.session.get(CourseSource, revision.source_id)
            assert source is not None
            flash(_("Uploaded as revision %(number)s of the draft.", number=revision.number),
                  "success")
            return redirect(url_for("authoring.overview", slug=source.slug))
    return index(upload=form)


@bp.route("/new", methods=["POST"])
@login_required
def new_course() -> str | WerkzeugResponse:
    form = NewCourseForm()
    if form.validate_on_submit() and run_service(form, lambda: create_course(
            current_user, form.slug.data or "", form.title.data or "", now())):
        return redirect(url_for("authoring.overview", slug=form.slug.data))
    return index(new=form)


@bp.route("/<slug>/")
@login_required
def overview(slug: str) -> str:
    source = _source_or_404(slug)
    files = revision_files(source.draft_revision_id)
    checked = check_files(slug, files)
    return render_template(
        "authoring/overview.html", source=source, files=sorted(files, key=_file_order),
        sizes={path: len(data) for path, data in files.items()}, checked=checked,
        unpublished=source.draft_revision_id != source.published_revision_id,
        draft=db.session.get(SourceRevision, source.draft_revision_id)
        if source.draft_revision_id else None,
        form=EmptyForm(), add=AddModuleForm(formdata=None), media=MediaForm(formdata=None),
        rename=RenameForm(formdata=None),
        coverage=coverage(checked.course) if checked.course else [],
        own_language=checked.course.language if checked.course else "")


def _file_order(path: str) -> tuple[int, str]:
    return (0 if path == "course.md" else 2 if path.startswith("media/") else 1, path)


def _editor(source: CourseSource, path: str, form: EditForm, checked: Checked,
            conflict: EditConflict | None = None, status: int = 200) -> tuple[str, int]:
    module = checked.module(path)
    body = checked.body_html(path)
    return render_template(
        "authoring/editor.html", source=source, path=path, form=form, checked=checked,
        preview_html=_draft_media_urls(source.slug, body), module=module,
        line=request.args.get("line", type=int), conflict=conflict), status


@bp.route("/<slug>/files/<path:path>", methods=["GET", "POST"])
@login_required
def edit(slug: str, path: str) -> tuple[str, int] | WerkzeugResponse:
    source = _source_or_404(slug)
    files = revision_files(source.draft_revision_id)
    text = text_of(files, path)
    if text is None:
        abort(404)
    form = EditForm()
    if request.method == "GET":
        form.text.data, form.base_revision.data = text, str(source.draft_revision_id)
        return _editor(source, path, form, check_files(slug, files))
    if not form.validate_on_submit():
        return _editor(source, path, form, check_files(slug, files), status=400)
    if request.form.get("action") == "preview":
        return _editor(source, path, form, preview(source, path, form.text.data or ""))
    return _save(source, path, form)


def _save(source: CourseSource, path: str, form: EditForm
          ) -> tuple[str, int] | WerkzeugResponse:
    try:
        save_file(current_user, source, path, form.text.data or "",
                  base_revision_id=int(form.base_revision.data or 0), now=now())
    except EditConflict as conflict:  # refused before anything was written; 409 rolls back
        form.base_revision.data = str(source.draft_revision_id)
        return _editor(source, path, form, preview(source, path, form.text.data or ""),
                       conflict=conflict, status=409)
    flash(_("Saved %(path)s in the draft.", path=path), "success")
    return redirect(url_for("authoring.edit", slug=source.slug, path=path))


@bp.route("/<slug>/files/<path:path>/preview.json", methods=["POST"])
@login_required
def live_preview(slug: str, path: str) -> Response:
    """For the editor's script: the unsaved text rendered and checked, as the page would,
    with the check panel (`report`) in the page's language."""
    source = _source_or_404(slug)
    checked = preview(source, path, request.form.get("text", ""))
    body = checked.body_html(path)
    def listed(problems: list[Problem]) -> list[dict[str, object]]:
        return [{"path": p.path, "line": p.line, "message": p.message, "code": p.code,
                 "url": url_for("authoring.edit", slug=slug, path=p.path, line=p.line)}
                for p in problems]
    panel = get_template_attribute("authoring/macros.html", "problem_list")
    return jsonify(html=_draft_media_urls(slug, body), problems=listed(checked.problems),
                   warnings=listed(checked.warnings),
                   report=str(panel(source, checked.problems, checked.warnings)))


def _carry_out(run: Callable[[], T], done: Callable[[T], str],
               refused: Callable[[ContentError], str]) -> None:
    """Run one service call: say what was done, or roll back and say why not."""
    try:
        result = run_service(None, run)
    except ContentError as error:
        db.session.rollback()  # not a domain error: the draft's files have problems
        flash(refused(error), "error")
        return
    if result is not None:
        flash(done(result), "success")


def _problems(error: ContentError) -> str:
    return ngettext("The draft has %(num)d problem: fix them first.",
                    "The draft has %(num)d problems: fix them first.", len(error.problems))


def _change(slug: str, run: Callable[[CourseSource], object], done: str) -> WerkzeugResponse:
    source = _source_or_404(slug)
    _carry_out(lambda: run(source), lambda _result: done, _problems)
    return redirect(url_for("authoring.overview", slug=slug))


@bp.route("/<slug>/modules", methods=["POST"])
@login_required
def add(slug: str) -> WerkzeugResponse:
    form = AddModuleForm()
    if not form.validate_on_submit():
        _source_or_404(slug)
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("authoring.overview", slug=slug))
    name = (form.filename.data or "").strip()
    return _change(slug, lambda s: add_module(current_user, s, name, form.title.data or "",
                                              now()), _("Added %(file)s.", file=name))


@bp.route("/<slug>/files/<path:path>/rename", methods=["POST"])
@login_required
def rename(slug: str, path: str) -> WerkzeugResponse:
    form = RenameForm()
    if not form.validate_on_submit():
        _source_or_404(slug)
        flash(_("Give the new file name."), "error")
        return redirect(url_for("authoring.overview", slug=slug))
    new_name = (form.new_name.data or "").strip()
    return _change(slug, lambda s: rename_module(current_user, s, path, new_name,
                                                 keep_id=bool(form.keep_id.data), now=now()),
                   _("Renamed %(old)s to %(new)s.", old=path, new=new_name))


@bp.route("/<slug>/files/<path:path>/versions", methods=["POST"])
@login_required
def add_translation(slug: str, path: str) -> WerkzeugResponse:
    """A new file of the draft translating `path` into the language asked for."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    language = request.form.get("language", "")
    return _change(slug, lambda s: add_version(current_user, s, path, language, now()),
                   _("Added a %(language)s version of %(path)s: translate its texts in the "
                     "editor.", language=language_name(language), path=path))


@bp.route("/<slug>/files/<path:path>/delete", methods=["POST"])
@login_required
def delete(slug: str, path: str) -> WerkzeugResponse:
    if not EmptyForm().validate_on_submit():
        abort(400)
    return _change(slug, lambda s: delete_file(current_user, s, path, now()),
                   _("Deleted %(path)s from the draft.", path=path))


@bp.route("/<slug>/media", methods=["POST"])
@login_required
def media(slug: str) -> WerkzeugResponse:
    form = MediaForm()
    if not form.validate_on_submit():
        _source_or_404(slug)
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("authoring.overview", slug=slug))
    file = form.media.data
    return _change(slug, lambda s: add_media(current_user, s, file.filename or "", file.read(),
                                             now()),
                   _("Uploaded %(path)s.", path=f"media/{file.filename}"))


@bp.route("/<slug>/media/<digest>/<path:name>")
@login_required
def draft_media(slug: str, digest: str, name: str) -> WerkzeugResponse:
    source = _source_or_404(slug, "authoring.preview")
    row = db.session.execute(
        select(SourceBlob.data, SourceBlob.sha256)
        .join(SourceFile, SourceFile.sha256 == SourceBlob.sha256)
        .join(SourceRevision, SourceRevision.id == SourceFile.revision_id)
        .where(SourceRevision.source_id == source.id, SourceFile.path == f"media/{name}",
               SourceBlob.sha256.startswith(digest)).limit(1)).one_or_none()
    if row is None or len(digest) < 16:
        abort(404)
    suffix = "." + name.rsplit(".", 1)[-1].lower()
    return media_response(row.data, MEDIA_TYPES.get(suffix, "application/octet-stream"))


@bp.route("/<slug>/preview/")
@bp.route("/<slug>/preview/<path:path>")
@login_required
def learner_preview(slug: str, path: str | None = None) -> str:
    source = _source_or_404(slug, "authoring.preview")
    checked = check_files(slug, revision_files(source.draft_revision_id))
    if checked.course is None:
        abort(404)
    modules = checked.course.modules
    module = checked.module(path) if path else (modules[0] if modules else None)
    if path and module is None:
        abort(404)
    return render_template(
        "authoring/preview.html", source=source, course=checked.course, module=module,
        body=_draft_media_urls(slug, module.body_html if module else
                               checked.course.landing_html), problems=checked.problems)


@bp.route("/<slug>/changes")
@login_required
def changes_page(slug: str) -> str:
    source = _source_or_404(slug)
    found = changes(revision_files(source.published_revision_id),
                    revision_files(source.draft_revision_id))
    return render_template("authoring/changes.html", source=source, changes=found,
                           form=EmptyForm())


@bp.route("/<slug>/publish", methods=["POST"])
@login_required
def publish_draft(slug: str) -> str | WerkzeugResponse:
    source = _source_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    _carry_out(lambda: publish(current_user, source, now()),
               lambda summary: _("Published. %(summary)s", summary=summary.text()),
               lambda error: _("Not published. %(problems)s", problems=_problems(error)))
    return redirect(url_for("authoring.overview", slug=slug))


@bp.route("/<slug>/revisions")
@login_required
def revisions_page(slug: str) -> str:
    source = _source_or_404(slug)
    return render_template("authoring/revisions.html", source=source,
                           revisions=revisions(source), form=EmptyForm())


def _rolled_back(number: int, new: SourceRevision, kept: list[KeptVersion]) -> str:
    done = _("Rolled back: revision %(new)s holds the files of revision %(old)s and is "
             "published.", new=new.number, old=number)
    if not kept:
        return done
    versions = "; ".join(_("%(file)s keeps version %(version)s", file=k.filename,
                           version=k.version) for k in kept)
    return _("%(done)s Module versions never go down: %(versions)s.", done=done,
             versions=versions)


@bp.route("/<slug>/revisions/<int:number>/rollback", methods=["POST"])
@login_required
def rollback(slug: str, number: int) -> WerkzeugResponse:
    source = _source_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    revision = db.first_or_404(select(SourceRevision).where(
        SourceRevision.source_id == source.id, SourceRevision.number == number))

    # The problems themselves stay English, as the validator writes them.
    _carry_out(lambda: roll_back(current_user, source, revision, now()),
               lambda result: _rolled_back(number, *result),
               lambda error: _("Revision %(number)s cannot be published again: %(problems)s",
                               number=number,
                               problems="; ".join(str(p) for p in error.problems[:3])))
    return redirect(url_for("authoring.revisions_page", slug=slug))
