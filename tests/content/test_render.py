"""The renderer: Markdown extensions, facilitator notes, slots, images, sanitizing."""

from textwrap import dedent

from app.content.render import render_body, sanitize
from app.content.specs import Problems

MEDIA = {"media/flow.svg": "/content/media/c/0123456789abcdef/flow.svg",
         "media/Fiche de procédé.pdf": "/content/media/c/00112233aabbccdd/Fiche de procédé.pdf",
         "media/sop.pdf": "/content/media/c/fedcba9876543210/sop.pdf"}


def render(body: str, language: str = "en"):
    problems = Problems()
    result = render_body(dedent(body), 5, path="m.md", media_urls=MEDIA,
                         default_quiz_slug=lambda n: f"m-quiz-{n}", problems=problems,
                         language=language)
    return result, [(p.line, p.message) for p in problems.sorted()]


def test_commonmark_extensions() -> None:
    result, problems = render("""
        # Data integrity

        | Attribute | Meaning |
        |---|---|
        | Attributable | who did it |

        ALCOA+[^1]

        Contemporaneous
        : recorded when done

        [^1]: WHO TRS 1033, Annex 4.
        """)
    assert problems == []
    html = result.html
    assert '<h1 id="data-integrity">Data integrity</h1>' in html
    assert "<table>" in html and "<td>Attributable</td>" in html
    assert '<sup class="footnote-ref">' in html and '<section class="footnotes">' in html
    assert "<dl>" in html and "<dt>Contemporaneous</dt>" in html


def test_callouts() -> None:
    result, _ = render("::: warning Grade A\nNever open the door.\n:::\n\n::: tip\nSmile.\n:::\n")
    assert '<aside class="callout callout-warning">' in result.html
    assert '<p class="callout-title">Grade A</p>' in result.html
    assert '<p class="callout-title">Tip</p>' in result.html


def test_a_callout_s_own_heading_is_in_the_file_s_language() -> None:
    """Rendered once at import, in the language of the module or version file."""
    body = "::: note\nUn lot.\n:::\n\n::: warning Zone A\nJamais.\n:::\n"
    french, _ = render(body, "fr")
    assert '<p class="callout-title">Remarque</p>' in french.html
    assert '<p class="callout-title">Zone A</p>' in french.html  # the author's own stays
    korean, _ = render(body, "ko")
    assert '<p class="callout-title">참고</p>' in korean.html


def test_facilitator_notes_are_rendered_apart_and_never_for_learners() -> None:
    result, _ = render("""
        Before.

        ::: facilitator
        Ask trainees for a **data-integrity incident**.
        :::

        After.
        """)
    assert "incident" not in result.html and "facilitator" not in result.html
    assert "Before." in result.html and "After." in result.html
    assert result.facilitator_html == "<p>Ask trainees for a <strong>data-integrity incident"\
        "</strong>.</p>\n"


def test_quiz_and_checklist_become_data_and_slots() -> None:
    result, problems = render("""
        ```quiz
        1.  Secret question?
            (x) The right answer
            ( ) Wrong
                > secret feedback
        ```

        ```checklist
        id: gowning
        - [ ] Removes watch {critical}
        ```
        """)
    assert problems == []
    assert '<div class="quiz-slot" data-quiz="m-quiz-1"></div>' in result.html
    assert '<div class="checklist-slot" data-checklist="gowning"></div>' in result.html
    for secret in ("Secret question", "The right answer", "secret feedback", "(x)", "<pre>"):
        assert secret not in result.html
    assert result.quizzes[0].questions[0].choices[0].correct is True
    assert result.checklists[0].items[0].critical is True


def test_quiz_lines_are_file_lines() -> None:
    # The body starts at file line 5; the fence opens on body line 2 (file line 6).
    _, problems = render("\n```quiz\n1.  Q\n    ( ) a\n```\n")
    assert problems == [(7, "question 1 is single choice and needs exactly one (x); it has 0")]


def test_images_come_from_media_only() -> None:
    result, problems = render("""
        ![Flow](media/flow.svg)

        ![Remote](https://example.org/a.png) and ![Data](data:image/png;base64,AAAA)
        """)
    assert '<img src="/content/media/c/0123456789abcdef/flow.svg" alt="Flow">' in result.html
    assert "example.org" not in result.html and "data:image" not in result.html
    assert [line for line, _ in problems] == [8, 8]


