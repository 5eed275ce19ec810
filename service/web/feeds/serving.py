"""Serve calendar feeds on a lean path, before FastAPI, its middleware and its routing.

Calendar clients poll; most polls find nothing changed. So a feed is answered from memory (body,
ETag, Last-Modified, headers built once) and checked against the database again only after
`feed_recheck_seconds`; rendering itself is cached by content in service.feeds.content. The path
skips FastAPI's routing, dependencies and the BaseHTTPMiddleware stack, which cost more than the
answer: see bench/feeds.py. Revoking or rotating a feed in this process forgets it at once;
other workers notice within the recheck interval.

Access rule: public; the unguessable token in the path is the credential (Access.public). Tokens
never reach a log. The access log counts feed requests per method and status and writes one line
per kind every ten seconds: a line per poll could name nothing but the route template, and
writing it cost more than answering a 304 (bench/results/feeds.md).
"""

import asyncio
import inspect
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

import anyio.to_thread

from models.errors import N_
from service import tokens
from service.db import Engine, session_scope
from service.feeds import content
from service.i18n import DEFAULT_LANGUAGE, translations
from service.settings import Settings
from service.web.deps import get_now

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]

PREFIX = "/feeds/"
SUFFIX = ".ics"
ROUTE = "/feeds/{token}.ics"  # what the access log shows instead of the path
access_log = logging.getLogger("overleg.access")
log = logging.getLogger(__name__)

