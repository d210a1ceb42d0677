"""`uwh portal`: the portal served by uvicorn, on 127.0.0.1 unless told otherwise (the city's reverse proxy)."""

from __future__ import annotations

import uvicorn

from core.settings import installation_settings
from portal.app import create_app


def serve(host: str | None = None, port: int | None = None) -> None:
    settings = installation_settings()
    uvicorn.run(
        create_app(settings=settings),
        host=host or settings.portal_host,
        port=port or settings.portal_port,
        proxy_headers=True,  # the client's address from the proxy in front (trusted: 127.0.0.1 only by default)
        log_level="warning",
        access_log=False,  # the portal's own audit log records who did what
        timeout_graceful_shutdown=10,  # a service manager's stop never waits on a request that does not end
    )
