"""Front matter: the YAML between the first two `---` lines of a course file."""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node


@dataclass(frozen=True)
class SplitError:
    line: int
    message: str
    code: str


@dataclass
class Split:
    node: Node | None  # None when there is no front matter or it does not parse
    body: str
    body_line: int  # line number (1-based) of the body's first line in the file
    error: SplitError | None = None


def split_front_matter(source: str) -> Split:
    """Separate the front matter from the body and compose it without implicit typing.

    `yaml.BaseLoader` resolves every scalar to a string, so `no`, `1:30` and `010` arrive
    exactly as typed; the schema decides what they mean.
    """
    lines = source.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return Split(None, source, 1, SplitError(1, 'the file must start with front matter between '
                                                    '"---" lines (at least a title)',
                                                    code="no-front-matter"))
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            yaml_text = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            body_line = index + 2
            break
    else:
        return Split(None, "", len(lines) + 1,
                     SplitError(1, 'the front matter is not closed: add a "---" line after it',
                                code="front-matter-not-closed"))
    try:
        node = yaml.compose(yaml_text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 2) if mark else 2
        reason = error.problem or "it is not valid YAML"
        if error.context and error.context_mark and error.context_mark.line + 2 != line:
            reason += f" ({error.context} that starts on line {error.context_mark.line + 2})"
        return Split(None, body, body_line,
                     SplitError(line, f"front matter does not parse: {reason}", code="bad-yaml"))
    if node is None:
        node = MappingNode("tag:yaml.org,2002:map", [], yaml.Mark("", 0, 0, 0, None, None))
    return Split(node, body, body_line)