_COMMON = [
    (b"cache-control", b"private, no-cache"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


@dataclass(frozen=True)
class Encoded:
    """One representation of a feed (plain or gzip) with its headers prepared once."""

    body: bytes
    etag: bytes
    headers_200: list[tuple[bytes, bytes]]
    headers_304: list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class Answer:
    """A served feed, plain and gzip-compressed, with their headers prepared once."""

    served: content.Served
    plain: Encoded
    gzipped: Encoded
    last_modified: datetime


def _encoded(body: bytes, etag: bytes, modified: bytes, *, gzipped: bool) -> Encoded:
    # Both representations vary with Accept-Encoding, so a shared cache keeps them apart.
    validators = [(b"etag", etag), (b"last-modified", modified), (b"vary", b"Accept-Encoding")]
    encoding = [(b"content-encoding", b"gzip")] if gzipped else []
    return Encoded(
        body=body,
        etag=etag,
        headers_200=[
            (b"content-type", b"text/calendar; charset=utf-8"),
            *encoding,
            (b"content-length", str(len(body)).encode()),
            *validators,
            *_COMMON,
        ],
        headers_304=[*validators, *_COMMON],
    )


def _answer(served: content.Served) -> Answer:
    modified = format_datetime(served.last_modified, usegmt=True).encode()
    return Answer(
        served=served,
        plain=_encoded(served.body, f'"{served.etag}"'.encode(), modified, gzipped=False),
        # A strong ETag names one representation: the gzip bytes get their own.
        gzipped=_encoded(served.gzipped, f'"{served.etag}-gzip"'.encode(), modified, gzipped=True),
        last_modified=served.last_modified,
    )


def accepts_gzip(header: bytes | None) -> bool:
    """Whether Accept-Encoding allows gzip (RFC 9110 §12.5.3: named, or by '*', with q > 0)."""
    if not header:
        return False
    weights: dict[bytes, float] = {}
    for part in header.lower().split(b","):
        coding, _, parameters = part.strip().partition(b";")
        weight = 1.0
        name, _, value = parameters.strip().partition(b"=")
        if name.strip() == b"q":
            try:
                weight = float(value.strip())
            except ValueError:
                weight = 0.0
        weights[coding.strip()] = weight
    for name in (b"gzip", b"x-gzip"):
        if name in weights:
            return weights[name] > 0
    return weights.get(b"*", 0.0) > 0


TALLY_SECONDS = 10.0


class AccessTally:
    """Feed requests counted per (method, status), written to the access log now and then."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, int], list[float]] = {}
        self.since = time.monotonic()

    def add(self, method: str, status: int, milliseconds: float) -> None:
        """Count one request, and write the tally when it is due."""
        entry = self.counts.get((method, status))
        if entry is None:
            self.counts[(method, status)] = [1, milliseconds, milliseconds]
        else:
            entry[0] += 1
            entry[1] += milliseconds
            entry[2] = max(entry[2], milliseconds)
        if time.monotonic() - self.since >= TALLY_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write one access line per (method, status) counted since the last one."""
        seconds = time.monotonic() - self.since
        for (method, status), (count, total, longest) in sorted(self.counts.items()):
            access_log.info(
                "%s %s %s x%d in %.0fs, mean %.2fms, max %.1fms",
                method,
                ROUTE,
                status,
                count,
                seconds,
                total / count,
                longest,
            )
        self.counts.clear()
        self.since = time.monotonic()


class FeedCache:
    """Answers per token hash, with the monotonic time they were last checked."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[Answer | None, float]] = {}
        self.locks: dict[str, asyncio.Lock] = {}

    def forget(self, token_hash: str) -> None:
        """Drop a token's answer (it was revoked or rotated here)."""
        self.answers.pop(token_hash, None)

    def clear(self) -> None:
        """Drop every answer."""
        self.answers.clear()


def _not_modified(answer: Answer, chosen: Encoded, headers: dict[bytes, bytes]) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since.

    If-None-Match is compared with the ETag of the representation chosen for this request:
    a client that cached the plain bytes and now takes gzip gets the gzip bytes once.
    """
    if_none_match = headers.get(b"if-none-match")
    if if_none_match is not None:
        candidates = [c.strip().removeprefix(b"W/") for c in if_none_match.split(b",")]
        return b"*" in candidates or chosen.etag in candidates
    if_modified_since = headers.get(b"if-modified-since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since.decode("latin-1"))
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return answer.last_modified.replace(microsecond=0) <= since


class FeedServer:
    """GET and HEAD of /feeds/{token}.ics, called by the app before anything else runs."""

    async def __call__(self, scope: Scope, send: Send) -> None:
        """Answer one feed request and count it for the access log."""
        started = time.perf_counter()
        try:
            status = await self._handle(scope, scope["path"], send)
        except Exception:
            # The route template, never the path: it carries the token.
            log.exception("unhandled error on %s %s", scope["method"], ROUTE)
            message = N_("Something went wrong on our side. Please try again later.")
            status = await _plain(send, 500, message, scope["method"])
        scope["app"].state.feed_access.add(
            scope["method"], status, (time.perf_counter() - started) * 1000
        )

    async def _handle(self, scope: Scope, path: str, send: Send) -> int:
        method = scope["method"]
        if method not in ("GET", "HEAD"):
            return await _plain(send, 405, N_("This method is not allowed here."), method)
        secret = path[len(PREFIX) :].removesuffix(SUFFIX)
        if not path.endswith(SUFFIX) or not secret or "/" in secret:
            return await _plain(send, 404, N_("Not found."), method)
        app = scope["app"]
        answer = await self._lookup(app, tokens.digest(secret))
        if answer is None:  # unknown and revoked tokens answer alike
            return await _plain(send, 404, N_("Not found."), method)
        headers = dict(scope["headers"])
        chosen = answer.gzipped if accepts_gzip(headers.get(b"accept-encoding")) else answer.plain
        if _not_modified(answer, chosen, headers):
            await send(
                {"type": "http.response.start", "status": 304, "headers": chosen.headers_304}
            )
            await send({"type": "http.response.body", "body": b""})
            return 304
        await send({"type": "http.response.start", "status": 200, "headers": chosen.headers_200})
        body = b"" if method == "HEAD" else chosen.body
        await send({"type": "http.response.body", "body": body})
        return 200

    async def _lookup(self, app: Any, token_hash: str) -> Answer | None:
        settings: Settings = app.state.settings
        cache: FeedCache = app.state.feed_cache
        cached = cache.answers.get(token_hash)
        if cached is not None and time.monotonic() - cached[1] < settings.feed_recheck_seconds:
            return cached[0]
        lock = cache.locks.setdefault(token_hash, asyncio.Lock())
        async with lock:  # one check per token at a time; the others wait for its answer
            cached = cache.answers.get(token_hash)
            if cached is not None and time.monotonic() - cached[1] < settings.feed_recheck_seconds:
                return cached[0]
            # get_now is async; a test's override may be a plain function.
            now = app.dependency_overrides.get(get_now, get_now)()
            if inspect.isawaitable(now):
                now = await now
            answer = await anyio.to_thread.run_sync(
                _check, app.state.engine, token_hash, settings, now
            )
            cache.answers[token_hash] = (answer, time.monotonic())
        if answer is None:  # unknown tokens leave nothing behind
            cache.answers.pop(token_hash, None)
            cache.locks.pop(token_hash, None)
        return answer


def _check(engine: Engine, token_hash: str, settings: Settings, now: datetime) -> Answer | None:
    with session_scope(engine) as session:
        served = content.serve(session, token_hash=token_hash, settings=settings, now=now)
    return None if served is None else _answer(served)


async def _plain(send: Send, status: int, msgid: str, method: str) -> int:
    text = translations(DEFAULT_LANGUAGE).gettext(msgid)
    body = json.dumps({"detail": text}, ensure_ascii=False).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *_COMMON,
    ]
    if status == 405:
        headers.append((b"allow", b"GET, HEAD"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
    return status
