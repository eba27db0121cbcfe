"""The web server on its own: explicit route modules, off by default, config checked with line and key."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web

from bot.app import App
from bot.catalog.sources import SourceError
from bot.config import Config, WebConfig, load_config
from bot.discord.client import web_server
from bot.reminders.calendar import FEED_PATH, feed_url
from tests.conftest import make_config


def test_off_by_default(tmp_path):
    app = App(make_config(tmp_path))
    try:
        assert web_server(app) is None
        assert feed_url(app.config) is None
    finally:
        app.close()


async def test_a_route_module_is_one_call_and_the_calendar_is_registered(tmp_path):
    import dataclasses
    app = App(dataclasses.replace(make_config(tmp_path), web=WebConfig(listen="127.0.0.1:0")))
    server = web_server(app)
    assert server is not None and FEED_PATH in server.paths

    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hi")

    server.add_routes([web.get("/hello", hello)])
    await server.start()
    try:
        async with aiohttp.ClientSession() as s:
            async with s.get(server.url + "/hello") as r:
                assert (r.status, await r.text()) == (200, "hi")
            async with s.get(server.url + "/nope") as r:
                assert r.status == 404
        with pytest.raises(RuntimeError):
            server.add_routes([web.get("/late", hello)])
    finally:
        await server.stop()
        app.close()


@pytest.mark.parametrize("yaml_text,key", [
    ("web:\n  listen: localhost\n", "web.listen"),
    ("web:\n  listen: 127.0.0.1:99999\n", "web.listen"),
    ("web:\n  public_url: bot.example.org\n", "web.public_url"),
    ("web:\n  listne: 127.0.0.1:8080\n", "web"),
])
def test_bad_web_config_names_the_key(tmp_path, yaml_text, key):
    path = tmp_path / "config.yaml"
    path.write_text(yaml_text)
    with pytest.raises(SourceError) as err:
        load_config(path, environ={})
    assert key in str(err.value) and "config.yaml:2" in str(err.value)


def test_good_web_config(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("web:\n  listen: 127.0.0.1:8080\n  public_url: https://bot.example.org/\n")
    config = load_config(path, environ={})
    assert (config.web.host, config.web.port) == ("127.0.0.1", 8080)
    assert feed_url(config) == "webcal://bot.example.org/calendar/deadlines.ics"
    assert feed_url(Config(web=WebConfig(listen="127.0.0.1:8080")), "http") == \
        "http://127.0.0.1:8080/calendar/deadlines.ics"
