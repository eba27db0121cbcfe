"""The command line: every subcommand has --help and is documented; the console answers like the bot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> list[list[str]]:
    out: list[list[str]] = []

    def walk(p, prefix):
        for action in p._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                for name, sub in action.choices.items():
                    out.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(parser(), [])
    return out


@pytest.mark.parametrize("words", subcommands(), ids=" ".join)
def test_every_subcommand_has_help_and_is_in_the_readme(words, capsys):
    with pytest.raises(SystemExit) as exc:
        parser().parse_args([*words, "--help"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("usage: python -m bot " + " ".join(words))
    assert f"python -m bot {' '.join(words)}" in README, f"README does not document `python -m bot {' '.join(words)}`"


def run_cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"catalog:\n  database: {tmp_path / 'catalog.db'}\n  data_dir: {ROOT / 'data'}\n"
                   f"state:\n  database: {tmp_path / 'state.db'}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "BOT_CONFIG")}
    return subprocess.run([sys.executable, "-m", "bot", "--config", str(cfg), *args], input=stdin, text=True,
                          capture_output=True, cwd=ROOT, env=env, timeout=120)


def test_run_without_token_opens_the_console(tmp_path):
    done = run_cli(tmp_path, "run", stdin="/paper show title:gradient routeing\n")
    assert done.returncode == 0, done.stderr
    assert "starting the interactive console instead" in done.stderr
    assert "Gradient Routing: Masking Gradients" in done.stdout


def test_ask_prints_text_and_json_payload(tmp_path):
    text = run_cli(tmp_path, "ask", "/paper search query:refusal direction")
    assert text.returncode == 0, text.stderr
    assert "Refusal in Language Models Is Mediated by a Single Direction" in text.stdout
    raw = run_cli(tmp_path, "ask", "--json", "/paper search query:refusal direction")
    body = json.loads(raw.stdout)
    assert body["allowed_mentions"] == {"parse": []}
    assert body["embeds"][0]["fields"][0]["name"].endswith("Refusal in Language Models Is Mediated by a Single Direction")


def test_bad_config_names_file_line_and_key(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("discord:\n  guild_id: [1]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bot", "--config", str(cfg), "catalog", "check"], text=True,
                          capture_output=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert f"{cfg}:2: discord.guild_id: unknown key" in done.stderr
    assert "Traceback" not in done.stderr


def test_catalog_stats(tmp_path):
    done = run_cli(tmp_path, "catalog", "stats")
    assert done.returncode == 0, done.stderr
    assert "papers     20" in done.stdout


# ------------------------------------------------------------------ issue 9: the command line


@pytest.mark.parametrize("words", subcommands(), ids=" ".join)
def test_every_help_has_an_example_and_names_its_environment(words, capsys):
    with pytest.raises(SystemExit):
        parser().parse_args([*words, "--help"])
    out = capsys.readouterr().out
    assert "example:\n  python -m bot" in out or "example:\n  DISCORD_TOKEN=" in out
    assert "environment: BOT_CONFIG" in out
    if words[0] in ("run", "sync"):
        assert "DISCORD_TOKEN" in out and "DISCORD_API_BASE_URL" in out


def test_config_is_honoured_after_the_subcommand_and_a_missing_one_is_an_error(tmp_path, capsys):
    from bot.cli import main

    for argv in (["--config", str(tmp_path / "nope.yaml"), "ask", "/help"],
                 ["ask", "--config", str(tmp_path / "nope.yaml"), "/help"],
                 ["catalog", "check", "--config", str(tmp_path / "nope.yaml")]):
        assert main(argv) == 2, argv
        assert "nope.yaml: config file not found" in capsys.readouterr().err
    config = tmp_path / "config.yaml"
    config.write_text("log_level: nonsense\n", encoding="utf-8")
    assert main(["ask", "--config", str(config), "/help"]) == 2  # the named file really is read
    assert "log_level" in capsys.readouterr().err


def test_ask_page_counts_from_one(capsys):
    from bot.cli import main

    assert main(["ask", "--page", "1", "/paper search query:model"]) == 0
    first = capsys.readouterr().out
    assert main(["ask", "--page", "2", "/paper search query:model"]) == 0
    second = capsys.readouterr().out
    assert "page 1/" in first and "page 2/" in second, (first[-200:], second[-200:])
    with pytest.raises(SystemExit):
        parser().parse_args(["ask", "--page", "0", "/help"])


def test_ask_page_past_the_last_is_an_error_not_the_last_page(capsys):
    from bot.cli import main

    assert main(["ask", "--page", "99", "/paper search query:model"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "this reply has" in out.err


def test_discord_py_voice_warnings_are_not_logged(caplog):
    import logging

    import bot.discord.client  # noqa: F401 - installs the filter

    logger = logging.getLogger("discord.client")
    with caplog.at_level(logging.WARNING, logger="discord.client"):
        logger.warning("PyNaCl is not installed, voice will NOT be supported")
        logger.warning("davey is not installed, voice will NOT be supported")
        logger.warning("something else")
    assert [r.getMessage() for r in caplog.records] == ["something else"]
