"""Programmes, intakes, the import, intake sessions and completing: the services, without
HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from sqlalchemy import ColumnElement, Select, func, select

from app.auth.lockout import configured_limits
from app.auth.models import AccountToken, User
from app.auth.recovery import PasswordResetDone, complete_password_reset
from app.auth.services import authenticate
from app.certificates.models import Certificate
from app.classroom.models import Registration
from app.classroom.services import Mark, Schedule, record_attendance, register_for_session
from app.core.errors import DomainError, PermissionDenied, ValidationError, ValidationErrors
from app.core.roles import Role
from app.extensions import db
from app.intakes.importing import import_trainees, plan_import
from app.intakes.models import IntakeDeadline, IntakeMember
from app.intakes.programmes import ProgrammePlan, change_programme, create_programme
from app.intakes.rules import ProgrammeLine
from app.intakes.services import IntakePlan, change_intake, schedule_intake_session, set_deadlines
from app.learning.models import Enrolment
from app.learning.services import complete_module, enrol
from app.mail.models import OutboxMessage
from app.records.models import Event
from tests.intakes.network import SAMPLE_CSV, Network

HEADER = "name,email,country,organisation\n"


def _count(model: type, *where: ColumnElement[bool]) -> int:
    statement: Select[int] = select(func.count()).select_from(model).where(*where)
    return db.session.scalar(statement) or 0


def _actions(action: str) -> int:
    return _count(Event, Event.action == action)


# --- programmes ---------------------------------------------------------------------------


def test_a_programme_holds_the_centres_own_and_offered_courses(network: Network, clock
                                                               ) -> None:
    lines = [ProgrammeLine(network.shared.id, "classroom"), ProgrammeLine(network.own.id,
                                                                          "virtual")]
    programme = change_programme(network.admin, network.programme, ProgrammePlan(
        code="IBDM", title="Renamed", courses=lines, requirement="n_of_m", required_count=1,
        certificate=False), clock())
    assert (programme.title, programme.requirement, programme.required_count) == \
        ("Renamed", "n_of_m", 1)
    assert _actions("programme.created") == 1 and _actions("programme.changed") == 1


def test_a_programme_refuses_every_wrong_field_at_once(network: Network, make_course,
                                                       clock) -> None:
    elsewhere = make_course("not-offered", ["x"])  # the hub's, not offered by the centre
    with pytest.raises(ValidationErrors) as refused:
        create_programme(network.admin, network.centre, ProgrammePlan(
            code="IBDM", title=" ", courses=[ProgrammeLine(elsewhere.id, "virtual")]), clock())
    assert {e.field for e in refused.value.errors} == {"code", "title", "courses"}


@pytest.mark.parametrize(("requirement", "count", "counts"), [
    ("n_of_m", 3, {}), ("modality", None, {"hands-on": 1}), ("modality", None, {})])
def test_a_requirement_that_cannot_be_met_is_refused(network: Network, clock, requirement: str,
                                                     count: int | None,
                                                     counts: dict[str, int]) -> None:
    lines = [ProgrammeLine(network.own.id, "virtual"), ProgrammeLine(network.shared.id,
                                                                     "classroom")]
    with pytest.raises(ValidationError) as refused:
        create_programme(network.admin, network.centre, ProgrammePlan(
            code="X", title="X", courses=lines, requirement=requirement, required_count=count,
            modality_counts=counts), clock())
    assert refused.value.field == "requirement"


def test_only_the_centres_managers_and_the_network_administrator(network: Network, make_user,
                                                                 clock) -> None:
    plan = ProgrammePlan(code="GXP", title="GxP track",
                         courses=[ProgrammeLine(network.own.id, "virtual")])
    for outsider in (network.stranger, network.instructor):
        with pytest.raises(PermissionDenied):
            create_programme(outsider, network.centre, plan, clock())
    grace = make_user("grace@example.org", roles=(Role.ADMIN,))
    assert create_programme(grace, network.centre, plan, clock()).centre_id == network.centre.id


# --- intakes ------------------------------------------------------------------------------


def _plan(**changes: object) -> IntakePlan:
    values: dict[str, object] = dict(code="IBDM-2026", title="IBDM March 2026",
                                     starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 20),
                                     timezone="Asia/Seoul", seats=40)
    values.update(changes)
    return IntakePlan(**values)  # type: ignore[arg-type]


def test_an_intakes_team_is_the_centres_staff(network: Network, make_user, clock) -> None:
    outsider = make_user("out@example.org")
    with pytest.raises(ValidationError) as refused:
        change_intake(network.admin, network.intake, _plan(staff={outsider.id: "lead"}), clock())
    assert refused.value.field == "staff"
    with pytest.raises(ValidationErrors) as refused_all:
        change_intake(network.admin, network.intake, _plan(
            ends_on=date(2026, 3, 1), seats=0, timezone="Mars/Olympus"), clock())
    assert {e.field for e in refused_all.value.errors} == {"ends_on", "seats", "timezone"}


def test_deadlines_fall_within_the_intake(network: Network, clock) -> None:
    intro = network.module(network.own, "gmp-intro")
    assert set_deadlines(network.admin, network.intake, {intro.id: 3}, clock()) == 1
    assert db.session.scalar(select(IntakeDeadline.due_day)) == 3
    with pytest.raises(ValidationError):
        set_deadlines(network.admin, network.intake, {intro.id: 13}, clock())
    with pytest.raises(PermissionDenied):
        set_deadlines(network.stranger, network.intake, {intro.id: 2}, clock())


# --- the import ---------------------------------------------------------------------------


def _invitation_text(message: OutboxMessage) -> str:
    parsed: Message = message_from_bytes(message.message)
    for part in parsed.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode()
    raise AssertionError("no text part")


def test_the_dry_run_writes_nothing(network: Network) -> None:
    users = _count(User)
    plan = plan_import(network.intake, SAMPLE_CSV.read_bytes())
    assert plan.ok and len(plan.new) == 30 and plan.seats_left == 10
    db.session.commit()
    assert _count(User) == users and _count(IntakeMember) == 0


def test_importing_30_trainees(network: Network, clock) -> None:
    plan = import_trainees(network.admin, network.intake, SAMPLE_CSV.read_bytes(), clock())
    db.session.commit()
    assert plan.ok and plan.joining == 30
    assert _count(IntakeMember, IntakeMember.intake_id == network.intake.id) == 30
    enrolments = db.session.scalars(select(Enrolment)).all()
    assert len(enrolments) == 60 and {e.status for e in enrolments} == {"active"}
    assert {e.centre_id for e in enrolments} == {network.centre.id}
    assert _actions("intake.member_added") == 30 and _actions("user.created") >= 30
    valentina = db.session.scalar(select(User).where(User.email == "valentina.gomez@example.org"))
    assert valentina is not None
    assert (valentina.country, valentina.language, valentina.gender,
            valentina.organisation_type) == ("AR", "es", "female", "manufacturer")
    kenyan = db.session.scalar(select(User).where(User.email == "wanjiru.kamau@example.org"))
    assert kenyan is not None and kenyan.timezone == "Africa/Nairobi"  # the country's one zone
    assert authenticate(valentina.email, "") is None  # no password yet
    mails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "intakes.invitation")).all()
    assert len(mails) == 30
    tokens = db.session.scalars(select(AccountToken)).all()
    assert len(tokens) == 30 and all(t.expires_at - clock() == timedelta(days=14)
                                     for t in tokens)


def test_an_invitation_link_sets_the_password(network: Network, clock) -> None:
    data = (HEADER + "Ann Trainee,ann@example.org,KE,Lab\n").encode()
    import_trainees(network.admin, network.intake, data, clock())
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage))
    assert message is not None
    text = _invitation_text(message)
    assert "IBDM March 2026" in text
    token = text.split("/auth/reset/")[1].split()[0]
    done = complete_password_reset(token, new="a long enough passphrase",
                                   limits=configured_limits(), now=clock())
    assert isinstance(done, PasswordResetDone)
    db.session.commit()
    assert authenticate("ann@example.org", "a long enough passphrase") is not None


def test_nothing_is_written_when_a_row_is_wrong(network: Network, clock) -> None:
    users = _count(User)
    data = (HEADER + "Ann,ann@example.org,KE,Lab\nBo,bo@example,Narnia,Lab\n").encode()
    plan = import_trainees(network.admin, network.intake, data, clock())
    db.session.commit()
    assert [p.line for p in plan.problems] == [3, 3]
    assert _count(User) == users and _count(IntakeMember) == 0 and _count(OutboxMessage) == 0


def test_existing_accounts_are_matched_and_members_left_alone(network: Network, make_user,
                                                              clock) -> None:
    amina = make_user("amina@example.org", name="Amina Yusuf")
    enrol(amina, network.own, clock())
    data = (HEADER + "A. Yusuf,AMINA@example.org,NG,Lab\nBo,bo@example.org,KE,Lab\n").encode()
    first = import_trainees(network.admin, network.intake, data, clock())
    assert [u.email for _t, u in first.matched] == ["amina@example.org"] and len(first.new) == 1
    assert amina.name == "Amina Yusuf"  # an existing account keeps its own details
    again = plan_import(network.intake, data)
    assert len(again.members) == 2 and again.joining == 0


def test_seats_are_counted(network: Network, clock) -> None:
    network.intake.seats = 29
    plan = import_trainees(network.admin, network.intake, SAMPLE_CSV.read_bytes(), clock())
    assert not plan.ok
    assert "29 seats left" in str(plan.problems[0].message)
    assert _count(IntakeMember) == 0


def test_another_centre_may_not_import(network: Network, clock) -> None:
    with pytest.raises(PermissionDenied):
        import_trainees(network.stranger, network.intake, SAMPLE_CSV.read_bytes(), clock())


# --- the intake's sessions ----------------------------------------------------------------

DAY_TWO = datetime(2026, 3, 10, 0, 0, tzinfo=UTC)  # 9:00 in Seoul


def _classroom_day(network: Network, clock) -> Schedule:
    return Schedule(module=network.module(network.shared, "fill-finish-day"),
                    starts_at=DAY_TWO, ends_at=DAY_TWO + timedelta(hours=6),
                    timezone="Asia/Seoul", capacity=None, facilitator=network.instructor,
                    location="Training cleanroom B")


def test_an_intake_session_registers_its_learners_and_no_one_else(network: Network, make_user,
                                                                  clock) -> None:
    data = (HEADER + "Ann,ann@example.org,KE,Lab\nBo,bo@example.org,KE,Lab\n").encode()
    import_trainees(network.admin, network.intake, data, clock())
    session = schedule_intake_session(network.admin, network.intake, network.shared,
                                      _classroom_day(network, clock), clock())
    assert session.intake_id == network.intake.id
    assert _count(Registration, Registration.status == "registered") == 2
    outsider = make_user("out@example.org")
    enrol(outsider, network.shared, clock())
    with pytest.raises(DomainError):
        register_for_session(outsider, session, clock())
    later = (HEADER + "Cy,cy@example.org,KE,Lab\n").encode()
    import_trainees(network.admin, network.intake, later, clock())
    assert _count(Registration, Registration.status == "registered") == 3


def test_the_facilitator_comes_from_the_intakes_team(network: Network, make_user,
                                                     clock) -> None:
    plan = _classroom_day(network, clock)
    other = make_user("x@example.org")
    with pytest.raises(ValidationError):
        schedule_intake_session(network.admin, network.intake, network.shared, Schedule(
            module=plan.module, starts_at=plan.starts_at, ends_at=plan.ends_at,
            timezone=plan.timezone, capacity=None, facilitator=other,
            location="Room"), clock())


# --- completing ---------------------------------------------------------------------------


def test_completing_the_programme_issues_its_certificate(network: Network, clock) -> None:
    data = (HEADER + "Ann Trainee,ann@example.org,KE,Lab\n").encode()
    import_trainees(network.admin, network.intake, data, clock())
    session = schedule_intake_session(network.admin, network.intake, network.shared,
                                      _classroom_day(network, clock), clock())
    ann = db.session.scalar(select(User).where(User.email == "ann@example.org"))
    assert ann is not None
    for slug in ("gmp-intro", "cleanroom-basics"):
        complete_module(ann, network.module(network.own, slug), clock())
    complete_module(ann, network.module(network.shared, "vaccine-basics"), clock())
    member = db.session.scalar(select(IntakeMember))
    assert member is not None and member.completed_at is None
    record_attendance(network.instructor, session, {ann.id: Mark("present")}, DAY_TWO)
    assert member.completed_at is not None
    assert _actions("intake.completed") == 1
    programme_certificate = db.session.scalar(select(Certificate).where(
        Certificate.intake_id == network.intake.id))
    assert programme_certificate is not None
    assert programme_certificate.course_id is None
    assert programme_certificate.course_title == network.programme.title
    assert [c["title"] for c in programme_certificate.courses] == ["GMP basics", "Vaccinology"]
    assert programme_certificate.hours == 12
    assert _count(Certificate) == 3  # the two courses' own, and the programme's


def test_the_programme_certificate_prints_its_courses(network: Network, client, clock) -> None:
    from app.certificates.pdf import certificate_pdf
    from app.certificates.services import issue_programme_certificate

    learner = network.admin
    certificate = issue_programme_certificate(
        learner, intake_id=network.intake.id, title="IBDM",
        course_ids=[network.own.id, network.shared.id], completed_at=clock(), now=clock())
    db.session.commit()
    assert certificate.hours == 12 and certificate.modalities == ["virtual", "classroom"]
    assert certificate_pdf(certificate, "https://example.org/v").startswith(b"%PDF")
    page = client.get(f"/certificates/verify/{certificate.display_code}")
    assert page.status_code == 200
    assert b"GMP basics" in page.data and b"4 credit hours" in page.data


def test_the_audit_chain_replays_an_imported_and_completed_intake(network: Network, runner,
                                                                   clock) -> None:
    test_completing_the_programme_issues_its_certificate(network, clock)
    db.session.commit()
    result = runner.invoke(args=["records", "verify"])
    assert result.exit_code == 0, result.output
