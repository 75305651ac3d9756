"""The password policy: long enough, and not one everybody tries first."""

from __future__ import annotations

from flask_babel import gettext as _

MIN_LENGTH = 10
# The commonest passwords of at least ten characters in public breach lists, plus local ones.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "0123456789",
        "12345678910",
        "qwertyuiop",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "password123",
        "password12",
        "password1!",
        "iloveyou12",
        "abcdefghij",
        "abc1234567",
        "qwerty1234",
        "qwerty12345",
        "0987654321",
        "1111111111",
        "0000000000",
        "aaaaaaaaaa",
        "a123456789",
        "zxcvbnm123",
        "asdfghjkl1",
        "administrator",
        "admin12345",
        "welcome123",
        "matkhau123",
        "matkhau1234",
        "baohiemxahoi",
        "bhxh123456",
        "vietnam123",
        "123456789a",
        "anhyeuem123",
        "iloveyou123",
        "passw0rd123",
        "changeme123",
        "letmein123",
    }
)


def password_problem(password: str) -> str | None:
    """What is wrong with a new password, in the user's language, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_LENGTH)
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return _("This password is too easy to guess. Choose another.")
    return None
