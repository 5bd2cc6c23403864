"""Authorization helpers used by every feature.

Two levels: `role_required` guards a whole view by role; `authorize` asks a registered policy
whether an actor may do an action to one object (a learner's own attempt, an assessor's
assigned course). Each feature registers its policies in its own `init_app`
(`POLICIES.register(app, "thing.action", rule)`), so checks live beside the feature, the app
has exactly the policies its features brought, and views call one function whatever the
object is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort
from flask_login import current_user

from app.core.errors import PermissionDenied
from app.core.registry import Registry
from app.core.roles import Role
from app.extensions import login_manager


class Actor(Protocol):
    id: int

    def has_role(self, role: Role) -> bool: ...


PolicyFn = Callable[[Any, Any], bool]  # (actor, object) -> allowed
POLICIES: Registry[PolicyFn] = Registry("policies")

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: Role) -> Callable[[F], F]:
    """Allow the view to users holding any of `roles`; others get 403, anonymous users log in."""
    if not roles:
        raise ValueError("role_required needs at least one role")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not any(current_user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def can(actor: Actor | None, action: str, obj: Any = None) -> bool:
    """Whether `actor` may perform `action` on `obj`. Unknown actions are denied."""
    if actor is None or not getattr(actor, "is_authenticated", True):
        return False
    rule = POLICIES.find(action)
    return bool(rule and rule(actor, obj))


def authorize(actor: Actor | None, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `actor` may perform `action` on `obj` (services use this)."""
    if not can(actor, action, obj):
        raise PermissionDenied(f"not allowed: {action}")


def authorize_or_403(action: str, obj: Any = None) -> None:
    """The view-side form of `authorize`: the current user, or a 403 page."""
    if not can(current_user, action, obj):
        abort(403)
