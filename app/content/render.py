"""Markdown to safe HTML: the one place where course text becomes HTML.

markdown-it-py parses CommonMark plus tables, footnotes, definition lists, heading anchors and
`:::` containers. Everything it produces passes through `sanitize`, one nh3 cleaner with an
explicit allowlist. Rendering happens at import only; pages show the stored result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote, unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from app.content.block_reading import Inline
from app.content.checklist_blocks import read_checklist
from app.content.fields import suggest
from app.content.quiz_blocks import read_quiz
from app.content.specs import ChecklistSpec, Problems, QuizSpec
from app.core.formats import interface_catalog

CALLOUTS = ("note", "tip", "warning", "danger")
FACILITATOR = "facilitator"
# Where the content blueprint serves published media (app/content/routes.py). Lessons are
# rendered at import with their media links in them: RENDERER_VERSION (loader.py) rises
# when this changes, so that the next import stores every lesson with the new links.
MEDIA_URL_PREFIX = "/content/media/"

# --- sanitizing ----------------------------------------------------------------------------

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "section", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul", "aside",
}
_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"}, "sup": {"id"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
    "div": {"data-quiz", "data-checklist"},
    "abbr": {"title"},
}
_CLASSES = {
    "aside": {"callout", *(f"callout-{name}" for name in CALLOUTS)},
    "p": {"callout-title"},
    "div": {"quiz-slot", "checklist-slot"},
    "section": {"footnotes"},
    "hr": {"footnotes-sep"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
    "sup": {"footnote-ref"},
    "a": {"footnote-backref"},
}
_URL_SCHEMES = {"http", "https", "mailto"}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Images come only from the course's own media, served by the app.
    if tag == "img" and attribute == "src" and not value.startswith(MEDIA_URL_PREFIX):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template",
                        "svg", "math", "textarea", "select", "title"},
    attributes=_ATTRIBUTES,
    allowed_classes=_CLASSES,
    attribute_filter=_attribute_filter,
    url_schemes=_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """The only way HTML from a course reaches a page: nh3 with TrainHub's allowlist."""
    return _CLEANER.clean(html)


# --- the Markdown parser -------------------------------------------------------------------


def callout_title(name: str, language: str) -> str:
    """A callout's heading when its author gives none: its kind, in the language of the
    file it is in (rendered once, at import)."""
    catalog = interface_catalog(language)
    titles = {"note": catalog.pgettext("callout", "Note"),
              "tip": catalog.pgettext("callout", "Tip"),
              "warning": catalog.pgettext("callout", "Warning"),
              "danger": catalog.pgettext("callout", "Danger")}
    return str(titles.get(name, name.capitalize()))


