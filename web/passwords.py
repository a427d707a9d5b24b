"""Password hashing with argon2id (argon2-cffi) and the rules a new password must meet.

Why argon2id: it is the first choice of RFC 9106 and of OWASP's password storage guidance,
memory-hard (costly to crack on GPUs), and argon2-cffi stores the parameters inside each hash,
so raising the cost later rehashes old passwords at their next sign-in
(:meth:`Hasher.needs_rehash`). Werkzeug's scrypt would also do, but its cost is fixed by the
Werkzeug version and it offers no rehash check.

>>> h = Hasher("fast")
>>> stored = h.hash("correct horse battery")
>>> h.verify(stored, "correct horse battery"), h.verify(stored, "wrong")
(True, False)
>>> password_problems("short", "ana")
['too_short']
"""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "Hasher", "password_problems"]

MIN_LENGTH = 10
MAX_LENGTH = 1024

_PROFILES = {
    # RFC 9106's second recommended option: t=3, 64 MiB, p=4 (about 50 ms here).
    "standard": profiles.RFC_9106_LOW_MEMORY,
    # For tests only: the same algorithm with tiny costs.
    "fast": profiles.CHEAPEST,
}


class Hasher:
    """Hash and check passwords with one argon2id cost profile."""

    def __init__(self, profile: str = "standard") -> None:
        if profile not in _PROFILES:
            raise ValueError(f"unknown password hashing profile {profile!r}")
        self._hasher = PasswordHasher.from_parameters(_PROFILES[profile])
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        """A new salted hash of ``password``."""
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        """True when ``password`` matches ``stored_hash``; False also for a malformed hash."""
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when ``stored_hash`` was made with other parameters than this profile's."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def waste_time(self, password: str) -> None:
        """Spend as long as a verification, for an unknown username: the answer time must not
        tell whether an account exists."""
        if self._dummy is None:
            self._dummy = self.hash("not a password of anyone")
        self.verify(self._dummy, password)


def password_problems(password: str, username: str = "") -> list[str]:
    """What is wrong with ``password`` as a new password, as codes (empty when it is fine):
    ``too_short`` (under :data:`MIN_LENGTH`), ``too_long`` (over :data:`MAX_LENGTH`),
    ``is_username``. The rules follow NIST SP 800-63B: a minimum length, no composition rules.
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    if username and password.strip().lower() == username.strip().lower():
        problems.append("is_username")
    return problems
