"""Account services: registration, credentials, login sessions, profile and roles.

Services take the actor and `now`, flush but never commit, and raise domain errors whose
`field` names the form field they concern.
"""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.auth.models import LoginSession, User, UserRole
from app.auth.passwords import hash_password, password_problems, verify_password
from app.auth.queries import KNOWN_DEVICES, session_user
from app.core.auth import authorize
from app.core.countries import is_country_code
from app.core.errors import NotFound, ValidationError, refuse_all
from app.core.i18n import is_language
from app.core.registry import Hooks
from app.core.roles import Role
from app.extensions import db
from app.records.services import record_event

# Told, in the transaction of the change, of what the account's owner must hear of: the
# notifications feature mails them (accounts never import it).
PASSWORD_CHANGED: Hooks[Callable[[User, datetime], None]] = Hooks("password changed hooks")
# A sign-in from a browser (user agent) the account has not signed in with before: the
# user, the user agent as the browser sent it, and when.
# Called when an account's roles change (created with them, or set on the admin page):
# (actor, user, old roles, new roles, now). Centres keeps the centre roles in step.
ROLES_CHANGED: Hooks[Callable[[User | None, User, frozenset[Role], frozenset[Role], datetime],
                              None]] = Hooks("roles changed hooks")
NEW_DEVICE_SIGN_IN: Hooks[Callable[[User, str, datetime], None]] = Hooks(
    "new device sign-in hooks")


@dataclass(frozen=True)
class Profile:
    name: str
    country: str | None
    organisation: str = ""
    timezone: str = "UTC"


def normalize_email(email: str) -> str:
    """The canonical form of an e-mail address, or ValidationError on the `email` field."""
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        # email_validator's own text ("The part after the @-sign ...") is for programmers.
        raise ValidationError(_l("Enter a valid e-mail address, like name@example.org."),
                              field="email") from error
    return result.normalized.lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def _profile_problems(profile: Profile, *, require_country: bool) -> list[ValidationError]:
    problems = []
    if not profile.name.strip():
        problems.append(ValidationError(_l("Enter your name."), field="name"))
    if profile.country is None:
        if require_country:
            problems.append(ValidationError(_l("Choose your country."), field="country"))
    elif not is_country_code(profile.country):
        problems.append(ValidationError(_l("Choose a country from the list."), field="country"))
    if profile.timezone not in zoneinfo.available_timezones():
        problems.append(ValidationError(_l("Choose a time zone from the list."), field="timezone"))
    return problems


def _check_profile(profile: Profile, *, require_country: bool = False) -> Profile:
    refuse_all(_profile_problems(profile, require_country=require_country))
    return Profile(profile.name.strip(), profile.country, profile.organisation.strip(),
                   profile.timezone)


def account_problems(*, email: str, password: str, profile: Profile,
                     require_country: bool = False,
                     report_taken: bool = True) -> list[ValidationError]:
    """Everything wrong with the details of a new account, all at once: the e-mail address,
    the profile, the password and (unless `report_taken` is False: registration must not
    tell) whether the address is taken."""
    problems = []
    try:
        email = normalize_email(email)
    except ValidationError as error:
        problems.append(error)
    else:
        if report_taken and find_user_by_email(email) is not None:
            problems.append(ValidationError(_l("An account with this e-mail address exists "
                                            "already."), field="email"))
    problems += _profile_problems(profile, require_country=require_country)
    weak = password_problems(password, email=email, name=profile.name.strip())
    if weak:
        problems.append(ValidationError(" ".join(weak), field="password"))
    return problems


def _check_password(password: str, email: str, name: str, field: str = "password") -> None:
    problems = password_problems(password, email=email, name=name)
    if problems:
        raise ValidationError(" ".join(problems), field=field)


def _user_event(action: str, actor: User | None, user: User, now: datetime,
                details: dict[str, Any] | None = None, reason: str = "") -> None:
    record_event(action, actor=actor, now=now, subject_type="user", subject_id=user.id,
                 learner_id=user.id, details=details, reason=reason)


def _add_account(*, email: str, password: str, profile: Profile, roles: Iterable[Role],
                 now: datetime, require_country: bool = False) -> User:
    refuse_all(account_problems(email=email, password=password, profile=profile,
                                require_country=require_country))
    email, profile = normalize_email(email), _check_profile(profile)
    role_set = {Role(role) for role in roles}
    if not role_set:
        raise ValidationError(_l("An account needs at least one role."), field="roles")
    user = User(
        email=email, name=profile.name, password_hash=hash_password(password),
        country=profile.country, organisation=profile.organisation, timezone=profile.timezone,
        created_at=now, role_rows=[UserRole(role=role.value) for role in sorted(role_set)],
    )
    db.session.add(user)
    db.session.flush()
    return user


def _account_details(user: User) -> dict[str, Any]:
    return {"email": user.email, "name": user.name, "country": user.country,
            "organisation": user.organisation, "roles": sorted(user.roles)}


