"""Language versions of a course: the rules that hold a version to the module it translates
(each mismatch with its line and code), what the importer stores, and the pure helpers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.content.loader import load_courses
from app.content.models import Course, CourseTranslation, Module, ModuleTranslation, Question
from app.content.specs import Choice, QuestionSpec
from app.content.versions import normalize_tag, pick_version, same_kind, translate_question
from app.extensions import db
from tests.course_files import YIELD_MODULE, YIELD_MODULE_FR, bilingual_files, module_md


def _load(write_course, files, **kwargs):
    (course,), problems = load_courses([write_course(files, **kwargs)])
    return course, problems


def _errors(write_course, files, **kwargs) -> list[tuple[str, int, str]]:
    _course, problems = _load(write_course, files, **kwargs)
    return [(p.path.rsplit("/", 1)[-1], p.line, p.code) for p in problems.errors()]


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_a_version_loads_beside_its_module(write_course) -> None:
    course, problems = _load(write_course, bilingual_files())
    assert not problems, [str(p) for p in problems.sorted()]
    (module,) = course.modules
    assert list(module.versions) == ["fr"] and course.version_languages == ["fr"]
    french = module.versions["fr"]
    assert french.title == "Rendement et enregistrements"
    assert [o.id for o in french.objective_specs] == ["yield", "2"]
    assert "rendement" in french.body_html and "campagne" in french.facilitator_html
    assert "campagne" not in french.body_html
    assert french.quizzes[0].questions[2].text_answers[0].text == "Annexe 11"
    assert course.versions["fr"].title == "Bases de l'asepsie"


def test_a_course_without_versions_has_none(write_course) -> None:
    course, problems = _load(write_course, {"01-yield.md": YIELD_MODULE})
    assert not problems and course.version_languages == [] and course.modules[0].versions == {}


def _fr(old: str, new: str) -> dict[str, str]:
    assert old in YIELD_MODULE_FR, old
    return bilingual_files(**{"01-yield.fr.md": YIELD_MODULE_FR.replace(old, new, 1)})


MISMATCHES = [
    # (what changes in the French file, the line it is reported at, its code)
    ("  - Enregistrer une correction\n", "", "objectives:", "version-objectives-mismatch"),
    ("  - yield: Calculer", "  - rendement: Calculer", "rendement:",
     "version-objectives-mismatch"),
    ("id: yield-check", "id: yield-quiz", "```quiz", "version-quiz-mismatch"),
    ("pass_mark: 50%", "pass_mark: 60%", "pass_mark:", "version-quiz-settings"),
    ("    ___", "    id: x\n    ___", "4.  Que", "version-question-mismatch"),
    ("    ( ) Lisible\n", "    ( ) Lisible\n    ( ) Attribuable\n", "1.  Quel",
     "version-choices-mismatch"),
    ("    (x) Contemporain", "    ( ) Contemporain", "1.  Quel", "version-choices-mismatch"),
    ("= 98.5 +- 0.1", "= 98.5 +- 0.5", "2.  Rendement", "version-numeric-mismatch"),
    ("= 98.5 +- 0.1", "(x) 98,5\n    ( ) 1,5", "2.  Rendement", "version-question-mismatch"),
    ("    - 1: Nomme", "    - 2: Nomme", "4.  Que", "version-points-mismatch"),
    ("    = Annexe 11\n", "    = Annexe 11\n    points: 2\n", "3.  Quelle",
     "version-points-mismatch"),
    ("    hint: *Quand*", "    asks: apply\n    hint: *Quand*", "1.  Quel",
     "version-question-settings"),
]


@pytest.mark.parametrize(("old", "new", "at", "code"), MISMATCHES)
def test_each_structural_difference_is_an_error_at_its_line(write_course, old, new, at,
                                                            code) -> None:
    files = _fr(old, new)
    errors = _errors(write_course, files)
    line = _line(files["01-yield.fr.md"], at)
    assert ("01-yield.fr.md", line, code) in errors, errors


def _question(kind: str, *labels: str) -> QuestionSpec:
    return QuestionSpec("q", 1, kind, "", 1, choices=[
        Choice(label, n == 0) for n, label in enumerate(labels)])


@pytest.mark.parametrize(("original", "version", "same"), [
    (_question("true_false", "True", "False"), _question("single", "Vrai", "Faux"), True),
    (_question("true_false", "True", "False"), _question("true_false", "True", "False"), True),
    (_question("true_false", "True", "False"), _question("single", "Oui", "Non", "?"), False),
    (_question("single", "A", "B"), _question("true_false", "True", "False"), False),
    (_question("single", "A", "B"), _question("multiple", "A", "B"), False),
])
def test_a_true_or_false_question_is_translated_by_two_choices(original, version,
                                                              same) -> None:
    assert same_kind(original, version) is same


def test_a_question_missing_from_the_version_is_one_error(write_course) -> None:
    text = YIELD_MODULE_FR.split("4.  Que faites")[0].rstrip() + "\n```\n"
    errors = _errors(write_course, bilingual_files(**{"01-yield.fr.md": text}))
    assert errors == [("01-yield.fr.md", _line(text, "```quiz"), "version-question-mismatch")]


def test_checklists_keep_their_items_groups_and_critical_ones(write_course) -> None:
    checklist = ("```checklist\nid: gowning\n\n### Before\n- [ ] Removes watch {critical}\n"
                 "- [ ] Washes hands\n```\n")
    translated = ("```checklist\nid: gowning\n\n### Avant\n- [ ] Retire sa montre\n"
                  "- [ ] Se lave les mains {critical}\n```\n")
    errors = _errors(write_course, {
        "01-gowning.md": module_md("Gowning", body=checklist),
        "01-gowning.fr.md": f"---\ntitle: Habillage\n---\n{translated}"})
    assert errors == [("01-gowning.fr.md", 4, "version-checklist-mismatch")]


FILE_PROBLEMS = [
    ({"02-other.fr.md": "---\ntitle: Autre\n---\nTexte.\n"}, "02-other.fr.md", 1,
     "version-without-module"),
    ({"01-yield.xx.md": YIELD_MODULE_FR}, "01-yield.xx.md", 1, "version-language-invalid"),
    ({"01-yield.en.md": YIELD_MODULE_FR}, "01-yield.en.md", 1, "version-language-is-original"),
    ({"01-yield.fr.md": YIELD_MODULE_FR.replace("---\n# Rend", "duration: 2 h\n---\n# Rend")},
     "01-yield.fr.md", 6, "version-key-forbidden"),
    ({"01-yield.fr.md": YIELD_MODULE_FR.replace("---\n# Rend", "language: es\n---\n# Rend")},
     "01-yield.fr.md", 6, "version-language-mismatch"),
    ({"course.fr.md": "---\ntitle: T\nsummary: S\nlevel: advanced\n---\nB.\n"},
     "course.fr.md", 4, "version-key-forbidden"),
    ({"01-yield.md": YIELD_MODULE.replace("title: Yield", "language: fr\ntitle: Yield")},
     "01-yield.md", 2, "module-language-mismatch"),
]


@pytest.mark.parametrize(("replaced", "path", "line", "code"), FILE_PROBLEMS)
def test_file_names_tags_and_front_matter_of_versions(write_course, replaced, path, line,
                                                      code) -> None:
    assert (path, line, code) in _errors(write_course, bilingual_files(**replaced))


def test_every_problem_of_every_version_is_reported_at_once(write_course) -> None:
    files = _fr("pass_mark: 50%", "pass_mark: 60%")
    files["02-other.fr.md"] = "---\ntitle: Autre\n---\nTexte.\n"
    codes = {code for _path, _line, code in _errors(write_course, files)}
    assert codes == {"version-quiz-settings", "version-without-module"}


def test_a_module_may_say_its_course_language_and_a_tag_is_normalized(write_course) -> None:
    course, problems = _load(write_course, {
        "01-yield.md": YIELD_MODULE.replace("title: Yield", "language: en\ntitle: Yield"),
        "01-yield.pt-br.md": YIELD_MODULE_FR})
    assert not problems and list(course.modules[0].versions) == ["pt-BR"]
    assert normalize_tag("pt-br") == "pt-BR" and normalize_tag("zz") is None


# --- the importer --------------------------------------------------------------------------


def test_the_import_stores_each_version_beside_one_set_of_rows(app, import_files) -> None:
    course = import_files(bilingual_files())
    assert course.languages == ["fr"]
    (module,) = course.modules
    assert module.languages == ["fr"]
    (row,) = db.session.scalars(select(ModuleTranslation)).all()
    assert (row.module_id, row.language, row.title) == (module.id, "fr",
                                                        "Rendement et enregistrements")
    assert row.objectives == ["Calculer un rendement", "Enregistrer une correction"]
    texts = row.quizzes["yield-check"]["questions"]
    assert "Contemporain" in texts["1"]["choices"][0]["text_html"]
    assert texts["3"]["text_answers"][0]["text"] == "Annexe 11"
    assert texts["4"]["rubric"] == ["Informe l'assurance qualité", "Nomme l'attribut"]
    assert len(db.session.scalars(select(Question)).all()) == 4  # one set of questions
    landing = db.session.scalar(select(CourseTranslation))
    assert landing is not None and landing.title == "Bases de l'asepsie"


def test_a_removed_version_file_removes_its_texts(app, import_files) -> None:
    import_files(bilingual_files())
    course = import_files({"01-yield.md": YIELD_MODULE})
    assert course.languages == [] and db.session.scalar(select(ModuleTranslation)) is None
    assert db.session.scalar(select(CourseTranslation)) is None
    assert db.session.scalar(select(Module.languages)) == []


def test_a_changed_version_is_stored_again_and_the_module_stays(app, import_files) -> None:
    import_files(bilingual_files())
    module_id = db.session.scalar(select(Module.id))
    import_files(_fr("Chaque lot a un", "Tout lot a un"))
    row = db.session.scalar(select(ModuleTranslation))
    assert row is not None and "Tout lot" in row.body_html and row.module_id == module_id
    assert db.session.scalar(select(Course.languages)) == ["fr"]


# --- pure helpers --------------------------------------------------------------------------


def test_translated_question_keeps_the_key_and_accepts_both_short_answers() -> None:
    data = {"text_answers": [{"text": "Annex 11", "pattern": None, "flags": "",
                              "feedback_html": "Yes", "line": 3}],
            "wrong_answers": [], "hint_html": "h", "explain_html": "", "choices": []}
    texts = {"prompt_html": "<p>Quelle annexe ?</p>", "hint_html": "indice",
             "text_answers": [{"text": "Annexe 11", "pattern": None, "flags": "",
                               "feedback_html": "Oui", "line": 3}], "wrong_answers": []}
    prompt, translated = translate_question("<p>Which annex?</p>", data, texts)
    assert prompt == "<p>Quelle annexe ?</p>" and translated["hint_html"] == "indice"
    assert [a["text"] for a in translated["text_answers"]] == ["Annexe 11", "Annex 11"]
    assert translated["text_answers"][1]["feedback_html"] == ""
    assert data["hint_html"] == "h"  # the original is left as it was
    assert translate_question("<p>x</p>", data, None) == ("<p>x</p>", data)


@pytest.mark.parametrize(("kwargs", "shown"), [
    ({}, "en"),
    ({"interface": "fr"}, "fr"),
    ({"interface": "es"}, "en"),
    ({"interface": "fr", "asked": "en"}, "en"),
    ({"interface": "en", "remembered": "fr"}, "fr"),
    ({"asked": "de", "interface": "fr"}, "fr"),
    ({"interface": "pt"}, "pt-BR"),
])
def test_the_version_shown(kwargs, shown) -> None:
    assert pick_version(["fr", "pt-BR"], "en", **kwargs) == shown


def test_validate_names_the_versions_and_reports_their_codes(runner, write_course) -> None:
    folder = write_course(bilingual_files())
    result = runner.invoke(args=["courses", "validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "; versions in fr" in result.output
    folder = write_course(_fr("pass_mark: 50%", "pass_mark: 60%"))
    result = runner.invoke(args=["courses", "validate", str(folder)])
    assert result.exit_code == 1
    assert "01-yield.fr.md:" in result.output and "[version-quiz-settings]" in result.output
