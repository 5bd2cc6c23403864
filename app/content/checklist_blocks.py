"""The ```checklist blocks of a module, read line by line into specs.

A block arrives as its text and the file line of its first line. Markdown inside items is
turned into sanitized HTML by the `Inline` renderer the caller passes in, so this module
stays free of rendering details.
"""

from __future__ import annotations

import re

from app.content.block_reading import SETTING, Inline, typed_settings
from app.content.fields import check_id, parse_int, parse_percent, suggest, text
from app.content.specs import ChecklistItemSpec, ChecklistSpec, Problems

_ITEM = re.compile(r"^[-*]\s*\[\s?\]\s+(.+)$")
_CRITICAL = re.compile(r"\s*\{critical\}\s*$", re.I)


def _parse_checklist_pass_mark(value: str) -> int:
    """`all critical, 90%` or `90%`: critical items must always all be met."""
    percent = 100
    for part in (p.strip() for p in value.split(",")):
        if part.lower() == "all critical":
            continue
        percent = parse_percent(part)
    return percent


CHECKLIST_SETTINGS = {
    "id": check_id,
    "title": text,
    "pass_mark": _parse_checklist_pass_mark,
    "attempts": lambda v: parse_int(v, minimum=0),
}


def read_checklist(block: str, first_line: int, *, path: str, position: int,
                   inline: Inline, problems: Problems) -> ChecklistSpec:
    opening = first_line - 1
    raw_settings: dict[str, tuple[str, int]] = {}
    section = ""
    items: list[ChecklistItemSpec] = []
    for n, raw in enumerate(block.splitlines()):
        line_no, stripped = first_line + n, raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            section = stripped.lstrip("#").strip()
            continue
        item = _ITEM.match(stripped)
        if item:
            label = item.group(1)
            critical = bool(_CRITICAL.search(label))
            label = _CRITICAL.sub("", label)
            items.append(ChecklistItemSpec(str(len(items) + 1), len(items) + 1, section,
                                           inline.inline(label, line_no), critical, line_no))
            continue
        setting = SETTING.match(stripped)
        if setting:
            key, value = setting.group(1), setting.group(2) or ""
            if items or section:
                problems.add(path, line_no, f'checklist setting "{key}" must come before the '
                             "first heading and item", code="setting-after-items")
            elif key not in CHECKLIST_SETTINGS:
                problems.add(path, line_no, f'unknown checklist setting "{key}"'
                             + suggest(key, CHECKLIST_SETTINGS), code="unknown-setting")
            elif key in raw_settings:
                problems.add(path, line_no, f'"{key}" is given twice in the checklist settings',
                             code="duplicate-setting")
            else:
                raw_settings[key] = (value, line_no)
            continue
        problems.add(path, line_no, f'a checklist item must look like "- [ ] text", not '
                     f'"{stripped[:40]}"', code="bad-checklist-item")
    settings = typed_settings(raw_settings, CHECKLIST_SETTINGS,
                              lambda line, message, code: problems.add(path, line, message,
                                                                       code=code))
    if "id" not in raw_settings:
        problems.add(path, opening, 'a checklist needs an "id" (it names the sign-off record)',
                     code="checklist-without-id")
    if not items:
        problems.add(path, opening, 'the checklist has no items ("- [ ] text" lines)',
                     code="empty-checklist")
    return ChecklistSpec(
        slug=str(settings.get("id", f"checklist-{position}")), position=position, line=opening,
        title=str(settings.get("title", "")),
        pass_percent=int(settings.get("pass_mark", 100)),  # type: ignore[call-overload]
        attempts=int(settings.get("attempts", 0)),  # type: ignore[call-overload]
        items=items,
    )
