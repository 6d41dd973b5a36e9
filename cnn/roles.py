"""Who is the teacher: a passcode, not an address (behind a reverse proxy every student is localhost).

The passcode comes from $CNN_TEACHER_PASSCODE (or the app's secrets); without one, the server
makes a random passcode when it first needs it and prints a ready teacher link in the
terminal, as Jupyter prints its token link. Every teacher action in the app asks
`is_teacher` on the server; hiding a button is only a courtesy.
"""

from __future__ import annotations

import hmac
import os
import secrets
import sys
import threading
import time

PASSCODE_ENV = "CNN_TEACHER_PASSCODE"
# A wrong passcode waits this long before the answer, so guessing one from a phone is slow.
WRONG_PASSCODE_DELAY = 1.0
GENERATED_LENGTH = 8
TEACHER, STUDENT = "teacher", "student"

_generated: str | None = None
_lock = threading.Lock()


def passcode(configured: str | None = None) -> str:
    """Return the teacher passcode: `configured`, else $CNN_TEACHER_PASSCODE, else one made (and printed) once."""
    global _generated
    chosen = (configured or os.environ.get(PASSCODE_ENV) or "").strip()
    if chosen:
        return chosen
    with _lock:
        if _generated is None:
            _generated = secrets.token_urlsafe(GENERATED_LENGTH)[:GENERATED_LENGTH]
            print(teacher_banner(_generated), file=sys.stderr, flush=True)
        return _generated


def teacher_banner(code: str, address: str = "http://localhost:8501") -> str:
    """Return the lines the terminal shows: the passcode and a link that opens the app as the teacher."""
    return (
        "\n  Teacher passcode: " + code + "\n  Teacher link:     " + teacher_link(code, address) + "\n"
        "  (students join without it; set $" + PASSCODE_ENV + " to choose your own)\n"
    )


def teacher_link(code: str, address: str = "http://localhost:8501") -> str:
    """Return the address that opens the app already unlocked for the teacher."""
    return f"{address.rstrip('/')}/?teacher={code}"


def check(given: str | None, expected: str, delay: float = WRONG_PASSCODE_DELAY) -> bool:
    """Return whether `given` is the passcode; a wrong one is answered only after `delay` seconds."""
    right = bool(given) and hmac.compare_digest(str(given).strip().encode(), expected.encode())
    if not right and given:
        time.sleep(delay)
    return right


class NotAllowed(PermissionError):
    """A student session asked for a teacher action; `action` names it for the message."""

    def __init__(self, action: str):
        super().__init__(f"Only the teacher can {action}.")
        self.action = action


def require_teacher(role: str, action: str) -> None:
    """Raise NotAllowed unless `role` is the teacher's."""
    if role != TEACHER:
        raise NotAllowed(action)
