"""The password policy: long enough, not the username, and not on the common-password list.

The list is zxcvbn's 30,000 commonest passwords from public breach corpora (a maintained
package, pinned in requirements.txt), plus a few Vietnamese favourites no global list holds.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import gettext as _

MIN_LENGTH = 10
# What offices in Vietnam reach for first; the global list comes from the package.
LOCAL_FAVOURITES = frozenset(
    {"matkhau123", "matkhau1234", "baohiemxahoi", "bhxh123456", "vietnam123", "anhyeuem123"}
)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Loaded at the first password check, not at start-up (the module is 800 KB of lists)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | LOCAL_FAVOURITES


def password_problem(password: str, username: str | None = None) -> str | None:
    """What is wrong with a new password, in the user's language, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_LENGTH)
    lowered = password.lower()
    name = (username or "").strip().lower()
    if len(name) >= 3 and name in lowered:
        return _("The password must not contain the username.")
    if lowered in common_passwords() or len(set(password)) < 4:
        return _("This password is too easy to guess. Choose another.")
    return None
