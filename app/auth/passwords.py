"""Password hashing (argon2id) and the password strength rule.

The rule follows NIST SP 800-63B: length matters, composition rules do not; a password that
repeats the account's own e-mail or name, or a single character, is refused, and so is one
that is common or easy to guess ("Password123!", "qwertyuiop123"), which zxcvbn (Dropbox's
estimator, with its lists of common passwords, words, names and keyboard patterns) tells.
"""

from __future__ import annotations

import re
import secrets
import threading
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128  # argon2 takes any length; the cap keeps one request cheap
# zxcvbn's 3 of 0-4: about 10^8 guesses or more, "safely unguessable" against an online
# attack and a slow hash such as argon2id offline.
MIN_SCORE = 3
# zxcvbn refuses longer input (its cost grows with length); the first 72 characters of a
# password are what it judges.
_ESTIMATED_LENGTH = 72
# zxcvbn keeps a call's user inputs in a module-level dictionary: two threads estimating at
# once would use each other's.
_estimating = threading.Lock()

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
        return [_("Use at least %(min)s characters.", min=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("Use at most %(max)s characters.", max=MAX_LENGTH)]
    problems = []
    lowered = password.casefold()
    if len(set(lowered)) < 4:
        problems.append(_("Use more different characters."))
    personal = [email.casefold(), email.split("@")[0].casefold(), name.casefold()]
    if any(part and len(part) >= 4 and part in lowered for part in personal):
        problems.append(_("Do not use your e-mail address or name in your password."))
    if problems:
        return problems
    words = _personal_words(email, name)
    # zxcvbn counts each known word as at least 50 guesses, so "yusufamina99" from Amina
    # Yusuf's own name passes it: what is left without those words must stand on its own.
    rest = lowered
    for word in words:
        rest = rest.replace(word, "")
    if rest != lowered and _estimate(rest, words)["score"] < MIN_SCORE:
        return [_("Do not build your password from your name, your e-mail address or the word "
                  "TrainHub: what is left without them is too easy to guess.")]
    estimate = _estimate(password, words)
    if estimate["score"] >= MIN_SCORE:
        return []
    feedback = estimate["feedback"]
    # zxcvbn's warning and suggestions come in English only.
    reasons = [feedback["warning"] or _("This password would be easy to guess."),
               *feedback["suggestions"]]
    return [_("Choose a password that is harder to guess. %(reasons)s",
              reasons=" ".join(reasons))]


def generate_password(*, email: str, name: str) -> str:
    """A random password that this rule accepts for this account (a demo account's)."""
    while True:
        password = secrets.token_urlsafe(12)  # 16 characters, 96 random bits
        if not password_problems(password, email=email, name=name):
            return password


def _personal_words(email: str, name: str) -> list[str]:
    """The words of the name and the e-mail, the likeliest first: what an attacker who knows
    the account tries before anything else."""
    words = [*name.split(), *re.split(r"[@._+\-\s]+", email), "trainhub"]
    return list(dict.fromkeys(word.casefold() for word in words if len(word) >= 3))


def _estimate(password: str, words: list[str]) -> dict[str, Any]:
    """zxcvbn's estimate: a score of 0-4, and its warning and suggestions."""
    with _estimating:
        return zxcvbn(password[:_ESTIMATED_LENGTH], user_inputs=words)