def create_account(
    *, email: str, password: str, profile: Profile, roles: Iterable[Role] = (Role.LEARNER,),
    now: datetime, actor: User | None = None,
) -> User:
    """Create an account for someone else: an administrator, or the command line (None),
    who vouch for the address: it counts as confirmed."""
    user = _add_account(email=email, password=password, profile=profile, roles=roles, now=now)
    user.email_verified_at = now
    _user_event("user.created", actor, user, now, _account_details(user))
    _roles_changed(actor, user, frozenset(), user.roles, now)
    return user


def _roles_changed(actor: User | None, user: User, old: frozenset[Role], new: frozenset[Role],
                   now: datetime) -> None:
    if old != new:
        for hook in ROLES_CHANGED.all():
            hook(actor, user, old, new, now)


# The password hash of an account that has none yet (an invited trainee): no password
# verifies against it, and the set-password link of its invitation replaces it.
NO_PASSWORD = "!"  # noqa: S105 (a marker, not a password)


def create_invited_account(*, email: str, profile: Profile, now: datetime, actor: User | None,
                           language: str | None = None, gender: str | None = None,
                           organisation_type: str | None = None) -> User:
    """A learner's account made for them by a centre's staff (an intake's import), with no
    password: its owner sets one through the link of their invitation. The address is the
    one their organisation gave; it counts as confirmed when they follow the link."""
    email, profile = normalize_email(email), _check_profile(profile)
    if find_user_by_email(email) is not None:
        raise ValidationError(_l("An account with this e-mail address exists already."),
                              field="email")
    user = User(email=email, name=profile.name, password_hash=NO_PASSWORD,
                country=profile.country, organisation=profile.organisation,
                timezone=profile.timezone, language=language if is_language(language) else None,
                gender=gender, organisation_type=organisation_type, created_at=now,
                role_rows=[UserRole(role=Role.LEARNER.value)])
    db.session.add(user)
    db.session.flush()
    _user_event("user.created", actor, user, now, {**_account_details(user), "invited": True})
    return user


def register_learner(*, email: str, password: str, profile: Profile, now: datetime,
                     language: str | None = None) -> User:
    """Self-registration from the web: every new account starts as a learner, in the
    interface language the visitor chose before registering (None: as their browser asks)."""
    user = _add_account(email=email, password=password, profile=profile,
                        roles=(Role.LEARNER,), now=now, require_country=True)
    choose_language(user, language if is_language(language) else None)
    _user_event("user.registered", user, user, now, _account_details(user))
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with these credentials, or None; upgrades an outdated hash. Not
    counted against the log-in limits: the log-in page goes through `app.auth.lockout`."""
    user = find_user_by_email(email)
    matches, needs_rehash = verify_password(user.password_hash if user else None, password)
    if user is None or not matches or not user.active:
        return None
    if needs_rehash:
        user.password_hash = hash_password(password)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_of(user_agent: str) -> str:
    """What a login session keeps of its browser: a digest of the user agent it sent."""
    return hashlib.sha256(user_agent.strip().encode()).hexdigest()


def _is_new_device(user: User, device: str) -> bool:
    """Whether `user` has signed in before from some known browser but never from this
    one. Sessions from before browsers were kept (no device) count as neither, so that the
    first sign-in after the upgrade does not alarm everyone."""
    row = db.session.execute(KNOWN_DEVICES, {"user_id": user.id, "device": device}).one()
    return bool(row.known) and not row.this_one


def start_login_session(user: User, now: datetime, *, user_agent: str = "") -> str:
    """Open a login session for `user`; return the token the browser keeps. A sign-in from
    a browser the account has not used before is told to `NEW_DEVICE_SIGN_IN`'s hooks."""
    token = secrets.token_urlsafe(32)
    device = device_of(user_agent)
    if _is_new_device(user, device):
        for hook in NEW_DEVICE_SIGN_IN.all():
            hook(user, user_agent, now)
    login = LoginSession(user=user, token_hash=_token_hash(token), created_at=now,
                         device=device)
    db.session.add(login)
    db.session.flush()
    user.session_token = token
    record_event("login.started", actor=user, now=now, subject_type="login_session",
                 subject_id=login.id)
    return token


def load_session_user(token: str) -> User | None:
    """The active user whose open login session has this token, roles included (one
    statement), as a persistent User of this request's session."""
    user = session_user(_token_hash(token))
    if user is not None:
        user.session_token = token
    return user


def choose_language(user: User, tag: str | None) -> None:
    """Keep the interface's language `user` chose (None: as their browser asks)."""
    if tag is not None and not is_language(tag):
        raise ValidationError(_l("Choose a language from the list."), field="language")
    user.language = tag


def end_login_sessions(user: User, now: datetime, *, keep_token: str | None = None) -> int:
    """End the user's open login sessions, except the one with `keep_token`. Returns how many."""
    statement = (
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=now)
    )
    if keep_token is not None:
        statement = statement.where(LoginSession.token_hash != _token_hash(keep_token))
    result = db.session.execute(statement, execution_options={"synchronize_session": False})
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def end_login_session(user: User, token: str, now: datetime) -> None:
    """Log one browser out: its cookie no longer opens the account."""
    login = db.session.scalar(select(LoginSession).where(
        LoginSession.token_hash == _token_hash(token), LoginSession.user_id == user.id,
        LoginSession.ended_at.is_(None)))
    if login is None:
        return
    login.ended_at = now
    record_event("login.ended", actor=user, now=now, subject_type="login_session",
                 subject_id=login.id)


