"""The password rule and hashing: pure code."""

import pytest

from app.auth.passwords import (
    generate_password,
    hash_password,
    password_problems,
    verify_password,
)


@pytest.mark.parametrize("password", [
    "a long enough passphrase", "Correct-Horse-9", "ümlaut-säure-1",
])
def test_acceptable_passwords(password: str) -> None:
    assert password_problems(password, email="amina@example.org", name="Amina Yusuf") == []


@pytest.mark.parametrize(("password", "reason"), [
    ("Password123!", "similar to a commonly used password"),
    ("qwertyuiop123", "a very common password"),
    ("0123456789", "Sequences like"),
    ("iloveyou2024", "harder to guess"),
])
def test_common_and_guessable_passwords_are_refused_with_zxcvbns_reason(
        password: str, reason: str) -> None:
    problems = password_problems(password, email="amina@example.org", name="Amina Yusuf")
    assert len(problems) == 1
    assert problems[0].startswith("Choose a password that is harder to guess.")
    assert reason in problems[0]


@pytest.mark.parametrize("password", [
    "yusufamina99", "Yusuf Amina 2026!", "YusufAmina2026", "amina.yusuf!!",
    "trainhub2026!",
])
def test_a_password_built_from_the_name_or_e_mail_is_refused(password: str) -> None:
    problems = password_problems(password, email="amina.yusuf@example.org", name="Amina Yusuf")
    assert problems and ("name" in problems[0] and "e-mail" in problems[0]), problems


def test_generated_passwords_pass_the_rule() -> None:
    for _ in range(20):
        password = generate_password(email="learner@example.org", name="Demo Learner")
        assert password_problems(password, email="learner@example.org",
                                 name="Demo Learner") == []


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
