"""Account messages, for everyone and always e-mailed (security kinds): the password was
changed; someone signed in from a browser the account has not used before.

Accounts sit below notifications (notifications reads `users`), so accounts cannot call
`notify` themselves: they tell their hooks (`auth.services.PASSWORD_CHANGED`,
`NEW_DEVICE_SIGN_IN`), in the same transaction, and these are the hooks. "A new browser" is
kept simple: a user agent string the account has never signed in with (a digest of it is
kept on each login session), whatever the network. A browser update changes the string,
so it is told once more: a false alarm now and then, never a silent new device.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.services import NEW_DEVICE_SIGN_IN, PASSWORD_CHANGED
from app.notifications.kinds import KINDS, Audience, Kind
from app.notifications.services import Link, notify

PASSWORD_CHANGED_KIND = "account.password_changed"  # noqa: S105 (a kind, not a secret)
NEW_DEVICE_KIND = "account.new_device"


def init_account_messages(app: Flask) -> None:
    KINDS.register(app, PASSWORD_CHANGED_KIND, Kind(
        PASSWORD_CHANGED_KIND, _l("Your password was changed"), Audience.EVERYONE,
        security=True))
    KINDS.register(app, NEW_DEVICE_KIND, Kind(
        NEW_DEVICE_KIND, _l("A sign-in from a new browser"), Audience.EVERYONE, security=True))
    PASSWORD_CHANGED.add(app, password_changed)
    NEW_DEVICE_SIGN_IN.add(app, new_device_sign_in)


def password_changed(user: User, now: datetime) -> None:
    notify(user, PASSWORD_CHANGED_KIND, template="notifications/password_changed",
           context={"changed_at": now}, url=Link.to("auth.profile"), now=now)


def new_device_sign_in(user: User, user_agent: str, now: datetime) -> None:
    notify(user, NEW_DEVICE_KIND, template="notifications/new_device",
           context={"signed_in_at": now, "user_agent": user_agent[:300] or "—"},
           url=Link.to("auth.password"), now=now)
