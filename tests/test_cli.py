"""The `petition-hub` command line, run as an operator would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "cli"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli")


def run(workdir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "PETITION_HUB_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/hub.db",
        "PETITION_HUB_VAR_DIR": str(workdir),
    }
    return subprocess.run(
        [*CLI, *args],
        cwd=workdir,
        env=env,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=300,
        check=False,
    )


def test_serve_refuses_a_database_that_is_behind(workdir):
    result = run(workdir, "serve", "--port", "1")
    assert result.returncode == 1
    assert "petition-hub db upgrade" in result.stderr


def test_upgrade_then_demo_then_tokens_and_users(workdir):
    assert run(workdir, "db", "upgrade").returncode == 0

    demo = run(workdir, "demo", "--appeals", "300", "--seed", "7")
    assert demo.returncode == 0, demo.stderr
    again = run(workdir, "demo", "--if-empty")
    assert again.returncode == 0 and "already" in again.stdout

    token = run(workdir, "token", "create", "--org", "PS-HALL", "--scope", "petitions:read")
    assert token.returncode == 0, token.stderr
    assert token.stdout.strip().startswith("phub_")

    user = run(
        workdir,
        "user",
        "create",
        "--org",
        "PS-LMC",
        "--username",
        "new.mediator",
        "--role",
        "mediator",
        "--password-stdin",
        stdin="a-long-password\n",
    )
    assert user.returncode == 0, user.stderr
    assert "new.mediator" in user.stdout


def test_mistakes_end_with_a_message_not_a_traceback(workdir):
    unknown_org = run(workdir, "token", "create", "--org", "PS-NOWHERE")
    bad_scope = run(workdir, "token", "create", "--org", "PS-HALL", "--scope", "everything")
    bad_role = run(
        workdir,
        "user",
        "create",
        "--org",
        "PS-HALL",
        "--username",
        "x",
        "--role",
        "king",
        "--password-stdin",
        stdin="a-long-password\n",
    )
    short = run(
        workdir,
        "user",
        "create",
        "--org",
        "PS-HALL",
        "--username",
        "y",
        "--role",
        "handler",
        "--password-stdin",
        stdin="short\n",
    )
    for result in (unknown_org, bad_scope, bad_role, short):
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("error:")


def test_tokens_are_listed_expire_and_are_revoked(workdir):
    created = run(
        workdir,
        "token",
        "create",
        "--org",
        "PS-LMC",
        "--name",
        "court-system",
        "--expires-in-days",
        "30",
    )
    assert created.returncode == 0, created.stderr
    listed = run(workdir, "token", "list", "--org", "PS-LMC")
    assert listed.returncode == 0, listed.stderr
    line = next(row for row in listed.stdout.splitlines() if "court-system" in row)
    token_id, org, _, prefix, scopes, _last_used, expires, revoked = line.split("\t")
    assert org == "PS-LMC" and created.stdout.strip().startswith(prefix.rstrip("…"))
    assert "petitions:read" in scopes and expires != "-" and revoked == "-"
    assert created.stdout.strip() not in listed.stdout  # the secret is never shown again

    revoked_now = run(workdir, "token", "revoke", token_id)
    assert revoked_now.returncode == 0, revoked_now.stderr
    again = run(workdir, "token", "list", "--org", "PS-LMC")
    assert (
        next(r for r in again.stdout.splitlines() if r.startswith(token_id + "\t")).split("\t")[-1]
        != "-"
    )
    assert run(workdir, "token", "revoke", "999999").returncode == 1
