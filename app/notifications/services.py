"""Telling people: `notify` makes the in-app entry and, by the person's preference for the
kind, queues an e-mail now, keeps it for the morning's digest, or sends none.

Features call `notify` from their own services, in the transaction of the change it tells
of: a rolled-back change leaves neither an entry nor a mail. Like every service it flushes
and never commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update

from app.auth.models import User
from app.core.errors import ValidationError, refuse_all
from app.core.i18n import is_language
from app.core.zones import shown_in
from app.extensions import db
from app.mail.outbox import Attachment, queue_mail
from app.mail.render import mail_url, render_mail
from app.notifications.kinds import KINDS, Kind, Mode, kinds_for, mode_field, modes_for
from app.notifications.models import Notification, NotificationPreference

# The unsubscribe link's signature: its own salt, so no other signed value of the site
# passes for it. A link works for a year (mail is read late, and kept).
_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 366 * 24 * 3600
# The unsubscribe "kind" of the daily digest: it turns off every kind collected for it.
DIGEST = "notifications.digest"


@dataclass(frozen=True)
class Link:
    """Where a notification leads: an endpoint and its values, built as a path for the
    in-app entry and as an absolute address (SERVER_NAME) for the e-mail."""

    endpoint: str
    values: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def to(cls, endpoint: str, **values: Any) -> Link:
        return cls(endpoint, values)

    def path(self) -> str:
        return current_app.url_map.bind("").build(self.endpoint, dict(self.values))

    def absolute(self) -> str:
        return mail_url(self.endpoint, **self.values)


def is_staff(user: User) -> bool:
    return any(row.role != "learner" for row in user.role_rows)


def chosen_modes(user: User) -> dict[str, Mode]:
    """The choices `user` made, kind key -> mode (one statement)."""
    rows = db.session.execute(select(NotificationPreference.kind, NotificationPreference.mode)
                              .where(NotificationPreference.user_id == user.id))
    return {row.kind: Mode(row.mode) for row in rows}


def mode_for(user: User, kind: Kind) -> Mode:
    if kind.security:
        return Mode.IMMEDIATELY
    chosen = db.session.scalar(select(NotificationPreference.mode).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind.key))
    return kind.mode_for(Mode(chosen) if chosen is not None else None)


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The person and kind a link was signed for, or None if it is forged, altered or old."""
    try:
        data = _serializer().loads(token, max_age=UNSUBSCRIBE_MAX_AGE)
    except BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(
            data.get("k"), str):
        return None
    return data["u"], data["k"]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def find_recipient(signed: tuple[int, str] | None) -> User | None:
    """The active account an unsubscribe link was signed for."""
    if signed is None:
        return None
    user = db.session.get(User, signed[0])
    return user if user is not None and user.active else None


