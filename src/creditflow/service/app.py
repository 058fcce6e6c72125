"""The ASGI application (Starlette): routes from :data:`OPERATIONS`, bearer authentication,
rate limits, retry headers, problem details, and the book opened once per process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from creditflow import errors
from creditflow.licensing import Evaluations
from creditflow.service.auth import AuthFile, Principal, read_auth_file
from creditflow.service.books import open_book
from creditflow.service.decision_log import DecisionLog
from creditflow.service.handlers import HANDLERS, State
from creditflow.service.limits import RateLimiter
from creditflow.service.logs import mask_server_logs
from creditflow.service.openapi import openapi_document
from creditflow.service.operations import OFFICIAL_HEADER, OPERATIONS, Operation
from creditflow.service.problems import (
    ServiceProblem,
    answer_problem,
    problem_of,
    rate_limited,
    unauthenticated,
)
from creditflow.service.register import read_evaluations
from creditflow.service.requests import Call
from creditflow.service.settings import ServiceSettings
from creditflow.service.values import json_text

__all__ = ["create_app", "serve"]

_LOG = logging.getLogger("creditflow.service")
_JSON = "application/json"
_PROBLEM = "application/problem+json"


def create_app(settings: ServiceSettings) -> Starlette:
    """The ASGI application for ``settings``: reads the auth file now (a bad one raises
    :class:`~creditflow.errors.InvalidInput`), opens the book and the decision log at start-up
    and closes them at shutdown."""
    auth = read_auth_file(settings.auth)
    register = read_evaluations(settings.evaluations) if settings.evaluations else None
    service = _Service(settings, auth, register)
    routes = [
        Route(op.path, service.endpoint(op), methods=[op.method], name=op.operation_id)
        for op in OPERATIONS
    ]
    routes += [
        Route("/health", service.health, methods=["GET"]),
        Route("/ready", service.ready, methods=["GET"]),
        Route("/openapi.json", service.openapi, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        exception_handlers={HTTPException: service.http_error, Exception: service.crash},
        lifespan=service.lifespan,
    )


class _Service:
    def __init__(
        self, settings: ServiceSettings, auth: AuthFile, register: Evaluations | None
    ) -> None:
        self.settings = settings
        self.auth = auth
        self.register = register
        self.limiter = RateLimiter()
        self.state: State | None = None
        self.worker = ThreadPoolExecutor(1)
        self._openapi: bytes | None = None

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        settings = self.settings
        mask_server_logs()  # after uvicorn configured its loggers
        # One thread holds the book and runs every call on it, one at a time: the event loop
        # stays free (a locked book delays its callers, not /health), and a store whose
        # connection belongs to the thread that opened it is only ever used from that thread.
        worker = self.worker = ThreadPoolExecutor(1, thread_name_prefix="creditflow-book")
        loop = asyncio.get_running_loop()
        book = await loop.run_in_executor(worker, lambda: open_book(settings))
        log = None
        if settings.decision_log is not None:
            log = DecisionLog(
                settings.decision_log,
                max_bytes=settings.log_max_bytes,
                backups=settings.log_backups,
                instance=settings.instance,
            )
        self.state = State(book, log, self.register, settings.policy)
        try:
            yield
        finally:
            self.state = None
            if log is not None:
                log.close()
            await loop.run_in_executor(worker, book.close)
            worker.shutdown()

    def endpoint(self, operation: Operation) -> Callable[[Request], Awaitable[Response]]:
        handler = HANDLERS[operation.operation_id]

        async def run(request: Request) -> Response:
            if_match = request.headers.get("if-match") if operation.if_match else None
            try:
                principal = self._principal(request)
                body = await _body(request, self.settings.max_body) if operation.request else {}
                call = Call(
                    principal,
                    body,
                    dict(request.path_params),
                    dict(request.query_params),
                    _idempotency_key(request) if operation.idempotent else None,
                    _expected_version(if_match),
                    operation.operation_id,
                    self._official(request) if operation.vouched else None,
                )
                state = self.state
                assert state is not None  # the lifespan opened the book
                loop = asyncio.get_running_loop()
                reply = await loop.run_in_executor(self.worker, handler, state, call)
            except ServiceProblem as problem:
                return _problem(problem_of(problem), problem.fields.get("retry_after"))
            except errors.CreditflowError as error:
                if isinstance(error, errors.BookUnavailable):
                    _LOG.warning("%s", error)  # masked by the loggers' filter
                return _problem(answer_problem(error, conditional=if_match is not None))
            except Exception as error:  # here, not in Starlette's middleware, which re-raises
                return _crashed(error)
            return Response(_encode(reply.data), reply.status, dict(reply.headers), _JSON)

        run.__name__ = operation.operation_id
        return run

    def _principal(self, request: Request) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthenticated(known=False)
        principal = self.auth.principal(token.strip())
        if principal is None:
            raise unauthenticated(known=True)
        wait = self.limiter.take(principal.key, principal.rate, principal.burst)
        if wait > 0:
            raise rate_limited(principal.rate, principal.burst, RateLimiter.retry_after(wait))
        return principal

    def _official(self, request: Request) -> Principal | None:
        """The principal of the ``Official-Authorization`` header (an official's bearer token
        vouching for a subject's ``new_subject``), None without the header. A token that is
        not known, or is a subject's, is refused: it vouches for nothing."""
        header = request.headers.get(OFFICIAL_HEADER)
        if header is None:
            return None
        scheme, _, token = header.partition(" ")
        found = self.auth.principal(token.strip()) if scheme.lower() == "bearer" else None
        if found is None or found.is_subject:
            raise ServiceProblem(
                403,
                "not_permitted",
                f"{OFFICIAL_HEADER} must be 'Bearer ' and the token of an official (not a "
                "subject's) that the service knows",
                field="new_subject",
            )
        return found

    async def health(self, request: Request) -> Response:
        return Response(_encode({"status": "ok"}), 200, media_type=_JSON)

    async def ready(self, request: Request) -> Response:
        try:
            if self.state is None:
                raise ServiceProblem(503, "not_ready", "the book is not open")
            book = self.state.book
            seq, digest = await asyncio.get_running_loop().run_in_executor(self.worker, book.head)
        except ServiceProblem as problem:
            return _problem(problem_of(problem))
        except errors.CreditflowError as error:
            _LOG.warning("not ready: %s", error)
            return _problem(problem_of(error, status=503))
        return Response(
            _encode({"status": "ready", "head": f"{seq}:{digest}"}), 200, media_type=_JSON
        )

    async def openapi(self, request: Request) -> Response:
        if self._openapi is None:  # made once, on first request: its examples run the code
            document = await asyncio.get_running_loop().run_in_executor(None, openapi_document)
            self._openapi = _encode(document)
        return Response(self._openapi, 200, media_type=_JSON)

    async def http_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        codes = {404: "not_found", 405: "method_not_allowed"}
        code = codes.get(error.status_code, "http_error")
        text = "no such resource" if error.status_code == 404 else str(error.detail)
        return _problem(problem_of(ServiceProblem(error.status_code, code, text)))

    async def crash(self, request: Request, error: Exception) -> Response:
        return _crashed(error)


def _crashed(error: Exception) -> Response:
    """500 ``internal_error``; the traceback goes to the error log, masked by its filter."""
    _LOG.error("internal error", exc_info=error)
    return _problem(problem_of(error))


async def _body(request: Request, limit: int) -> dict[str, Any]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != _JSON:
        raise ServiceProblem(415, "unsupported_media_type", "send the body as application/json")
    size = request.headers.get("content-length")
    if size is not None and size.isdigit() and int(size) > limit:
        raise ServiceProblem(413, "too_large", f"the body is larger than {limit} bytes")
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise ServiceProblem(413, "too_large", f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    try:
        data = json.loads(b"".join(chunks), parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "too deeply nested"
        raise ServiceProblem(400, "invalid_json", f"the body is not JSON: {reason}") from None
    if not isinstance(data, dict):
        raise ServiceProblem(400, "invalid_json", "the body must be a JSON object")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not key or len(key) > 200:
        raise ServiceProblem(400, "invalid_input", "Idempotency-Key must be 1 to 200 characters")
    return key


def _expected_version(if_match: str | None) -> int | None:
    """The case version an ``If-Match`` header asks for; ``*`` (any) asks for none."""
    if if_match is None or if_match.strip() == "*":
        return None
    tag = if_match.strip()
    if len(tag) < 3 or tag[0] != '"' or tag[-1] != '"' or not tag[1:-1].isdigit():
        raise ServiceProblem(
            400, "invalid_input", 'If-Match must be one ETag of a case, e.g. "3", or *'
        )
    version = int(tag[1:-1])
    if version > 2**63 - 1:
        raise ServiceProblem(412, "conflict", "no case has that version")
    return version


def _encode(data: Any) -> bytes:
    """JSON with every resident ID masked, whatever field it is in."""
    return json_text(data).encode("utf-8")


def _problem(problem: dict[str, Any], retry_after: str | None = None) -> Response:
    headers = {"Retry-After": retry_after} if retry_after else {}
    if problem["status"] == 503:
        headers["Retry-After"] = "1"
    if problem["status"] == 401:  # RFC 6750: how to authenticate
        headers["WWW-Authenticate"] = 'Bearer realm="creditflow"'
    problem.pop("retry_after", None)
    return Response(_encode(problem), problem["status"], headers, _PROBLEM)


def serve(settings: ServiceSettings, *, host: str, port: int) -> None:
    """Run the service under uvicorn on ``host``:``port`` until interrupted."""
    import uvicorn

    mask_server_logs()
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        proxy_headers=False,
    )
