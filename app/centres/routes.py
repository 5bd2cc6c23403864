"""The centre pages: the network administrator's list, creation and editing of centres;
each centre's page with the people holding roles there, for its staff."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.auth.services import find_user_by_email
from app.centres import bp
from app.centres.catalogue import (
    catalogue_courses,
    offer_course,
    share_course,
    withdraw_course,
)
from app.centres.forms import CentreForm, GrantRoleForm, LogoForm, RemoveRoleForm, role_label
from app.centres.models import Centre
from app.centres.queries import all_centres, centre_or_404, centres_by_id, role_holders
from app.centres.scope import may_staff_centre, staff_centre_ids
from app.centres.services import create_centre, set_logo, update_centre
from app.centres.staff import grant_centre_role, remove_centre_role
from app.centres.theme import theme_for
from app.core.auth import authorize_or_403, can
from app.core.boundary import ran_service, run_service
from app.core.countries import country_name
from app.core.errors import ValidationError
from app.core.forms import EmptyForm
from app.core.languages import language_name
from app.core.time import now


@bp.route("/")
@login_required
def index() -> str:
    ids = staff_centre_ids(current_user)
    if ids is not None and not ids:
        abort(403)
    centres = all_centres() if ids is None else centres_by_id(ids)
    return render_template("centres/index.html", centres=centres, country_name=country_name,
                           may_create=can(current_user, "centre.manage"))


def _form_page(form: CentreForm, centre: Centre | None, logo_form: LogoForm | None = None
               ) -> str:
    return render_template("centres/edit.html", form=form, centre=centre,
                           logo_form=logo_form or LogoForm(prefix="l"),
                           centre_theme=theme_for(centre) if centre else None)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    authorize_or_403("centre.manage")
    form = CentreForm()
    if request.method == "GET":
        form.languages.data = ["en"]
    if form.validate_on_submit():
        centre = run_service(form, lambda: create_centre(current_user, form.details(), now()))
        if centre is not None:
            flash(_("Centre %(name)s created.", name=centre.name), "success")
            return redirect(url_for("centres.centre", code=centre.code))
    return _form_page(form, None)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str) -> str | Response:
    centre = centre_or_404(code)
    authorize_or_403("centre.manage", centre)
    form = CentreForm(obj=centre if request.method == "GET" else None)
    if form.validate_on_submit():
        changed = run_service(form, lambda: update_centre(current_user, centre, form.details(),
                                                          now()))
        if changed is not None:
            flash(_("Centre %(name)s saved.", name=centre.name) if changed
                  else _("Nothing was changed."), "success" if changed else "info")
            return redirect(url_for("centres.centre", code=centre.code))
    return _form_page(form, centre)


@bp.route("/<code>/logo", methods=["POST"])
@login_required
def change_logo(code: str) -> str | Response:
    centre = centre_or_404(code)
    authorize_or_403("centre.manage", centre)
    logo_form = LogoForm(prefix="l")
    if logo_form.validate_on_submit():
        upload = logo_form.logo.data
        data = None if logo_form.remove.data else (upload.read() if upload else b"")
        if data == b"":
            logo_form.logo.errors = [_("Choose a PNG or JPEG file.")]
        elif ran_service(logo_form, lambda: set_logo(current_user, centre, data, now())):
            flash(_("Logo saved.") if data else _("Logo removed."), "success")
            return redirect(url_for("centres.edit", code=centre.code))
    return _form_page(CentreForm(obj=centre), centre, logo_form)


def _centre_page(centre: Centre, grant_form: GrantRoleForm | None = None) -> str:
    return render_template(
        "centres/centre.html", centre=centre, holders=role_holders(centre.id),
        courses=catalogue_courses(centre), course_form=EmptyForm(),
        may_offer=can(current_user, "centre.manage_catalogue", centre),
        grant_form=grant_form or GrantRoleForm(), remove_form=RemoveRoleForm(),
        may_assign=can(current_user, "centre.assign_roles", centre),
        may_edit=can(current_user, "centre.manage", centre), role_label=role_label,
        country_name=country_name, language_name=language_name,
        centre_theme=theme_for(centre))


@bp.route("/<code>/")
@login_required
def centre(code: str) -> str:
    centre = centre_or_404(code)
    if not may_staff_centre(current_user, centre.id):
        abort(403)
    return _centre_page(centre)


@bp.route("/<code>/roles", methods=["POST"])
@login_required
def grant(code: str) -> str | Response:
    centre = centre_or_404(code)
    authorize_or_403("centre.assign_roles", centre)
    form = GrantRoleForm()
    if form.validate_on_submit():
        person = find_user_by_email(form.email.data or "")

        def give() -> bool:
            if person is None:
                raise ValidationError(_("No account has this e-mail address."), field="email")
            return grant_centre_role(current_user, centre, person, form.role.data or "", now())

        granted = run_service(form, give)
        if granted is not None and person is not None:
            flash(_("%(name)s is %(role)s at %(centre)s.", name=person.name,
                    role=role_label(form.role.data or ""), centre=centre.name)
                  if granted else _("%(name)s held this role already.", name=person.name),
                  "success" if granted else "info")
            return redirect(url_for("centres.centre", code=centre.code))
    return _centre_page(centre, form)


@bp.route("/<code>/roles/<int:user_id>/<role>/remove", methods=["POST"])
@login_required
def remove(code: str, user_id: int, role: str) -> Response:
    from app.auth.services import get_user

    centre = centre_or_404(code)
    authorize_or_403("centre.assign_roles", centre)
    person = get_user(user_id)
    form = RemoveRoleForm()
    if form.validate_on_submit() and ran_service(None, lambda: remove_centre_role(
            current_user, centre, person, role, now())):
        flash(_("%(name)s is no longer %(role)s at %(centre)s.", name=person.name,
                role=role_label(role), centre=centre.name), "success")
    return redirect(url_for("centres.centre", code=centre.code))


# The centre's catalogue: share its own courses, offer or withdraw other centres' shared ones.
CATALOGUE_ACTIONS = {
    "share": (lambda centre, course_id: share_course(current_user, course_id, True, now()),
              _l("The course is shared with the network.")),
    "unshare": (lambda centre, course_id: share_course(current_user, course_id, False, now()),
                _l("The course is no longer shared; other centres no longer offer it.")),
    "offer": (lambda centre, course_id: offer_course(current_user, centre, course_id, now()),
              _l("The course is offered in the centre's catalogue.")),
    "withdraw": (lambda centre, course_id: withdraw_course(current_user, centre, course_id,
                                                           now()),
                 _l("The course is withdrawn from the centre's catalogue.")),
}


@bp.route("/<code>/courses/<int:course_id>/<action>", methods=["POST"])
@login_required
def course_action(code: str, course_id: int, action: str) -> Response:
    centre = centre_or_404(code)
    if action not in CATALOGUE_ACTIONS:
        abort(404)
    authorize_or_403("centre.manage_catalogue", centre)
    listed = {course.id: course for course in catalogue_courses(centre)}
    course = listed.get(course_id)
    # Sharing is the owner's; offering is for courses owned elsewhere.
    if course is None or (action in ("share", "unshare")) != course.owned_by(centre):
        abort(404)
    run, done = CATALOGUE_ACTIONS[action]
    if EmptyForm().validate_on_submit() and ran_service(None, lambda: run(centre, course_id)):
        flash(str(done), "success")
    return redirect(url_for("centres.centre", code=centre.code) + "#courses-title")
