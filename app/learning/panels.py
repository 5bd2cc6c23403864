"""Panels other features add to learning's pages, without learning knowing them: the
learner's dashboard, the slots of a lesson (a quiz where its fence was), and the staff pages
of a course that its "Manage course" page lists. Each feature adds its panels in its own
init_app.

Each panel function runs a fixed number of statements (the pages' budgets count them)
and returns nothing when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.models import User
from app.core.auth import can
from app.core.registry import Hooks
from app.core.roles import Role
from app.core.zones import format_date
from app.learning.outline import ModuleInfo
from app.learning.queries import (
    CourseView,
    requests_by_course,
    staff_counts,
    staff_roles_by_course,
)


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


DashboardPanel = Callable[[User, datetime], Panel | None]
DASHBOARD_PANELS: Hooks[DashboardPanel] = Hooks("dashboard panels")


def centres_panel(user: User, _now: datetime) -> Panel | None:
    """The centres where the viewer holds a role, with links to their pages: one statement,
    two when there are some (the network administrator has the Centres menu instead)."""
    from app.centres.queries import my_centres

    centres = my_centres(user)
    return Panel("centres/dashboard_panel.html", {"centres": centres}) if centres else None


def dashboard_panels(user: User, now: datetime) -> list[Panel]:
    return [panel for make in DASHBOARD_PANELS.all() if (panel := make(user, now)) is not None]


# (module, viewer id, now) -> what to show at the top of the module page, near its title, or
# None. Read on the hot lesson page: none of them runs a statement for a module it has
# nothing to say about.
ModuleHeadPanel = Callable[[ModuleInfo, int, datetime], Panel | None]
MODULE_HEAD_PANELS: Hooks[ModuleHeadPanel] = Hooks("module head panels")


def module_head_panels(module: ModuleInfo, viewer_id: int, now: datetime) -> list[Panel]:
    return [panel for make in MODULE_HEAD_PANELS.all()
            if (panel := make(module, viewer_id, now)) is not None]


@dataclass(frozen=True)
class SlotPanel:
    """What fills one slot of a lesson: `template`, rendered with `panel` in its context."""

    template: str
    panel: Any


# (module, viewer id) -> the panels for the module's slots, by slot id.
ModulePanels = Callable[[ModuleInfo, int], Mapping[str, SlotPanel]]
MODULE_PANELS: Hooks[ModulePanels] = Hooks("module panels")


def module_panels(module: ModuleInfo, viewer_id: int) -> dict[str, SlotPanel]:
    return {slot: panel for make in MODULE_PANELS.all()
            for slot, panel in make(module, viewer_id).items()}


@dataclass(frozen=True)
class StaffLink:
    """One staff page of a course, as its "Manage course" page lists it: what it is for in
    one line and, where it is cheap to count, how much waits there ("2 requests to join")."""

    title: str
    description: str
    url: str
    count: int | None = None
    counted: str = ""  # what the count counts, agreeing with it: "request to join"


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


# (the course as the viewer sees it, the viewer, now) -> the feature's staff pages of the
# course that the viewer may open, each decided by the policy its page checks. A provider
# runs a fixed number of statements, whatever the course holds.
StaffLinks = Callable[[CourseView, User, datetime], Sequence[StaffLink]]
STAFF_LINKS: Hooks[StaffLinks] = Hooks("course staff links")


def staff_links(view: CourseView, viewer: User, now: datetime) -> list[StaffLink]:
    """Every staff page of the course the viewer may open, in the order features were set
    up; empty for anyone who is not staff of the course (nor an administrator)."""
    return [link for provide in STAFF_LINKS.all() for link in provide(view, viewer, now)]


def learning_staff_links(view: CourseView, viewer: User, _now: datetime) -> list[StaffLink]:
    """The roster (with its requests to join), the course staff, and every module as staff
    see it."""
    slug, links = view.course.slug, []
    manages = can(viewer, "course.manage", view)
    assigns = can(viewer, "course.assign_staff", view)
    requests, staff = staff_counts(view.course.id) if manages or assigns else (0, 0)
    if manages:
        links.append(StaffLink(
            _("Roster and requests"), _("Every learner's progress module by module, filtered "
                                        "by country or organisation, as a CSV too; accept or "
                                        "decline requests to join."),
            url_for("learning.course_roster", course_slug=slug), requests,
            # Translators: follows the number, as in "2 requests to join waiting".
            ngettext("request to join waiting", "requests to join waiting", requests)))
    if assigns:
        links.append(StaffLink(
            _("Course staff"), _("Assign the instructors and assessors of this course."),
            url_for("learning.course_staff", course_slug=slug), staff,
            # Translators: follows the number, as in "3 people on the staff".
            ngettext("person on the staff", "people on the staff", staff)))
    if view.modules and can(viewer, "course.preview", view):
        links.append(StaffLink(
            _("Preview the modules"), _("Open any module without enrolling, with the "
                                        "facilitator notes that learners never see."),
            url_for("learning.module", course_slug=slug, module_slug=view.modules[0].slug)))
    return links


# --- the staff's "To do" --------------------------------------------------------------------

# Each kind of work lists this many courses or sessions at most; the count says the rest.
TODO_LIMIT = 20


@dataclass(frozen=True)
class StaffScope:
    """The courses whose work a staff member sees: their roles on each course's staff, or
    every course for an administrator. Read once for the page and handed to every provider."""

    viewer: User
    roles: Mapping[int, frozenset[str]]
    everything: bool = False

    def courses(self, role: str) -> frozenset[int] | None:
        """The courses whose `role` work the viewer sees: None means every course (an
        administrator's), else those where they hold the role."""
        return None if self.everything else self.assigned(role)

    def assigned(self, role: str) -> frozenset[int]:
        """The courses where the viewer holds `role`, administrator or not (only a course's
        assessors sign off its hands-on work)."""
        return frozenset(course for course, held in self.roles.items() if role in held)


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for the viewer: what it is, how many, where to do it, and a line
    saying since when or for which course."""

    title: str
    url: str
    count: int
    counted: str  # agreeing with the count: "essay to grade"
    note: str = ""


# (the viewer's scope, now) -> what waits for them in the feature, in a fixed number of
# statements whatever the number of courses; empty when nothing waits.
TodoItems = Callable[[StaffScope, datetime], Sequence[TodoItem]]
TODO_ITEMS: Hooks[TodoItems] = Hooks("staff to-do items")

STAFF_ROLES = (Role.INSTRUCTOR, Role.ASSESSOR, Role.ADMIN)


def is_staff(user: User) -> bool:
    return any(user.has_role(role) for role in STAFF_ROLES)


def todo_items(viewer: User, now: datetime) -> list[TodoItem]:
    """Everything waiting for a staff member, in the order features were set up; nothing,
    and no statement, for anyone who holds no staff role."""
    if not is_staff(viewer):
        return []
    scope = StaffScope(viewer, staff_roles_by_course(viewer.id), viewer.has_role(Role.ADMIN))
    return [item for provide in TODO_ITEMS.all() for item in provide(scope, now)]


def learning_todo(scope: StaffScope, _now: datetime) -> list[TodoItem]:
    """Requests to join waiting, one line per course the viewer manages (instructors of the
    course, administrators), the oldest request first."""
    courses = scope.courses("instructor")
    if courses is not None and not courses:
        return []
    return [TodoItem(
        _("Requests to join %(course)s", course=row.title),
        url_for("learning.course_roster", course_slug=row.slug) + "#requests", row.waiting,
        # Translators: follows the number, as in "2 requests waiting".
        ngettext("request waiting", "requests waiting", row.waiting),
        _("the oldest sent on %(date)s",
          date=format_date(row.oldest, scope.viewer.timezone or "UTC")))
        for row in requests_by_course(courses, TODO_LIMIT)]
