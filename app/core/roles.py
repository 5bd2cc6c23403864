"""The roles a TrainHub account can hold. A user may hold several."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ASSESSOR = "assessor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The role's name as a page shows it, in the page's language."""
        return str(ROLE_LABELS[self])

    @property
    def description(self) -> str:
        return str(ROLE_DESCRIPTIONS[self])


# The names of the roles an account holds, shown on badges and in lists.
ROLE_LABELS = {
    # Translators: a role an account holds (learner, instructor, assessor, admin).
    Role.LEARNER: _l("Learner"),
    Role.INSTRUCTOR: _l("Instructor"),
    Role.ASSESSOR: _l("Assessor"),
    # Translators: the role of the site's administrators.
    Role.ADMIN: _l("Admin"),
}

ROLE_DESCRIPTIONS = {
    Role.LEARNER: _l("Takes courses; the default for every new account."),
    Role.INSTRUCTOR: _l("Writes courses, schedules sessions and follows learners."),
    Role.ASSESSOR: _l("Grades essays and signs off hands-on checklists in assigned courses."),
    Role.ADMIN: _l("Manages accounts, roles and course assignments."),
}
