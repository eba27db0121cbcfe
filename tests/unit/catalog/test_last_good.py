"""A data/ that does not build at start-up: the App serves the last good catalog and staff can see why."""

from __future__ import annotations

import os

import pytest

from bot.app import App, NoUsableCatalogError
from bot.catalog.build import build
from bot.config import load_config
from bot.reply import render
from tests.conftest import DATA, NOW, make_config


def break_streams(data_dir):
    streams = data_dir / "streams.yaml"
    streams.write_text(streams.read_text(encoding="utf-8").replace("    name: Theory\n", "    nmae: Theory\n", 1),
                       encoding="utf-8")


def text_of(app, line):
    path, options = app.commands.parse(line)
    return render(app.commands.run(app, path, options), NOW)


def test_start_up_keeps_the_last_good_catalog_and_staff_commands_say_why(tmp_path, data_copy):
    config = make_config(tmp_path, data_copy)
    build(DATA, config.catalog_db)
    os.utime(config.catalog_db, (1_000_000_000, 1_000_000_000))
    break_streams(data_copy)
    app = App(config, clock=lambda: NOW)
    try:
        app.open()
        assert len(app.catalog.papers) == 20
        assert [p.field for p in app.catalog_problems] == ["tracks[3].nmae", "tracks[3]"]
        stats = text_of(app, "/staff catalog stats")
        assert "does not build (2 problems)" in stats and "streams.yaml:52: tracks[3].nmae" in stats
        reload = text_of(app, "/staff catalog reload")
        assert "Reload failed; still serving the last good catalog" in reload and "tracks[3].nmae" in reload

        (data_copy / "streams.yaml").write_text((DATA / "streams.yaml").read_text(encoding="utf-8"),
                                                 encoding="utf-8")
        assert "Catalog reloaded" in text_of(app, "/staff catalog reload")
        assert app.catalog_problems == ()
        assert "does not build" not in text_of(app, "/staff catalog stats")
    finally:
        app.close()


def test_with_no_catalog_at_all_start_up_refuses_and_names_the_command(tmp_path, data_copy):
    break_streams(data_copy)
    app = App(make_config(tmp_path, data_copy), clock=lambda: NOW)
    with pytest.raises(NoUsableCatalogError) as caught:
        app.open()
    app.close()
    lines = [str(p) for p in caught.value.problems]
    assert any("streams.yaml:52: tracks[3].nmae" in line for line in lines)
    assert "python -m bot catalog build" in lines[-1]


def test_the_staff_channel_is_read_from_the_config(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("logging:\n  staff_channel_id: 1234\n", encoding="utf-8")
    assert load_config(path).logging.staff_channel_id == 1234
    path.write_text("logging:\n  staff_channel_id: nope\n", encoding="utf-8")
    with pytest.raises(Exception, match="staff_channel_id"):
        load_config(path)
