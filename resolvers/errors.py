"""Domain errors, each with the outside code of CONTRACT.md."""

from __future__ import annotations

from typing import Any


class HubError(Exception):
    """An error the caller may see. `code` is the GraphQL `extensions.code`."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, *, field: str | None = None, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, Any] = {"code": self.code}
        if field is not None:
            self.extensions["field"] = field
        self.extensions.update(extensions)


class BadUserInput(HubError):
    code = "BAD_USER_INPUT"


class Unauthenticated(HubError):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Authentication required: send a bearer token") -> None:
        super().__init__(message)


class Forbidden(HubError):
    code = "FORBIDDEN"


class NotFound(HubError):
    code = "NOT_FOUND"


class Conflict(HubError):
    code = "CONFLICT"


class RateLimited(HubError):
    code = "RATE_LIMITED"


def not_found(kind: str) -> NotFound:
    """The one answer for 'absent' and 'outside your slice', so the two look alike."""
    return NotFound(f"{kind} not found")
