"""The password rule and hashing: pure code."""

import pytest

from app.auth.passwords import hash_password, password_problems, verify_password


@pytest.mark.parametrize("password", [
    "a long enough passphrase", "Correct-Horse-9", "0123456789", "ümlaut-säure-1",
])
def test_acceptable_passwords(password: str) -> None:
    assert password_problems(password, email="amina@example.org", name="Amina Yusuf") == []


@pytest.mark.parametrize(("password", "fragment"), [
    ("short", "at least 10"),
    ("", "at least 10"),
    ("x" * 129, "at most 128"),
    ("aaaaaaaaaaaa", "different characters"),
    ("ababababab", "different characters"),
    ("amina-2026-pw", "e-mail address or name"),
    ("Amina Yusuf 123", "e-mail address or name"),
])
def test_weak_passwords_are_explained(password: str, fragment: str) -> None:
    problems = password_problems(password, email="amina@example.org", name="Amina Yusuf")
    assert any(fragment in problem for problem in problems)


def test_argon2id_hash_verifies_and_rejects() -> None:
    stored = hash_password("a long enough passphrase")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a long enough passphrase") == (True, False)
    assert verify_password(stored, "a wrong passphrase!")[0] is False
    assert verify_password(None, "anything at all")[0] is False
    assert verify_password("not-a-hash", "anything at all")[0] is False


def test_outdated_parameters_ask_for_rehash() -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("pass phrase 1")
    assert verify_password(weak, "pass phrase 1") == (True, True)
