"""`petition-hub calendar show|import` and `deadlines watch --once` on the test database."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.main import app

BAD_2028 = '{"year": 2028, "holidays": [{"name": "元旦", "from": "2028-01-01"}],'
BAD_2028 += ' "workdays": [{"name": "调休", "date": "2028-01-04"}]}'


@pytest.fixture
def cli(settings, monkeypatch):
    monkeypatch.setenv("PETITION_HUB_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("PETITION_HUB_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("PETITION_HUB_VAR_DIR", str(settings.var_dir))
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_show_prints_an_official_year_and_an_estimated_one(cli):
    official = cli("calendar", "show", "2026")
    estimate = cli("calendar", "show", "2030")

    assert official.exit_code == 0, official.output
    assert "2026: official schedule (chinesecalendar)" in official.output
    assert "2026-02-14 周六  春节调休" in official.output
    assert estimate.exit_code == 0
    assert "2030: provisional" in estimate.output
    assert "2030-01-01 周二  元旦" in estimate.output


def test_a_bad_file_is_refused_and_nothing_is_stored(cli, tmp_path):
    path = tmp_path / "2028.json"
    path.write_text(BAD_2028, encoding="utf-8")

    result = cli("calendar", "import", str(path))

    assert result.exit_code == 1
    assert "2028-01-04 is a weekday" in result.output
    assert "2028: provisional" in cli("calendar", "show", "2028").output


def test_a_good_file_is_imported_with_its_changes(cli, tmp_path):
    path = tmp_path / "2029.json"
    path.write_text(
        '{"year": 2029, "holidays": [{"name": "元旦", "from": "2029-01-01", "to": "2029-01-02"}],'
        ' "workdays": [{"name": "元旦调休", "date": "2029-01-06"}]}',
        encoding="utf-8",
    )

    result = cli("calendar", "import", str(path))

    assert result.exit_code == 0, result.output
    assert "2029-01-02 周二  working day → rest day  元旦" in result.output
    assert "2029-01-06 周六  rest day → working day  元旦调休" in result.output
    assert "2029: official schedule (import)" in cli("calendar", "show", "2029").output


def test_watch_once_runs_one_pass(cli):
    result = cli("deadlines", "watch", "--once")

    assert result.exit_code == 0, result.output
    assert "approaching" in result.output
