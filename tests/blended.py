"""Shared set-up for the blended-learning features: a GxP course built for the tests (with
its staff and two enrolled learners), the approval course that follows it, and the steps
that bring a learner to a given point.

The courses are written here with `make_course`, in the shape of the shipped GxP course and
cGMP marathon (the same ids, so the tests read alike) but with their own short texts: editing
courses/ never changes what these tests see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.classroom.models import ClassSession
from app.classroom.services import Schedule, schedule_session
from app.content.models import Checklist, Course, Module
from app.core.roles import Role
from app.extensions import db
from app.learning.services import assign_staff, complete_module, enrol
from tests.course_files import ModuleFile, checklist, quiz

GXP = "gxp-standard-practice"
MARATHON = "gmp-vaccine-marathon"
MakeCourse = Callable[..., Course]

FACILITATOR = "::: facilitator\nAsk the group for an example from their own plant.\n:::\n"

WHY_GXP_CHECK = quiz(
    "why-gxp-check",
    "Which good practice applies to routine testing of commercial vaccine lots?\n"
    "( ) GLP\n    > GLP covers non-clinical safety studies.\n(x) GMP\n( ) GCP",
    "Which ICH guideline sets out good clinical practice?\n= ICH E6\n= E6\n!= ICH E8\n"
    "    > E8 covers general considerations for clinical studies.",
    title="Knowledge check on GxP foundations", show_answers="after_submit")

VALIDATION_ASSESSMENT = quiz(
    "validation-assessment",
    "Which qualification stage verifies that equipment is installed as designed?\n"
    "id: iq-definition\n( ) Design qualification (DQ)\n(x) Installation qualification (IQ)\n"
    "( ) Operational qualification (OQ)\n    > OQ verifies operation across its ranges.",
    "Which properties should each user requirement have?\nid: urs-properties\n"
    "scoring: partial\n[ ] Written by the vendor after installation\n"
    "    > The user writes it before purchase.\n[x] Testable\n[x] Unambiguous",
    "A failure mode scores severity 8, occurrence 3 and detectability 4. Its risk priority "
    "number?\nid: rpn-calc\npoints: 2\n= 96\n!= 15\n    > The scores are multiplied.\n"
    "hint: RPN = S x O x D.",
    "Which ICH guideline describes quality risk management?\nid: qrm-guideline\n= ICH Q9\n"
    "= /^\\s*(ich\\s*)?q\\s*9\\s*$/i\n!= ICH Q10\n    > Q10 is the quality system.",
    "The effort of quality risk management follows the level of risk.\nid: q9-principle\n"
    "(x) True\n( ) False\nexplain: ICH Q9 makes effort commensurate with the risk.",
    title="Validation and risk management assessment", pass_mark="80%", attempts=3,
    shuffle="choices", time_limit="20 min", show_answers="after_pass")

DEVIATION_REPORT = quiz(
    "deviation-report",
    "Why does a passed filter integrity test not settle the lot's disposition?\npoints: 2\n"
    "( ) Regulators do not accept integrity tests\n"
    "(x) Endotoxin from growth before filtration is not removed by the filter\n"
    "    > The final lot's endotoxin result decides.",
    "Write the problem statement and the immediate containment actions.\npoints: 6\n"
    "words: 80-250\n___\nrubric:\n- 3: The statement is factual and assumes no cause\n"
    "- 3: Containment covers the lot and others that may share the cause",
    title="Written investigation assessment", pass_mark="70%", attempts=2,
    shuffle="choices", show_answers="after_last_attempt")

# Twenty items, item 1 critical and item 2 not: one not-met item 2 still passes (95 %).
GOWNING_SIGNOFF = checklist("gowning-signoff", [
    "### Before entering the change area",
    "Has removed watch, jewellery and make-up {critical}",
    "Carries no mobile phone, pen or other personal item",
    "Confirms fitness to work {critical}",
    "Performs hand hygiene for at least 20 s",
    "Leaves outdoor coat and shoes on the dirty side",
    "### Pre-gowning on the Grade D side",
    "Puts on hair cover enclosing all hair {critical}",
    "Puts on a face mask covering nose and mouth",
    "Puts on a first pair of gloves and disinfects them",
    "Crosses the step-over bench cleanly {critical}",
    "Checks the garment pack's integrity and expiry {critical}",
    "### Donning sterile garments on the Grade B side",
    "Opens packs touching only the outer wrapping",
    "Puts on the hood touching only its inside",
    "Puts on the coverall without it touching the floor {critical}",
    "Closes the coverall fully at the neck",
    "Puts on overboots one foot at a time across the line",
    "### Final checks and behaviour",
    "Dons sterile gloves over the coverall cuffs {critical}",
    "Checks in the mirror that no skin or hair shows {critical}",
    "Disinfects gloves before entering",
    "Moves slowly and keeps hands in front of the body",
    "Presents gloves and gown for contact plate sampling",
], pass_mark="all critical, 90%", attempts=2)


def make_gxp_course(make_course: MakeCourse) -> Course:
    """Five modules, one of each completion: read (why-gxp, good-documentation-practice),
    assessed (validation-basics), a required classroom session with a written assessment
    (deviation-workshop), and a required session with a signed checklist
    (aseptic-gowning-practical)."""
    return make_course(GXP, [
        ModuleFile("why-gxp", "Why GxP?", duration="1 h", competencies=["GXP-FND"],
                   objectives=["Explain how past disasters shaped good practice"],
                   body="# Why GxP?\n\nRules remember the people who were harmed.\n\n"
                        + FACILITATOR, blocks=[WHY_GXP_CHECK]),
        ModuleFile("good-documentation-practice", "Good documentation practice",
                   duration="1 h", prerequisites=["why-gxp"], competencies=["GXP-DOC"],
                   objectives=["Correct a GxP record following good documentation practice"]),
        ModuleFile("validation-basics", "Validation and risk management basics",
                   duration="1 h 30 min", prerequisites=["good-documentation-practice"],
                   competencies=["GXP-VAL"],
                   body="# Validation\n\nThe V-model links each specification to its test."
                        "\n\n" + FACILITATOR, blocks=[VALIDATION_ASSESSMENT]),
        ModuleFile("deviation-workshop", "Deviation investigation workshop",
                   modality="classroom", duration="3 h", competencies=["GXP-INV"],
                   prerequisites=["good-documentation-practice", "validation-basics"],
                   session={"attendance": "required", "capacity": 24,
                            "materials": ["Printed case file"]},
                   blocks=[DEVIATION_REPORT]),
        ModuleFile("aseptic-gowning-practical", "Aseptic gowning practical",
                   modality="hands-on", duration="2 h", prerequisites=["why-gxp"],
                   competencies=["GXP-ASEP"],
                   session={"attendance": "required", "capacity": 8,
                            "materials": ["Sterile garment packs", "Contact plates"]},
                   blocks=[GOWNING_SIGNOFF]),
    ], title="GxP Standard Practice", level="introductory", enrolment="open", hours=9,
        summary="The foundation course in good practice for biomanufacturing staff.",
        tags=["GxP", "GMP", "aseptic gowning"])


def make_marathon_course(make_course: MakeCourse) -> Course:
    """An approval course that needs the GxP course first (import that one before)."""
    return make_course(MARATHON, [
        ModuleFile("gmp-principles", "GMP principles for vaccine manufacturing"),
        ModuleFile("quality-systems", "Pharmaceutical quality systems",
                   prerequisites=["gmp-principles"],
                   session={"attendance": "required", "capacity": 60}),
        ModuleFile("data-integrity", "Data integrity and ALCOA+",
                   prerequisites=["gmp-principles"]),
    ], title="cGMP Training Marathon for Vaccine Manufacturing", level="intermediate",
        enrolment="approval", prerequisites=[GXP], hours=10)


@dataclass
class Gxp:
    course: Course
    modules: dict[str, Module]
    instructor: User  # Ivan: instructor and assessor of the course
    admin: User
    learners: list[User]
    outsider: User  # Olga: an instructor and assessor of another course

    @property
    def gowning(self) -> Module:
        return self.modules["aseptic-gowning-practical"]

    @property
    def workshop(self) -> Module:
        return self.modules["deviation-workshop"]

    @property
    def checklist(self) -> Checklist:
        found = db.session.scalar(select(Checklist).where(
            Checklist.module_id == self.gowning.id))
        assert found is not None
        return found

    def schedule(self, module: Module, starts_at: datetime, *, capacity: int | None = None,
                 hours: int = 2) -> ClassSession:
        return schedule_session(self.instructor, self.course, Schedule(
            module=module, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
            timezone="Asia/Seoul", capacity=capacity, facilitator=self.instructor,
            location="Training cleanroom B"), starts_at - timedelta(days=7))


def set_up_gxp(course: Course, other: Course, people: dict[str, User],
               make_user: Callable[..., User], clock: Callable[[], datetime]) -> Gxp:
    """Ivan teaches and assesses `course`, Olga `other`; Amina and Kim are enrolled."""
    grace, ivan = people["grace"], people["ivan"]
    assign_staff(grace, course, ivan, "instructor", clock())
    assign_staff(grace, course, ivan, "assessor", clock())
    olga = make_user("olga@example.org", name="Olga Outside",
                     roles=(Role.INSTRUCTOR, Role.ASSESSOR))
    assign_staff(grace, other, olga, "instructor", clock())
    assign_staff(grace, other, olga, "assessor", clock())
    learners = [people["amina"], people["kim"]]
    for learner in learners:
        enrol(learner, course, clock())
    db.session.commit()
    modules = {m.slug: m for m in course.modules}
    return Gxp(course, modules, ivan, grace, learners, olga)


def complete_virtual_parts(gxp: Gxp, learner: User, now: datetime) -> None:
    """Everything but the workshop and the practical, as the learner would have done it."""
    for slug, via in (("why-gxp", "read"), ("good-documentation-practice", "read"),
                      ("validation-basics", "assessment")):
        complete_module(learner, gxp.modules[slug], now, via=via)


def unlock_gowning(gxp: Gxp, learner: User, now: datetime) -> None:
    """The practical's prerequisite read, so that it can be signed off."""
    complete_module(learner, gxp.modules["why-gxp"], now)
