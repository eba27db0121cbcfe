"""One small HTTP server inside the bot process, off unless `web.listen` is set.

It runs on the bot's own event loop (aiohttp already comes with discord.py), is started and stopped
by the Discord client, and knows no route itself: each area supplies a route module, a function
`<area>_routes(app) -> list[web.RouteDef]`, and the client adds it explicitly:

    server = WebServer(config.web)
    server.add_routes(calendar_routes(app))

Handlers must answer from what is in memory or in the state database in milliseconds: they share
the loop with the gateway, so anything slow goes through `asyncio.to_thread`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.config import WebConfig

log = logging.getLogger(__name__)
SERVER_HEADER = "fellowship-bot"


@web.middleware
async def _headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


class WebServer:
    def __init__(self, config: WebConfig):
        self.config = config
        self.application = web.Application(middlewares=[_headers])
        self._runner: web.AppRunner | None = None
        self.port: int = 0  # the bound port once started (listen with port 0 picks a free one)

    def add_routes(self, routes: Iterable[web.AbstractRouteDef]) -> None:
        """Add one area's routes; only before start (aiohttp freezes the router then)."""
        if self._runner is not None:
            raise RuntimeError("routes must be added before the web server starts")
        self.application.add_routes(list(routes))

    @property
    def paths(self) -> list[str]:
        return sorted({r.resource.canonical for r in self.application.router.routes() if r.resource})

    @property
    def url(self) -> str:
        return f"http://{self.config.host}:{self.port}"

    async def start(self) -> None:
        runner = web.AppRunner(self.application, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.config.host, self.config.port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.config.port
        log.info("web server listening on %s (%s)", self.url, ", ".join(self.paths) or "no routes")

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            log.info("web server stopped")
