"""Security headers on every answer: a strict Content-Security-Policy, no sniffing,
no referrer outside the site, and no framing by another site.

The staff pages run no inline script and no `eval` (htmx's `allowEval` is off and
the two trigger filters live in `web/static/hub.js`), so their policy allows scripts
and styles from the site itself only. GraphiQL's page has one inline script and one
inline style of strawberry's; its policy allows exactly those by their hashes.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def policy_text(policy: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def inline_hashes(html: str, tag: str) -> list[str]:
    """CSP source expressions ('sha256-…') for each inline `<tag>` element of `html`."""
    hashes = []
    for body in re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.DOTALL):
        digest = hashlib.sha256(body.encode()).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return hashes


def graphiql_policy(html: str) -> str:
    """The page policy, plus GraphiQL's own inline script and style by their hashes
    (React and CodeMirror also set style attributes, hence 'unsafe-inline' for styles
    only: a style cannot run code)."""
    policy = dict(PAGE_POLICY)
    policy["script-src"] = " ".join(["'self'", *inline_hashes(html, "script")])
    policy["style-src"] = "'self' 'unsafe-inline'"
    policy["font-src"] = "'self' data:"  # graphiql.min.css embeds its fonts
    return policy_text(policy)


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP answer; a Content-Security-Policy
    the app already set (GraphiQL's) is kept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.policy = policy_text(PAGE_POLICY)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", self.policy)
            await send(message)

        await self.app(scope, receive, send_with_headers)
