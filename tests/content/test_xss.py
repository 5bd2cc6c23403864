"""An XSS corpus placed everywhere an author can write never comes out executable."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import render_template_string

from app.content.loader import load_courses

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onmouseover="alert(1)">hover</p>',
    "<b <script>alert(1)//",
    '"><script>alert(1)</script>',
    "<!--<script>alert(1)</script>-->",
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button>'
    "</form>",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<a href="vbscript:msgbox(1)">x</a>',
    "<scr<script>ipt>alert(1)</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    '<img src="/content/media/../../evil" onerror="alert(1)">',
]

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form",
                  "button", "base", "meta", "link", "noscript", "template", "input"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background"}


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            compact = "".join((value or "").split()).lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and compact.startswith(("javascript:", "data:",
                                                              "vbscript:")):
                self.found.append(f"{tag}[{name}={value}]")


def executable_parts(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.found


def _write_course(root: Path, payload: str) -> None:
    one_line = payload.replace("\n", " ")
    course = root / "xss"
    course.mkdir()
    (course / "course.md").write_text(
        f"---\ntitle: \"{one_line.replace(chr(34), chr(39))}\"\nsummary: s\n---\n{payload}\n")
    (course / "01-lesson.md").write_text(f"""---
title: 'Lesson {one_line.replace("'", "''")}'
---
# Heading {one_line}

{payload}

::: warning {one_line}
{payload}
:::

```quiz
title: Quiz {one_line}
1.  Question {payload}
    (x) Choice {one_line}
        > Feedback {one_line}
    ( ) Other
    hint: Hint {one_line}
    explain: Explain {one_line}
2.  Essay {one_line}
    ___
    rubric:
    - 2: Criterion {one_line}
3.  Value {one_line}
    = Answer {one_line}
    != Wrong {one_line}
        > Wrong feedback {one_line}
```

```checklist
id: gowning
### Section {one_line}
- [ ] Item {one_line} {{critical}}
```
""")


def _all_html(course) -> list[str]:
    html = [course.landing_html]
    for module in course.modules:
        html += [module.body_html, module.facilitator_html]
        for quiz in module.quizzes:
            for q in quiz.questions:
                html += [q.prompt_html, q.hint_html, q.explain_html]
                html += [c.text_html for c in q.choices] + [c.feedback_html for c in q.choices]
                html += [a.feedback_html for a in q.wrong_answers]
                html += [c.text for c in q.rubric]
        for checklist in module.checklists:
            html += [item.text_html for item in checklist.items]
    return html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_never_executable_anywhere(tmp_path: Path, payload: str, app) -> None:
    _write_course(tmp_path, payload)
    courses, problems = load_courses([tmp_path])
    assert courses, [str(p) for p in problems.sorted()]
    course = courses[0]
    for fragment in _all_html(course):
        assert executable_parts(fragment) == [], fragment
    # Titles are text: templates escape them.
    module = course.modules[0]
    for title in (course.title, module.title, module.quizzes[0].title):
        shown = render_template_string("<h1>{{ title }}</h1>", title=title)
        assert executable_parts(shown) == [], shown


def test_the_inspector_catches_what_it_should() -> None:
    assert executable_parts("<script>x</script>") == ["<script>"]
    assert executable_parts('<a href="javascript:x">') == ["a[href=javascript:x]"]
    assert executable_parts('<img onerror="x">') == ["img[onerror]"]
