"""Learning objectives across a course: their ids, and the questions that name them.

An objective in a module's front matter is a line of text, whose id is then its place in the
list ("2"), or a one-key map `id: text`. Course-wide it is named `<module-id>/<objective-id>`;
a module's own quizzes may name it by its bare id. Questions name the objectives they assess
with `objective:`, and the loader resolves those names here once every module is read. No
Flask, no database.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from app.content.fields import FieldError, Report, check_id, parse_int, suggest, text
from app.content.specs import CourseSpec, ObjectiveSpec, Problems, QuizSpec

_PER = re.compile(r"^(.*?)\s+per\s+(.*)$")
_ID_PART = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_OBJECTIVE_REF = re.compile(rf"^{_ID_PART}(?:/{_ID_PART})?$")


def parse_pick(value: str) -> tuple[int, bool]:
    """`pick: 5` (five from the block) or `pick: 2 per objective`: (N, per objective)."""
    per = _PER.match(value.strip())
    if per is None:
        return parse_int(value, minimum=1), False
    if per.group(2).strip() != "objective":
        raise FieldError(f'"{value.strip()}": questions can be drawn per objective only; '
                         'write it like "2 per objective"', code="bad-pick")
    return parse_int(per.group(1), minimum=1), True


def parse_objective_refs(value: str) -> list[str]:
    """`objective: yield, why-gxp/records`: the objectives a question assesses, as written."""
    refs = [ref.strip() for ref in value.split(",") if ref.strip()]
    if not refs:
        raise FieldError("must not be empty", code="empty-value")
    for ref in refs:
        if not _OBJECTIVE_REF.match(ref):
            raise FieldError(f'"{ref}" is not an objective: write its id, or '
                             '"<module-id>/<objective-id>" for another module\'s, with '
                             'commas between several', code="bad-objective-ref")
    return refs


@dataclass(frozen=True)
class ObjectiveEntry:
    """An `objectives:` entry as written, before entries without an id get their place."""

    id: str | None
    text: str
    line: int


def read_objective(node: Node, line: int) -> ObjectiveEntry:
    """One entry of `objectives:`: `- text` or `- id: text`."""
    if isinstance(node, ScalarNode):
        return ObjectiveEntry(None, text(node.value), line)
    if isinstance(node, MappingNode) and len(node.value) == 1:
        key_node, value_node = node.value[0]
        key = str(key_node.value)
        try:
            check_id(key)
        except FieldError:
            # Most often an objective whose text holds ": ", which YAML reads as a map.
            raise FieldError(f'"{key}" is not a valid objective id: use lowercase letters, '
                             'digits and "-"; if it is the text of an objective that contains '
                             '": ", put the whole line in double quotes',
                             code="bad-objective-id") from None
        if not isinstance(value_node, ScalarNode):
            raise FieldError(f'objective "{key}" must be one line of text',
                             code="objective-not-one-line")
        return ObjectiveEntry(key, text(value_node.value), line)
    raise FieldError('each objective is one line: "text" or "id: text"',
                     code="bad-objective-entry")


def name_objectives(entries: list[ObjectiveEntry], report: Report
                    ) -> list[ObjectiveSpec]:
    """The module's objectives with their ids: the author's, or the entry's place in the list.
    An id given twice is reported at its second entry."""
    named: list[ObjectiveSpec] = []
    seen: dict[str, int] = {}
    for place, entry in enumerate(entries, start=1):
        ident = entry.id or str(place)
        if ident in seen:
            why = (" (an objective without an id takes its place in the list as its id)"
                   if ident.isdigit() else "")
            report(entry.line, f'objective id "{ident}" is used at line {seen[ident]} too{why}',
                   code="duplicate-objective-id")
            continue
        seen[ident] = entry.line
        named.append(ObjectiveSpec(ident, entry.text, entry.line))
    return named


def course_ref(module_slug: str, objective_id: str) -> str:
    return f"{module_slug}/{objective_id}"


def resolve_objectives(course: CourseSpec, problems: Problems) -> None:
    """Give each question its objectives course-wide; report names that lead nowhere, and
    `pick: N per objective` groups too small for N."""
    ids = {module.slug: {o.id for o in module.objective_specs} for module in course.modules}
    for module in course.modules:
        path = str(Path(course.path) / module.filename)
        for quiz in module.quizzes:
            for question in quiz.questions:
                resolved: list[str] = []
                for ref in question.objective_refs:
                    name, problem = _resolve(ref, module.slug, ids)
                    if problem:
                        problems.add(path, question.objective_line, problem,
                                     code="unknown-objective")
                    elif name not in resolved:
                        resolved.append(name)
                question.objectives = resolved
            _check_groups(quiz, path, problems)


def _resolve(ref: str, here: str, ids: dict[str, set[str]]) -> tuple[str, str]:
    """The course-wide name of `ref` written in module `here`, or a problem to report."""
    if "/" in ref:
        module, objective = ref.split("/", 1)
        if module not in ids:
            return "", (f'objective "{ref}": there is no module "{module}" in this course'
                        + suggest(module, ids))
        if objective not in ids[module]:
            return "", (f'objective "{ref}" names no objective of module "{module}"'
                        + suggest(ref, {course_ref(module, o) for o in ids[module]}))
        return ref, ""
    if ref in ids[here]:
        return course_ref(here, ref), ""
    elsewhere = sorted(course_ref(module, ref) for module, known in ids.items()
                       if module != here and ref in known)
    hint = (f'; did you mean "{elsewhere[0]}"?' if len(elsewhere) == 1
            else suggest(ref, ids[here]))
    return "", (f'objective "{ref}" names no objective of this module (write '
                f'"<module-id>/<objective-id>" for another module\'s){hint}')


def _check_groups(quiz: QuizSpec, path: str, problems: Problems) -> None:
    """With `pick: N per objective`, each group (a question's first objective) needs N."""
    if not quiz.pick_per_objective or quiz.pick is None:
        return
    sizes = Counter(question.objectives[0] for question in quiz.questions
                    if question.objectives)
    for group, size in sizes.items():
        if size < quiz.pick:
            problems.add(path, quiz.line_of.get("pick", quiz.line),
                         f'pick: {quiz.pick} per objective, but objective "{group}" is the '
                         f"first objective of only {size} question(s) in the quiz",
                         code="objective-group-too-small")
