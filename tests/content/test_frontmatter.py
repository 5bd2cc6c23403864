"""Front matter is read as text first: no YAML 1.1 surprises."""

from app.content.fields import read_mapping
from app.content.frontmatter import split_front_matter
from app.content.loader import MODULE_SCHEMA
from app.content.objectives import ObjectiveEntry


def _read(source: str):
    problems: list[tuple[int, str]] = []
    split = split_front_matter(source)
    assert split.node is not None, split.error
    values, lines = read_mapping(split.node, MODULE_SCHEMA,
                                 lambda line, message, code: problems.append((line, message)),
                                 what="module", line_offset=1)
    return values, lines, problems, split


def test_yaml_11_surprises_stay_text() -> None:
    split = split_front_matter("---\ntitle: no\nduration: 1:30\nversion: 010\n---\n")
    assert split.node is not None
    pairs = {k.value: v.value for k, v in split.node.value}
    assert pairs == {"title": "no", "duration": "1:30", "version": "010"}


def test_values_typed_with_lines_and_body_position() -> None:
    values, lines, problems, split = _read(
        "---\ntitle: Yes\nversion: 010\noptional: no\nobjectives:\n  - one\n  - two\n"
        "session:\n  capacity: 12\n---\n# Body\n")
    assert problems == []
    assert values["title"] == "Yes" and values["version"] == 10 and values["optional"] is False
    assert values["objectives"] == [ObjectiveEntry(None, "one", 6), ObjectiveEntry(None, "two", 7)]
    assert values["session"]["capacity"] == 12 and values["session"]["attendance"] == "required"
    assert lines["version"] == 3 and lines["session"] == 8
    assert split.body == "# Body\n" and split.body_line == 11


def test_bad_values_are_reported_on_their_lines() -> None:
    _, _, problems, _ = _read("---\ntitle: T\nduration: 1:30\nsession:\n  capacty: 3\n---\n")
    assert (3, 'duration: "1:30" is not a duration; write it like "45 min", "2 h" or '
               '"1 h 30 min"') in problems
    assert any(line == 5 and 'did you mean "capacity"' in message for line, message in problems)


def test_missing_or_unclosed_front_matter() -> None:
    missing = split_front_matter("# No front matter\n").error
    assert missing is not None and missing.line == 1
    unclosed = split_front_matter("---\ntitle: x\n")
    assert unclosed.error is not None and "not closed" in unclosed.error.message


def test_a_scalar_where_a_list_is_expected_is_a_list_of_one() -> None:
    values, _, problems, _ = _read("---\ntitle: T\nprerequisites: why-gxp\n---\n")
    assert values["prerequisites"] == ["why-gxp"] and problems == []


def test_a_list_where_a_value_is_expected_is_refused() -> None:
    _, _, problems, _ = _read("---\ntitle: [a, b]\n---\n")
    assert problems == [(2, "title: must be a single value, not a list or map")]
