"""What the programme, intake and deadline forms say, read into the services' plans: the
fields of the form, and the rows posted per course, per person and per module."""

from __future__ import annotations

from collections.abc import Sequence

from flask import request
from flask_babel import gettext as _

from app.auth.models import User
from app.content.models import Course, Module
from app.core.forms import BadItem, Items, read_items
from app.intakes.forms import IntakeForm, ProgrammeForm
from app.intakes.models import INTAKE_STAFF_ROLES, Intake, Programme
from app.intakes.programmes import ProgrammePlan
from app.intakes.rules import MODALITIES, ProgrammeLine
from app.intakes.services import IntakePlan


def _position(_key: int, values: list[str]) -> int | None:
    text = (values[0] if values else "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise BadItem(_("Give a position of 1 or more, or leave it empty."))
    return int(text)


def read_courses(courses: Sequence[Course]) -> tuple[list[ProgrammeLine], Items[int, int]]:
    """The courses given a position, in that order, each with its modality."""
    positions = read_items(request.form, "course-position-", [c.id for c in courses], _position)
    modality = {c.id: request.form.get(f"course-modality-{c.id}", "virtual") for c in courses}
    ordered = sorted(positions.values.items(), key=lambda item: (item[1], item[0]))
    lines = [ProgrammeLine(course_id, modality[course_id] if modality[course_id] in MODALITIES
                           else "virtual") for course_id, _p in ordered]
    return lines, positions


def programme_plan(form: ProgrammeForm, lines: list[ProgrammeLine]) -> ProgrammePlan:
    counts = {"virtual": form.virtual_count.data or 0,
              "classroom": form.classroom_count.data or 0,
              "hands-on": form.hands_on_count.data or 0}
    return ProgrammePlan(
        code=form.code.data or "", title=form.title.data or "",
        description=form.description.data or "", courses=lines,
        requirement=form.requirement.data or "all", required_count=form.required_count.data,
        modality_counts=counts, certificate=bool(form.certificate.data))


def fill_programme_form(form: ProgrammeForm, programme: Programme) -> None:
    form.code.data, form.title.data = programme.code, programme.title
    form.description.data, form.requirement.data = programme.description, programme.requirement
    form.required_count.data, form.certificate.data = programme.required_count, \
        programme.certificate
    counts = programme.modality_counts or {}
    form.virtual_count.data = counts.get("virtual", 0)
    form.classroom_count.data = counts.get("classroom", 0)
    form.hands_on_count.data = counts.get("hands-on", 0)


def _role(_key: int, values: list[str]) -> str | None:
    role = (values[0] if values else "").strip()
    if role and role not in INTAKE_STAFF_ROLES:
        raise BadItem(_("Choose a role from the list."))
    return role or None


def read_staff(staff: Sequence[User]) -> Items[int, str]:
    return read_items(request.form, "staff-", [u.id for u in staff], _role)


def intake_plan(form: IntakeForm, team: dict[int, str]) -> IntakePlan:
    return IntakePlan(
        code=form.code.data or "", title=form.title.data or "",
        starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        timezone=form.timezone.data or "UTC", seats=form.seats.data or 0,
        virtual_days=form.virtual_days.data or 0, classroom_days=form.classroom_days.data or 0,
        hands_on_days=form.hands_on_days.data or 0, staff=team)


def fill_intake_form(form: IntakeForm, intake: Intake) -> None:
    for name in ("code", "title", "starts_on", "ends_on", "timezone", "seats", "virtual_days",
                 "classroom_days", "hands_on_days"):
        getattr(form, name).data = getattr(intake, name)


def _day(_key: int, values: list[str]) -> int | None:
    text = (values[0] if values else "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise BadItem(_("Give a day number, or leave it empty."))
    return int(text)


def read_days(modules: Sequence[Module]) -> Items[int, int]:
    return read_items(request.form, "day-", [m.id for m in modules], _day)
