"""GET /calendar/deadlines.ics: the deadlines feed calendar apps subscribe to (webcal://).

Calendar apps poll every few minutes to hours; the ETag is a hash of the exact body, so an
unchanged feed costs one 304 with no body. The body is made fresh for each request from the state
database (a handful of rows), so an edit is visible on the very next poll.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.reminders.calendar import FEED_PATH, calendar, etag
from bot.reminders.planner import offsets

if TYPE_CHECKING:
    from bot.app import App

CACHE_SECONDS = 300  # how long a proxy or app may reuse the feed without asking again
CONTENT_TYPE = "text/calendar"


def feed(app: App) -> bytes:
    return calendar(app.state.deadlines(), app.catalog, offsets(app.state, app.config), app.now(),
                    removed=app.state.removed_deadlines())


def calendar_routes(app: App) -> list[web.RouteDef]:
    async def deadlines_ics(request: web.Request) -> web.StreamResponse:
        body = feed(app)
        tag = etag(body)
        headers = {"ETag": tag, "Cache-Control": f"max-age={CACHE_SECONDS}"}
        wanted = {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}
        if tag in wanted or f"W/{tag}" in wanted or "*" in wanted:
            return web.Response(status=304, headers=headers)
        return web.Response(body=body, content_type=CONTENT_TYPE, charset="utf-8", headers=headers)

    return [web.get(FEED_PATH, deadlines_ics)]