def unsubscribe_headers(user_id: int, kind: str) -> dict[str, str]:
    """RFC 8058's one-click unsubscribe for one kind: the mail client POSTs to the link."""
    link = mail_url("notifications.unsubscribe", token=unsubscribe_token(user_id, kind))
    return {"List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def mail_context(user: User, kind: Kind | None, key: str, link: str) -> dict[str, Any]:
    unsubscribe = None
    if kind is None or not kind.security:
        unsubscribe = mail_url("notifications.unsubscribe", token=unsubscribe_token(user.id, key))
    return {"recipient": user, "link": link, "unsubscribe_url": unsubscribe,
            "preferences_url": mail_url("notifications.preferences")}


def _summary(template: str, language: str | None, timezone: str | None,
             context: dict[str, Any]) -> str:
    """The `summary` block of the message's text part: the entry's line on the page."""
    app = current_app
    tag = language if is_language(language) else str(app.config["DEFAULT_LOCALE"])
    with force_locale(tag), shown_in(timezone or "UTC"):
        text_template = app.jinja_env.get_template(f"mail/{template}.txt")
        block = text_template.blocks.get("summary")
        if block is None:
            return ""
        values = {**context, "url_for": mail_url}
        app.update_template_context(values)
        return " ".join("".join(block(text_template.new_context(values))).split())


def notify(user: User, kind: str, *, template: str, context: Mapping[str, Any], url: Link | None,
           now: datetime, attachments: Iterable[Attachment] = ()) -> Notification:
    """Tell `user` of something: an entry on their notifications page, in their language,
    and the e-mail of `mail/<template>` now, in the morning's digest, or never, by their
    preference for `kind` (security kinds: always now). Flushes; never commits."""
    entry_kind = KINDS.get(kind)
    mode = mode_for(user, entry_kind)
    link = url.absolute() if url is not None else mail_url("notifications.index")
    values = {**context, **mail_context(user, entry_kind, kind, link)}
    rendered = render_mail(template, language=user.language, timezone=user.timezone, **values)
    entry = Notification(user_id=user.id, kind=kind, subject=rendered.subject[:500],
                         summary=_summary(template, user.language, user.timezone, values),
                         url=url.path() if url is not None else "", created_at=now,
                         mail="none")
    if user.active and mode is Mode.IMMEDIATELY:
        headers = None if entry_kind.security else unsubscribe_headers(user.id, kind)
        queue_mail(to=user.email, rendered=rendered, kind=kind, user_id=user.id, now=now,
                   attachments=attachments, headers=headers)
        entry.mail = "queued"
    elif user.active and mode is Mode.DIGEST:
        entry.mail = "digest"
    db.session.add(entry)
    # An expression, not a number read before: two notifications at once both count.
    user.unread_notifications = User.unread_notifications + 1
    db.session.flush()
    return entry


def notify_all(users: Iterable[User], kind: str, **arguments: Any) -> int:
    """`notify` each of `users` (each in their own language); how many."""
    count = 0
    for user in users:
        notify(user, kind, **arguments)
        count += 1
    return count


def mark_all_read(user: User, now: datetime) -> None:
    db.session.execute(update(Notification)
                       .where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=now).execution_options(synchronize_session=False))
    user.unread_notifications = 0


def mark_read(user: User, notification: Notification, now: datetime) -> None:
    """Mark one of the user's own entries read (the view has checked it is theirs)."""
    if notification.read_at is not None:
        return
    notification.read_at = now
    user.unread_notifications = User.unread_notifications - 1
    db.session.flush()


def preference_kinds(user: User) -> list[Kind]:
    """The kinds `user` may choose for, in the order the features registered them."""
    return kinds_for(KINDS.entries().values(), staff=is_staff(user))


def current_modes(user: User) -> dict[str, Mode]:
    return modes_for(preference_kinds(user), chosen_modes(user))


def set_preferences(user: User, choices: Mapping[str, Mode | None], now: datetime) -> None:
    """Keep `user`'s choice for each kind; a security kind or a missing choice is refused
    at its field (`kinds.mode_field`)."""
    kinds = {kind.key: kind for kind in preference_kinds(user)}
    problems = []
    for key, mode in choices.items():
        kind = kinds.get(key)
        if kind is None:
            problems.append(ValidationError(_l("There is no such kind of message."),
                                            field=mode_field(key)))
        elif mode is None:
            problems.append(ValidationError(_l("Choose immediately, daily digest or off."),
                                            field=mode_field(key)))
        elif kind.security and mode is not Mode.IMMEDIATELY:
            problems.append(ValidationError(_l("Security messages cannot be turned off."),
                                            field=mode_field(key)))
    refuse_all(problems)
    for key, mode in choices.items():
        if not kinds[key].security and mode is not None:
            _choose(user, key, mode, now)
    db.session.flush()


def _choose(user: User, key: str, mode: Mode, now: datetime) -> None:
    row = db.session.get(NotificationPreference, (user.id, key))
    if row is None:
        db.session.add(NotificationPreference(user_id=user.id, kind=key, mode=mode.value,
                                              chosen_at=now))
    elif row.mode != mode.value:
        row.mode, row.chosen_at = mode.value, now


def unsubscribe(user: User, key: str, now: datetime) -> list[Kind]:
    """What a one-click unsubscribe does: the kind off (the digest: every kind collected for
    it). Security kinds stay on. Returns the kinds turned off."""
    if key == DIGEST:
        modes = current_modes(user)
        kinds = [kind for kind in preference_kinds(user) if modes[kind.key] is Mode.DIGEST]
    else:
        kind = KINDS.find(key)
        kinds = [kind] if kind is not None and not kind.security else []
    for kind in kinds:
        _choose(user, kind.key, Mode.OFF, now)
    db.session.flush()
    return kinds
