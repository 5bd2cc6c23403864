"""Password hashing (argon2id) and the password strength rule.

The rule follows NIST SP 800-63B: length matters, composition rules do not; a password that
repeats the account's own e-mail or name, or a single character, is refused.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 128  # argon2 takes any length; the cap keeps one request cheap

# OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane (~26 ms per check here).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified against when the e-mail is unknown, so the response time does not tell.
_DUMMY_HASH = _hasher.hash("trainhub-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, bool]:
    """Return (matches, needs_rehash). A missing hash still costs one verification."""
    try:
        _hasher.verify(stored_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False, False
    if stored_hash is None:
        return False, False
    return True, _hasher.check_needs_rehash(stored_hash)


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Why `password` is too weak, in words for the person typing it; empty if it is fine."""
    if len(password) < MIN_LENGTH:
        return [f"Use at least {MIN_LENGTH} characters."]
    if len(password) > MAX_LENGTH:
        return [f"Use at most {MAX_LENGTH} characters."]
    problems = []
    lowered = password.casefold()
    if len(set(lowered)) < 4:
        problems.append("Use more different characters.")
    personal = [email.casefold(), email.split("@")[0].casefold(), name.casefold()]
    if any(part and len(part) >= 4 and part in lowered for part in personal):
        problems.append("Do not use your e-mail address or name in your password.")
    return problems
