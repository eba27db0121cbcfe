"""GET /healthz and /metrics of the real `python -m bot run` process against the local fake Discord.

Here the gateway is discord.py's own websocket with its real heartbeat, so /healthz judges a real
acknowledged heartbeat; while the gateway is unreachable the process stays up and /healthz says why
it is not healthy, and once discord.py has reconnected by itself it is 200 again.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from tests.process.test_process import bot_process  # noqa: F401 - the fixture
from tests.support.fake_discord import running_fake

WAIT = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError as exc:
        return 0, str(exc)


def test_healthz_follows_the_real_gateway_and_metrics_parse(bot_process, tmp_path):  # noqa: F811
    base = f"http://127.0.0.1:{free_port()}"
    log = tmp_path / "bot.log"
    with running_fake() as fake:
        proc = bot_process(fake, f"web:\n  listen: {base.removeprefix('http://')}\n")
        assert fake.wait_for(lambda: get(base + "/healthz") == (200, "ok\n"), WAIT), (get(base + "/healthz"),
                                                                                      log.read_text())
        iid = fake.interaction("paper", {"query": "refusal direction"}, sub="search")
        assert fake.wait_for(lambda: fake.callbacks(iid), WAIT), log.read_text()
        status, text = get(base + "/metrics")
        assert status == 200
        families = {f.name: f for f in text_string_to_metric_families(text)}
        answered = [s.value for s in families["bot_commands"].samples
                    if s.name == "bot_commands_total" and s.labels == {"command": "paper search", "outcome": "answered"}]
        assert answered == [1.0]
        assert "/paper search via slash: answered in" in log.read_text(), "one INFO line per command"

        fake.drop_gateway(refuse=True)  # the connection drops and reconnects are turned away
        assert fake.wait_for(lambda: get(base + "/healthz")[0] == 503, WAIT), log.read_text()
        status, body = get(base + "/healthz")
        assert "gateway not connected" in body and proc.poll() is None
        fake.refuse_gateway = False  # Discord is back: discord.py reconnects on its own
        assert fake.wait_for(lambda: get(base + "/healthz") == (200, "ok\n"), WAIT), log.read_text()
        families = {f.name: f for f in text_string_to_metric_families(get(base + "/metrics")[1])}
        assert [s.value for s in families["bot_gateway_reconnects"].samples if s.name.endswith("_total")] == [1.0]
        proc.kill()  # before the fake stops: it need not wait on a live client
        proc.wait(10)