def change_password(user: User, *, current: str, new: str, now: datetime) -> None:
    """Change the password; every other login session of the account ends."""
    matches, _ = verify_password(user.password_hash, current)
    if not matches:
        raise ValidationError(_l("This is not your current password."), field="current_password")
    if new == current:
        raise ValidationError(_l("Choose a password different from the current one."),
                              field="new_password")
    _check_password(new, user.email, user.name, field="new_password")
    user.password_hash = hash_password(new)
    ended = end_login_sessions(user, now, keep_token=user.session_token)
    _user_event("user.password_changed", user, user, now, {"other_sessions_ended": ended})
    for hook in PASSWORD_CHANGED.all():
        hook(user, now)


class _Keep(Enum):
    LANGUAGE = "keep"


KEEP_LANGUAGE = _Keep.LANGUAGE


def update_profile(user: User, profile: Profile, now: datetime, *,
                   language: str | _Keep | None = KEEP_LANGUAGE) -> None:
    """Change the profile's facts (an audit event says which) and, when given, the interface
    language (None: as the browser asks), a preference of the interface that is not part of
    the training record, as the footer's switcher is not."""
    profile = _check_profile(profile, require_country=True)
    if language is not KEEP_LANGUAGE:
        choose_language(user, language)
    changes = {}
    for field in ("name", "country", "organisation", "timezone"):
        old, new = getattr(user, field), getattr(profile, field)
        if old != new:
            changes[field] = {"old": old, "new": new}
            setattr(user, field, new)
    if changes:
        _user_event("user.profile_changed", user, user, now, changes)


def may_change_roles(actor: User, _target: User) -> bool:
    return actor.has_role(Role.ADMIN)


def _active_admin_count() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(UserRole)
        .join(User, User.id == UserRole.user_id)
        .where(UserRole.role == Role.ADMIN.value, User.active.is_(True))
    ) or 0


def set_roles(actor: User | None, user: User, roles: Iterable[Role], now: datetime,
              reason: str = "") -> bool:
    """Give `user` exactly `roles`. `actor` None means the operator's command line.

    Refuses to leave the site without an active administrator. Returns whether anything changed.
    """
    if actor is not None:
        authorize(actor, "user.change_roles", user)
    wanted = {Role(role) for role in roles}
    if not wanted:
        raise ValidationError(_l("An account needs at least one role."), field="roles")
    current = user.roles
    if wanted == current:
        return False
    if Role.ADMIN not in wanted and _would_remove_last_admin(user):
        raise ValidationError(
            _l("This is the only administrator: make someone else an administrator first."),
            field="roles",
        )
    user.role_rows = [row for row in user.role_rows if Role(row.role) in wanted]
    user.role_rows.extend(UserRole(role=role.value) for role in sorted(wanted - current))
    db.session.flush()
    _user_event("user.role_changed", actor, user, now,
                {"roles": {"old": sorted(current), "new": sorted(wanted)}}, reason)
    _roles_changed(actor, user, current, frozenset(wanted), now)
    return True


def set_staff_role(actor: User | None, user: User, role: Role, held: bool, now: datetime,
                   reason: str) -> None:
    """Give or take the account-wide instructor or assessor role as the centre roles say
    (the centres feature, which authorized the change, calls this); no hooks run."""
    current = user.roles
    wanted = current | {role} if held else current - {role}
    if wanted == current or not wanted:
        return
    user.role_rows = [row for row in user.role_rows if Role(row.role) in wanted]
    user.role_rows.extend(UserRole(role=r.value) for r in sorted(wanted - current))
    db.session.flush()
    _user_event("user.role_changed", actor, user, now,
                {"roles": {"old": sorted(current), "new": sorted(wanted)}}, reason)


def _would_remove_last_admin(user: User) -> bool:
    return user.has_role(Role.ADMIN) and user.active and _active_admin_count() <= 1


def set_active(actor: User | None, user: User, active: bool, now: datetime,
               reason: str = "") -> bool:
    """Deactivate or reactivate an account. Accounts are never deleted: they hold training
    records. Deactivating ends every login session. Returns whether anything changed."""
    if actor is not None:
        authorize(actor, "user.change_roles", user)
    if user.active == active:
        return False
    if not active and _would_remove_last_admin(user):
        raise ValidationError(_l("This is the only active administrator: make someone else an "
                              "administrator first."), field="reason")
    if not active and not reason.strip():
        raise ValidationError(_l("Say why the account is deactivated."), field="reason")
    user.active = active
    if not active:
        end_login_sessions(user, now)
    _user_event("user.reactivated" if active else "user.deactivated", actor, user, now,
                {"active": {"old": not active, "new": active}}, reason)
    return True


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such account.")
    return user