def test_other_code_blocks_stay_code() -> None:
    result, _ = render("```python\nprint('<b>')\n```\n")
    assert "<pre><code" in result.html and "&lt;b&gt;" in result.html


def test_sanitize_allowlist() -> None:
    assert sanitize('<p onclick="x()">a</p>') == "<p>a</p>"
    assert sanitize('<a href="javascript:alert(1)">x</a>') == '<a rel="noopener noreferrer">x</a>'
    assert sanitize("<style>p{}</style><script>alert(1)</script>ok") == "ok"
    assert sanitize('<iframe src="https://x"></iframe>ok') == "ok"
    assert sanitize('<div class="quiz-slot evil">x</div>') == '<div class="quiz-slot">x</div>'


def test_links_to_media_files_resolve_and_unknown_ones_are_errors() -> None:
    result, problems = render("Read the [SOP](media/sop.pdf) and [this](media/nope.pdf).\n")
    assert '<a href="/content/media/c/fedcba9876543210/sop.pdf"' in result.html
    assert problems == [(5, 'link "media/nope.pdf" is not in this course\'s media/ folder: '
                            "put the file in media/ and write media/<file>")]


def test_images_in_quiz_text_resolve_too() -> None:
    result, problems = render("```quiz\n1.  Which step? ![Flow](media/flow.svg)\n"
                              "    (x) ![Flow](media/flow.svg)\n"
                              "    ( ) ![Gone](media/gone.png)\n```\n")
    question = result.quizzes[0].questions[0]
    assert "/content/media/c/0123456789abcdef/flow.svg" in question.prompt_html
    assert "/content/media/c/0123456789abcdef/flow.svg" in question.choices[0].text_html
    assert problems == [(8, 'image "media/gone.png" is not in this course\'s media/ folder: '
                            "put the file in media/ and write media/<file>")]


def test_unknown_and_unclosed_containers_are_errors() -> None:
    _, problems = render("::: facilitater\nStaff only.\n:::\n\n::: Warning\nx\n:::\n\n"
                         "::: facilitator\nNever closed.\n")
    assert problems == [
        (5, 'unknown block "::: facilitater": use one of note, tip, warning, danger, '
            'facilitator; did you mean "facilitator"?'),
        (9, 'unknown block "::: Warning": use one of note, tip, warning, danger, facilitator; '
            'did you mean "warning"?'),
        (13, '"::: facilitator" is not closed: end it with a line ":::"'),
    ]


def test_containers_inside_code_are_not_checked() -> None:
    _, problems = render("```text\n::: whatever\n```\n")
    assert problems == []


def test_a_misspelt_block_type_is_an_error_not_a_code_block() -> None:
    _, problems = render("```Quiz\n1.  Q\n    (x) a\n```\n\n```quizz\n1. Q\n```\n\n"
                         "```python\nx\n```\n")
    assert problems == [(5, 'unknown block type "Quiz"; did you mean "quiz"?'),
                        (10, 'unknown block type "quizz"; did you mean "quiz"?')]


def test_a_quiz_inside_facilitator_notes_is_an_error() -> None:
    _, problems = render("::: facilitator\n```quiz\n1.  Q\n    = a\n```\n:::\n")
    assert problems == [(6, "a quiz cannot be inside ::: facilitator: learners would never "
                            "see it")]


def test_media_names_with_spaces_accents_and_fragments() -> None:
    result, problems = render("See [the sheet](<media/Fiche de procédé.pdf#page=2>).\n")
    assert problems == []
    assert ('href="/content/media/c/00112233aabbccdd/Fiche%20de%20proc%C3%A9d%C3%A9.pdf#page=2"'
            in result.html)


def test_a_leading_heading_equal_to_the_title_is_not_repeated() -> None:
    problems = Problems()
    result = render_body("# Gowning\n\nText.\n\n# Gowning\n", 5, path="m.md", media_urls={},
                         default_quiz_slug=lambda n: "q", problems=problems, title="Gowning")
    assert result.html == '<p>Text.</p>\n<h1 id="gowning-1">Gowning</h1>\n'
