"""An intake's trainees from a CSV file: what the import would do (the dry run), and doing
it: accounts made for those without one, each invited by e-mail to set a password, every
trainee put in the intake and enrolled in the programme's courses at once. Nothing is
written when any row is wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from app.auth.links import issue_link
from app.auth.mails import queue_account_mail
from app.auth.models import User
from app.auth.services import Profile, create_invited_account
from app.core.auth import authorize
from app.core.zones import proposed_zone
from app.extensions import db
from app.intakes.csvfile import RowProblem, Trainee, read_trainees
from app.intakes.models import Intake, IntakeMember, Programme
from app.intakes.rules import seats_left
from app.intakes.services import add_member, programme_courses, register_for_intake_sessions
from app.mail.outbox import queue_mail
from app.mail.render import render_mail

# An invitation's set-password link waits longer than a reset's hour: trainees are often
# imported days before the intake starts.
INVITATION_LIFETIME = timedelta(days=14)
INVITE_KIND = "intakes.invitation"


@dataclass(frozen=True)
class ImportPlan:
    """What the file would do: new accounts, accounts matched by e-mail, trainees in the
    intake already, the seats left after it; and every problem (then nothing is done)."""

    new: list[Trainee] = field(default_factory=list)
    matched: list[tuple[Trainee, User]] = field(default_factory=list)
    members: list[tuple[Trainee, User]] = field(default_factory=list)
    seats: int = 0
    seats_left: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def joining(self) -> int:
        return len(self.new) + len(self.matched)


def plan_import(intake: Intake, data: bytes) -> ImportPlan:
    """The dry run: read the file and match it against the database, writing nothing. Two
    statements, whatever the file's length."""
    trainees, problems = read_trainees(data)
    emails = [t.email for t in trainees]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    in_intake = set(db.session.scalars(select(IntakeMember.user_id).where(
        IntakeMember.intake_id == intake.id)))
    new, matched, members = [], [], []
    for trainee in trainees:
        user = users.get(trainee.email)
        if user is None:
            new.append(trainee)
        elif user.id in in_intake:
            members.append((trainee, user))
        elif not user.active:
            problems.append(RowProblem(trainee.line, _l(
                "The account of %(email)s is deactivated: reactivate it, or leave the row out.",
                email=trainee.email)))
        else:
            matched.append((trainee, user))
    left = seats_left(intake.seats, len(in_intake))
    joining = len(new) + len(matched)
    if joining > left:
        problems.append(RowProblem(1, ngettext(
            "The file adds %(num)d trainee, but the intake has %(left)s seats left.",
            "The file adds %(num)d trainees, but the intake has %(left)s seats left.",
            joining, left=left)))
    problems.sort(key=lambda p: p.line)
    return ImportPlan(new, matched, members, intake.seats, max(left - joining, 0), problems)


def _invite(user: User, intake: Intake, programme: Programme, *, new_account: bool,
            now: datetime) -> None:
    """The invitation: for a new account, with the link to set its password."""
    if new_account:
        link = issue_link(user, "reset", now, lifetime=INVITATION_LIFETIME)
        queue_account_mail("intakes/invitation", INVITE_KIND, user, link, now=now,
                           intake_title=intake.title, programme_title=programme.title,
                           starts_on=intake.starts_on)
        return
    rendered = render_mail("intakes/invitation", language=user.language,
                           timezone=user.timezone, name=user.name, email=user.email,
                           token=None, expires_at=None, intake_title=intake.title,
                           programme_title=programme.title, starts_on=intake.starts_on)
    queue_mail(to=user.email, rendered=rendered, kind=INVITE_KIND, user_id=user.id, now=now)


def import_trainees(actor: User | None, intake: Intake, data: bytes,
                    now: datetime) -> ImportPlan:
    """Import the file: the plan it carried out, or, with problems, the plan alone and
    nothing written. `actor` None is the command line."""
    if actor is not None:
        authorize(actor, "intake.manage", intake)
    plan = plan_import(intake, data)
    if not plan.ok:
        return plan
    programme = db.session.get(Programme, intake.programme_id)
    assert programme is not None
    courses = programme_courses(programme.id)
    joined: list[User] = []
    for trainee in plan.new:
        user = create_invited_account(
            email=trainee.email, now=now, actor=actor, language=trainee.language,
            gender=trainee.gender, organisation_type=trainee.organisation_type,
            profile=Profile(trainee.name, trainee.country, trainee.organisation,
                            proposed_zone(trainee.country) or intake.timezone))
        add_member(actor, intake, user, courses, now)
        _invite(user, intake, programme, new_account=True, now=now)
        joined.append(user)
    for _trainee, user in plan.matched:
        add_member(actor, intake, user, courses, now)
        _invite(user, intake, programme, new_account=False, now=now)
        joined.append(user)
    register_for_intake_sessions(intake, joined, now)
    return plan
