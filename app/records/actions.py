"""Every action the audit chain knows: a stable dotted name and what it means.

`record_event` refuses a name that is not here, so a feature cannot invent one by accident,
and the test of this registry shows any new one in review. `on_training_record` marks the
events that make up a learner's training record.

An action that is renamed keeps its old name in `former_names`: events already in a chain
are sealed with the name they were written under and are never rewritten, so everything
that reads the chain looks names up in `KNOWN_ACTIONS`, which knows the old names too, while
`record_event` writes only the names in `ACTIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    on_training_record: bool = False
    former_names: tuple[str, ...] = ()

    @property
    def stored_names(self) -> tuple[str, ...]:
        """Every name an event of this action may carry in a chain."""
        return (self.name, *self.former_names)


_ALL = [
    Action("user.registered", "Registered an account"),
    Action("user.created", "Account created by an administrator or the command line"),
    Action("user.role_changed", "Roles changed"),
    Action("user.profile_changed", "Profile changed"),
    Action("user.password_changed", "Password changed"),
    Action("user.password_reset", "Password reset by an administrator or the command line"),
    Action("user.deactivated", "Account deactivated"),
    Action("user.reactivated", "Account reactivated"),
    Action("user.locked_out", "Log-in locked: too many failed log-ins"),
    Action("user.unlocked", "Log-in unlocked by an administrator or the command line"),
    # Written as session.* until live sessions took that word.
    Action("login.started", "Logged in", former_names=("session.started",)),
    Action("login.ended", "Logged out", former_names=("session.ended",)),
    Action("course.imported", "Course imported"),
    Action("course.published", "Course draft published"),
    Action("course.rolled_back", "Course rolled back to an earlier revision"),
    Action("module.version_raised", "Module version raised"),
    Action("module.archived", "Module archived"),
    Action("course.staff_assigned", "Staff assigned to a course"),
    Action("course.staff_removed", "Staff removed from a course"),
    Action("enrolment.requested", "Asked to enrol"),
    Action("enrolment.created", "Enrolled", on_training_record=True),
    Action("enrolment.declined", "Enrolment request declined"),
    Action("enrolment.withdrawn", "Left the course", on_training_record=True),
    Action("module.started", "Started a module"),
    Action("module.completed", "Completed a module", on_training_record=True),
    Action("module.retraining_due", "Retraining due: the module changed",
           on_training_record=True),
    Action("course.completed", "Completed a course", on_training_record=True),
    Action("attempt.started", "Started a quiz attempt"),
    Action("attempt.submitted", "Quiz attempt submitted", on_training_record=True),
    Action("grade.changed", "Grade given or changed"),
    Action("attempt.graded", "Quiz attempt graded"),
    Action("grade.released", "Grade released", on_training_record=True),
    Action("signature.signed", "Electronic signature", on_training_record=True),
    Action("signature.refused", "Signature refused: wrong password"),
    Action("session.scheduled", "Live session scheduled"),
    Action("session.registered", "Registered for a live session"),
    Action("session.waitlisted", "Waitlisted for a live session"),
    Action("session.promoted", "Moved from the waitlist to a seat"),
    Action("session.registration_cancelled", "Cancelled a live session registration"),
    Action("attendance.recorded", "Attendance recorded", on_training_record=True),
    Action("practical.requested", "Asked for a hands-on assessment"),
    Action("practical.opened", "Hands-on assessment started"),
    Action("practical.assessed", "Hands-on assessment signed", on_training_record=True),
    Action("certificate.issued", "Certificate issued", on_training_record=True),
    Action("certificate.revoked", "Certificate revoked", on_training_record=True),
    Action("records.key_rotated", "Audit chain handed over to a new key"),
]

ACTIONS: dict[str, Action] = {action.name: action for action in _ALL}
KNOWN_ACTIONS: dict[str, Action] = {name: action for action in _ALL
                                    for name in action.stored_names}