def _render_callout(self: Any, tokens: list[Token], idx: int, _options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.nesting != 1:
        return "</aside>\n"
    name = token.info.strip().split(maxsplit=1)[0]
    title = token.info.strip()[len(name):].strip() or callout_title(name, env.get("language", "en"))
    return (f'<aside class="callout callout-{name}">\n'
            f'<p class="callout-title">{escape(title)}</p>\n')


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    md.use(footnote_plugin).use(deflist_plugin).use(anchors_plugin, min_level=1, max_level=4)
    for name in CALLOUTS:
        md.use(container_plugin, name, render=_render_callout)
    # Facilitator notes are cut out of the token stream before rendering (see below).
    md.use(container_plugin, FACILITATOR)
    return md


_MD = _make_parser()


# --- a module's body -----------------------------------------------------------------------


@dataclass
class RenderedBody:
    html: str = ""
    facilitator_html: str = ""
    quizzes: list[QuizSpec] = field(default_factory=list)
    checklists: list[ChecklistSpec] = field(default_factory=list)


@dataclass
class _Source:
    """One file being rendered: where errors go and how media/ references resolve."""

    path: str
    media_urls: Mapping[str, str]
    problems: Problems

    def inline(self, text: str, line: int) -> str:
        tokens = _MD.parseInline(text, {})
        self.resolve_media(tokens, line, text.splitlines(), line)
        return sanitize(_MD.renderer.render(tokens, _MD.options, {}))

    def block(self, text: str, line: int) -> str:
        env: dict[str, Any] = {}
        tokens = _MD.parse(text, env)
        self.resolve_media(tokens, line, text.splitlines(), line)
        return sanitize(_MD.renderer.render(tokens, _MD.options, env))

    def resolve_media(self, tokens: list[Token], default_line: int, lines: list[str],
                      first_line: int) -> None:
        """Point images and links at media/ files to the URLs the app serves them at."""
        for token in tokens:
            if token.type != "inline" or not token.children:
                continue
            for child in _walk(token.children):
                attribute = {"image": "src", "link_open": "href"}.get(child.type)
                if attribute is None:
                    continue
                target = str(child.attrs.get(attribute, ""))
                # markdown-it percent-encodes the link; files are named as on disk.
                path, _, fragment = unquote(target).removeprefix("./").partition("#")
                url = self.media_urls.get(path.partition("?")[0])
                if url is not None:
                    child.attrs[attribute] = quote(url) + (f"#{fragment}" if fragment else "")
                elif child.type == "image" or target.startswith(("media/", "./media/")):
                    line = _line_containing(target, token, lines, first_line, default_line)
                    what = "image" if child.type == "image" else "link"
                    self.problems.add(self.path, line, f'{what} "{target}" is not in this '
                                      "course's media/ folder: put the file in media/ and "
                                      "write media/<file>", code="file-outside-media")
                    child.attrs[attribute] = ""


def _walk(tokens: list[Token]) -> list[Token]:
    found: list[Token] = []
    stack = list(tokens)
    while stack:
        token = stack.pop()
        found.append(token)
        if token.children:
            stack.extend(token.children)
    return found


def _line_containing(needle: str, token: Token, lines: list[str], first_line: int,
                     default_line: int) -> int:
    start, end = token.map if token.map else (0, len(lines))
    for index in range(start, min(end, len(lines))):
        if needle and needle in lines[index]:
            return first_line + index
    return default_line if not token.map else first_line + start


def _split_facilitator(tokens: list[Token], source: _Source) -> tuple[list[Token], list[Token]]:
    """Learner tokens and facilitator tokens: notes for staff never reach learner HTML."""
    learner: list[Token] = []
    staff: list[Token] = []
    depth = 0
    for token in tokens:
        if token.type == f"container_{FACILITATOR}_open":
            depth += 1
            if depth == 1:
                continue
        elif token.type == f"container_{FACILITATOR}_close":
            depth -= 1
            if depth == 0:
                continue
        if depth and "block" in token.meta:
            source.problems.add(source.path, token.meta["block"], f"a {token.meta['kind']} "
                                "cannot be inside ::: facilitator: learners would never see it",
                                code="block-in-facilitator")
        (staff if depth else learner).append(token)
    return learner, staff


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CONTAINER = re.compile(r"^\s{0,3}:{3,}\s*(\S*)")


def _check_containers(body: str, first_line: int, source: _Source) -> None:
    """Every ::: block has a known name and is closed; typos would show staff notes."""
    known = (*CALLOUTS, FACILITATOR)
    open_blocks: list[tuple[str, int]] = []
    fence: str | None = None
    for index, line in enumerate(body.splitlines()):
        fenced = _FENCE.match(line)
        if fenced:
            marker = fenced.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        container = None if fence else _CONTAINER.match(line)
        if container is None:
            continue
        name = container.group(1)
        line_no = first_line + index
        if not name:
            if open_blocks:
                open_blocks.pop()
            else:
                source.problems.add(source.path, line_no, '":::" closes no block',
                                    code="stray-block-close")
        else:
            if name not in known:
                source.problems.add(source.path, line_no, f'unknown block "::: {name}": use '
                                    f'one of {", ".join(known)}' + suggest(name, known),
                                    code="unknown-callout")
            open_blocks.append((name, line_no))
    for name, line_no in open_blocks:
        source.problems.add(source.path, line_no, f'"::: {name}" is not closed: end it with a '
                            'line ":::"', code="unclosed-block")


def _drop_title(tokens: list[Token], title: str) -> list[Token]:
    """A body that opens with `# <its own title>` would repeat the page's heading."""
    if (title and len(tokens) >= 3 and tokens[0].type == "heading_open"
            and tokens[0].tag == "h1" and tokens[1].content.strip() == title.strip()):
        return tokens[3:]
    return tokens


def render_body(body: str, first_line: int, *, path: str, media_urls: Mapping[str, str],
                default_quiz_slug: Callable[[int], str], problems: Problems,
                title: str = "", language: str = "en") -> RenderedBody:
    """Render a module or course body; read its quiz and checklist blocks into specs.

    `first_line` is the file line of the body's first line, for error messages.
    `media_urls` maps "media/<file>" to the URL the app serves it at. A leading heading
    equal to `title` is left out: the page shows the title already. `language` is the
    file's: the words the renderer adds (a callout's default heading) are in it.
    """
    source = _Source(path, media_urls, problems)
    _check_containers(body, first_line, source)
    env: dict[str, Any] = {"language": language}
    tokens = _MD.parse(body, env)
    result = RenderedBody()
    for token in tokens:
        if token.type == "fence":
            line = first_line + (token.map[0] if token.map else 0)
            _replace_block(token, line, source, result, default_quiz_slug)
    source.resolve_media(tokens, first_line, body.splitlines(), first_line)
    learner, staff = _split_facilitator(_drop_title(tokens, title), source)
    result.html = sanitize(_MD.renderer.render(learner, _MD.options, env))
    if staff:
        result.facilitator_html = sanitize(_MD.renderer.render(staff, _MD.options, env))
    return result


BLOCK_KINDS = ("quiz", "checklist")


def _replace_block(token: Token, line: int, source: _Source, result: RenderedBody,
                   default_quiz_slug: Callable[[int], str]) -> None:
    """A quiz or checklist fence becomes structured data and an empty slot in the HTML."""
    kind = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    inline = Inline(inline=source.inline, block=source.block)
    if kind == "quiz":
        position = len(result.quizzes) + 1
        quiz = read_quiz(token.content, line + 1, path=source.path, position=position,
                         default_slug=default_quiz_slug(position), inline=inline,
                         problems=source.problems)
        result.quizzes.append(quiz)
        slot = f'<div class="quiz-slot" data-quiz="{escape(quiz.slug)}"></div>\n'
    elif kind == "checklist":
        checklist = read_checklist(token.content, line + 1, path=source.path,
                                   position=len(result.checklists) + 1, inline=inline,
                                   problems=source.problems)
        result.checklists.append(checklist)
        slot = f'<div class="checklist-slot" data-checklist="{escape(checklist.slug)}"></div>\n'
    else:
        # A near miss ("Quiz", "quizz") would show the answer key as a code block.
        if kind and (kind.lower() in BLOCK_KINDS or suggest(kind.lower(), BLOCK_KINDS)):
            source.problems.add(source.path, line, f'unknown block type "{kind}"'
                                + (suggest(kind.lower(), BLOCK_KINDS)
                                   or f'; did you mean "{kind.lower()}"?'),
                                code="unknown-block-type")
        return
    token.type, token.content, token.children = "html_block", slot, None
    token.meta = {"block": line, "kind": kind}


# Where a module's hands-on checklist stands in its stored HTML (written by _replace_block).
_CHECKLIST_SLOT = re.compile(r'<div class="checklist-slot" data-checklist="([^"]+)"></div>')


def checklist_slugs(html: str) -> list[str]:
    """The ids of the checklists placed in stored module HTML, in page order."""
    return _CHECKLIST_SLOT.findall(html)


def inline_renderer(path: str, media_urls: Mapping[str, str], problems: Problems) -> Inline:
    """An Inline for quiz and checklist text outside a module body (tests, tools)."""
    source = _Source(path, media_urls, problems)
    return Inline(inline=source.inline, block=source.block)


def render_markdown(text: str) -> str:
    """Markdown written in the browser outside a course (a call's description): the same
    parser and the same cleaner, without media or quiz and checklist blocks (a fence stays
    a code block, an image is dropped: only a course's own media may be shown)."""
    tokens = _MD.parse(text, {})
    return sanitize(_MD.renderer.render(tokens, _MD.options, {}))
