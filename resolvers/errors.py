"""Domain errors, each with the outside code of CONTRACT.md.

An error carries a message id and its parameters: `template` is an English sentence
with `{named}` holes, `params` fills them. The API answers `message` (the English,
filled in); a page looks the template up in its language's catalogue and fills the
translation with the same parameters (`web/errors.py`). No message is an f-string:
`tests/test_error_text.py` checks every template has its translations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class HubError(Exception):
    """An error the caller may see. `code` is the GraphQL `extensions.code`."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(
        self,
        template: str,
        *,
        field: str | None = None,
        params: Mapping[str, Any] | None = None,
        **extensions: Any,
    ) -> None:
        self.template = template
        self.params: dict[str, Any] = dict(params or {})
        self.message = template.format(**self.params) if self.params else template
        super().__init__(self.message)
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
    return NotFound("{kind} not found", params={"kind": kind})
