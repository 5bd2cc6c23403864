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

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Action:
    name: str  # stored in the chain: English, never translated
    label: str | LazyString  # what a person reads, in the page's language
    on_training_record: bool = False
    former_names: tuple[str, ...] = ()

    @property
    def stored_names(self) -> tuple[str, ...]:
        """Every name an event of this action may carry in a chain."""
        return (self.name, *self.former_names)


_ALL = [
    Action("user.registered", _l("Registered an account")),
    Action("user.created", _l("Account created by an administrator or the command line")),
    Action("user.role_changed", _l("Roles changed")),
    Action("user.profile_changed", _l("Profile changed")),
    Action("user.password_changed", _l("Password changed")),
    Action("user.password_reset", _l("Password reset by an administrator or the command line")),
    Action("user.password_reset_requested", _l("Password reset link sent on request")),
    Action("user.password_reset_link_sent",
           _l("Password reset link sent by an administrator or the command line")),
    Action("user.password_reset_completed", _l("New password set through a reset link")),
    Action("user.email_verified", _l("E-mail address confirmed")),
    Action("user.deactivated", _l("Account deactivated")),
    Action("user.reactivated", _l("Account reactivated")),
    Action("user.locked_out", _l("Log-in locked: too many failed log-ins")),
    Action("user.unlocked", _l("Log-in unlocked by an administrator or the command line")),
    # Written as session.* until live sessions took that word.
    Action("login.started", _l("Logged in"), former_names=("session.started",)),
    Action("login.ended", _l("Logged out"), former_names=("session.ended",)),
    Action("course.imported", _l("Course imported")),
    Action("course.published", _l("Course draft published")),
    Action("course.rolled_back", _l("Course rolled back to an earlier revision")),
    Action("module.version_raised", _l("Module version raised")),
    Action("module.archived", _l("Module archived")),
    Action("course.staff_assigned", _l("Staff assigned to a course")),
    Action("course.staff_removed", _l("Staff removed from a course")),
    Action("enrolment.requested", _l("Asked to enrol")),
    Action("enrolment.created", _l("Enrolled"), on_training_record=True),
    Action("enrolment.declined", _l("Enrolment request declined")),
    Action("enrolment.withdrawn", _l("Left the course"), on_training_record=True),
    Action("module.started", _l("Started a module")),
    Action("module.completed", _l("Completed a module"), on_training_record=True),
    Action("module.retraining_due", _l("Retraining due: the module changed"),
           on_training_record=True),
    Action("course.completed", _l("Completed a course"), on_training_record=True),
    Action("attempt.started", _l("Started a quiz attempt")),
    Action("attempt.submitted", _l("Quiz attempt submitted"), on_training_record=True),
    Action("grade.changed", _l("Grade given or changed")),
    Action("attempt.graded", _l("Quiz attempt graded")),
    Action("grade.released", _l("Grade released"), on_training_record=True),
    Action("signature.signed", _l("Electronic signature"), on_training_record=True),
    Action("signature.refused", _l("Signature refused: wrong password")),
    Action("session.scheduled", _l("Live session scheduled")),
    Action("session.changed", _l("Live session changed")),
    Action("session.cancelled", _l("Live session cancelled")),
    Action("session.registered", _l("Registered for a live session")),
    Action("session.waitlisted", _l("Waitlisted for a live session")),
    Action("session.promoted", _l("Moved from the waitlist to a seat")),
    Action("session.registration_cancelled", _l("Cancelled a live session registration")),
    Action("attendance.recorded", _l("Attendance recorded"), on_training_record=True),
    Action("practical.requested", _l("Asked for a hands-on assessment")),
    Action("practical.opened", _l("Hands-on assessment started")),
    Action("practical.assessed", _l("Hands-on assessment signed"), on_training_record=True),
    Action("certificate.issued", _l("Certificate issued"), on_training_record=True),
    Action("certificate.revoked", _l("Certificate revoked"), on_training_record=True),
    Action("programme.created", _l("Programme created")),
    Action("programme.changed", _l("Programme changed")),
    Action("intake.created", _l("Intake created")),
    Action("intake.changed", _l("Intake changed")),
    Action("intake.deadlines_changed", _l("Intake deadlines changed")),
    Action("intake.member_added", _l("Joined an intake"), on_training_record=True),
    Action("intake.completed", _l("Completed an intake"), on_training_record=True),
    Action("records.key_rotated", _l("Audit chain handed over to a new key")),
    Action("mail.retried", _l("Failed e-mail put back to be sent again")),
    Action("centre.created", _l("Centre created")),
    Action("centre.changed", _l("Centre changed")),
    Action("centre.role_granted", _l("Role at a centre granted")),
    Action("centre.role_removed", _l("Role at a centre removed")),
    Action("course.shared", _l("Course shared with the network")),
    Action("course.unshared", _l("Course no longer shared with the network")),
    Action("centre.course_offered", _l("Shared course offered in a centre's catalogue")),
    Action("centre.course_withdrawn", _l("Shared course withdrawn from a centre's catalogue")),
    Action("call.created", _l("Call for applications created")),
    Action("call.published", _l("Call for applications published")),
    Action("call.changed", _l("Call for applications changed")),
    Action("call.closed", _l("Call for applications closed")),
    Action("application.submitted", _l("Application submitted")),
    Action("application.withdrawn", _l("Application withdrawn")),
    Action("application.personal_deleted", _l("Application's personal data deleted")),
    Action("review.assigned", _l("Reviewer assigned to an application")),
    Action("review.unassigned", _l("Reviewer taken off an application")),
    Action("review.conflict_declared", _l("Reviewer declared a conflict of interest")),
    Action("review.scored", _l("Application scored by a reviewer")),
    Action("review.reviewer_added", _l("Reviewer added to a call")),
    Action("review.reviewer_removed", _l("Reviewer removed from a call")),
    Action("selection.overridden", _l("Selection proposal overridden")),
    Action("selection.decided", _l("Selection decided and signed")),
    Action("offer.made", _l("Place offered to an applicant")),
    Action("offer.confirmed", _l("Place confirmed by the applicant")),
    Action("offer.declined", _l("Place declined by the applicant")),
    Action("offer.lapsed", _l("Offer of a place lapsed")),
    Action("offer.centre_created", _l("Centre created from an accepted centre application")),
]

ACTIONS: dict[str, Action] = {action.name: action for action in _ALL}
KNOWN_ACTIONS: dict[str, Action] = {name: action for action in _ALL
                                    for name in action.stored_names}
