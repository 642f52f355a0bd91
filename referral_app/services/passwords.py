"""Password rules and hashing: long rather than complicated (NCSC and NIST guidance).

At least 12 characters, no composition rules, any character (paste and password managers welcome), never one of
the 30,000 most common passwords, nor one of them with digits or symbols added, nor a short pattern repeated.
Hashes are scrypt (memory-hard), through werkzeug; an older hash is replaced at the next successful sign-in.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 256
HASH_METHOD = "scrypt"
# Checked against when an email is unknown, so a wrong email costs as long as a wrong password and timing does
# not reveal whether an account exists.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing", method=HASH_METHOD)
_DECORATION = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_REPEATED = re.compile(r"(.{1,6}?)\1+")

TOO_SHORT = _l("Your password must be at least 12 characters long")
TOO_LONG = _l("Your password must be 256 characters or fewer")
TOO_COMMON = _l("That password is too common and easy to guess. Try 3 or 4 random words together")
TOO_PREDICTABLE = _l("Your password must not contain your email address")


@cache
def common_passwords() -> frozenset[str]:
    text = files("referral_app").joinpath("data/common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line)


def problem_with(password: str, *, email: str = "") -> str | None:
    """Why this password may not be used, as a translated message; None if it is fine."""
    if len(password) < MIN_LENGTH:
        return str(TOO_SHORT)
    if len(password) > MAX_LENGTH:
        return str(TOO_LONG)
    lowered = password.lower()
    common = common_passwords()
    undecorated = _DECORATION.sub("", lowered)
    if lowered in common or undecorated in common or _REPEATED.fullmatch(lowered) or not undecorated.strip():
        return str(TOO_COMMON)
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return str(TOO_PREDICTABLE)
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no hash (an unknown account) the same work is done and the answer is no."""
    if not password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return not password_hash.startswith(f"{HASH_METHOD}:32768:8:1$")
