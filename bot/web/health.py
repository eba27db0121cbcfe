"""GET /healthz and GET /metrics: for a load balancer, a supervisor and Prometheus.

/healthz is 200 only when the gateway is connected with a recent heartbeat, the reminder scheduler
runs and the state database takes a write; otherwise 503 with the reasons, one per line. /metrics is
the `prometheus-client` exposition of the App's own registry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web

from bot.health.metrics import CONTENT_TYPE
from bot.health.status import Live, live_problems

if TYPE_CHECKING:
    from bot.app import App

HEALTH_PATH, METRICS_PATH = "/healthz", "/metrics"


def health_routes(app: App, live: Callable[[], Live]) -> list[web.RouteDef]:
    """The routes; *live* reads what only the running Discord client knows (gateway, scheduler)."""

    async def healthz(request: web.Request) -> web.StreamResponse:
        # the state probe opens the file and commits a write (waiting up to PROBE_TIMEOUT_S on a locked
        # file): in a worker thread, so a slow disk never stalls the bot's event loop
        problems = await asyncio.to_thread(live_problems, live(), app.config.state_db)
        headers = {"Cache-Control": "no-store"}
        if problems:
            return web.Response(status=503, text="unhealthy\n" + "\n".join(problems) + "\n", headers=headers)
        return web.Response(text="ok\n", headers=headers)

    async def metrics(request: web.Request) -> web.StreamResponse:
        body = await asyncio.to_thread(app.metrics.exposition)  # reads the state database
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    return [web.get(HEALTH_PATH, healthz), web.get(METRICS_PATH, metrics)]
