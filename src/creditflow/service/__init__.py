"""The HTTP service (``creditflow serve``): the library's calls for systems in any language.

An ASGI application (Starlette) served by uvicorn, from the ``serve`` extra
(``pip install 'creditflow[serve]'``); importing this package does not import them, only
:func:`create_app` and :func:`serve` do. See ``docs/service.md``::

    settings = ServiceSettings(book="credit.sqlite", auth="auth.toml")
    app = create_app(settings)          # any ASGI server runs it; serve() runs uvicorn
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from creditflow.service.auth import (
    AuthFile,
    JwtSettings,
    Principal,
    hash_token,
    new_token,
    read_auth_file,
)
from creditflow.service.openapi import openapi_document, openapi_text
from creditflow.service.settings import ServiceSettings

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = [
    "AuthFile",
    "JwtSettings",
    "Principal",
    "ServiceSettings",
    "create_app",
    "hash_token",
    "new_token",
    "openapi_document",
    "openapi_text",
    "read_auth_file",
    "serve",
]


def _require() -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            f"creditflow serve needs {error.name}: pip install 'creditflow[serve]'",
            name=error.name,
        ) from None


def create_app(settings: ServiceSettings) -> Starlette:
    """The ASGI application for ``settings`` (see :class:`ServiceSettings`); the auth file is
    read now, the book is opened when the server starts the application."""
    _require()
    from creditflow.service.app import create_app as make

    return make(settings)


def serve(settings: ServiceSettings, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the service under uvicorn on ``host``:``port`` until interrupted."""
    _require()
    from creditflow.service.app import serve as run

    run(settings, host=host, port=port)
