"""The roles a TrainHub account can hold. A user may hold several."""

from enum import StrEnum


class Role(StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ASSESSOR = "assessor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]


ROLE_DESCRIPTIONS = {
    Role.LEARNER: "Takes courses; the default for every new account.",
    Role.INSTRUCTOR: "Writes courses, schedules sessions and follows learners.",
    Role.ASSESSOR: "Grades essays and signs off hands-on checklists in assigned courses.",
    Role.ADMIN: "Manages accounts, roles and course assignments.",
}
