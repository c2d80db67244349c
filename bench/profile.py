"""Where a server's CPU goes while `wrk` drives it: py-spy samples the process (every
worker) and each sample is charged to the layer of its innermost Python frame.

    record(pid, seconds, out) -> the running py-spy (wait for it)
    layers(out) -> {layer: share of the samples}

`make bench --profile` (`bench/run.py`) profiles the hub with one worker at concurrency
16 for each workload and writes the shares into `bench/RESULTS.md`. py-spy comes with
the `bench` extra (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import sys
from pathlib import Path

# The layer a frame's file belongs to, first match wins.
LAYERS = [
    ("database driver (asyncpg, aiosqlite)", ("asyncpg/", "aiosqlite/", "sqlite3/")),
    ("SQLAlchemy", ("sqlalchemy/",)),
    ("graphql-core", ("graphql/",)),
    ("strawberry", ("strawberry/",)),
    ("HTTP server and framework (uvicorn, starlette, httptools)", ("uvicorn/", "starlette/")),
    ("logging and metrics", ("logging/", "prometheus_client/", "web/logs.py")),
    ("the hub's door (web/)", ("web/",)),
    ("the hub's schema and compiler (schema/)", ("schema/",)),
    ("the hub's domain (resolvers/, db/)", ("resolvers/", "db/")),
    ("asyncio event loop", ("asyncio/",)),
]
NATIVE = "no Python frame (the event loop's C code, I/O, the collector)"
OTHER = "other Python"


def py_spy() -> str | None:
    found = Path(sys.executable).parent / "py-spy"
    return str(found) if found.exists() else shutil.which("py-spy")


def record(pid: int, seconds: int, out: Path) -> subprocess.Popen[bytes] | None:
    """py-spy sampling `pid` and its children for `seconds` (None without py-spy)."""
    command = py_spy()
    if command is None:
        return None
    return subprocess.Popen(
        [
            *(command, "record", "--pid", str(pid), "--subprocesses"),
            *("--duration", str(seconds), "--rate", "200"),
            *("--format", "raw", "--output", str(out), "--nonblocking"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def layer_of(frame: str) -> str:
    where = re.search(r"\(([^()]*):\d+\)$", frame)
    path = where.group(1) if where else ""
    for name, marks in LAYERS:
        if any(mark in path for mark in marks):
            return name
    return OTHER if frame.strip() else NATIVE


def layers(out: Path) -> dict[str, float]:
    """Each layer's share of the samples, largest first."""
    counts: collections.Counter[str] = collections.Counter()
    for line in out.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        if not samples.isdigit():
            continue
        frames = [f for f in stack.split(";") if f and not f.startswith("process ")]
        counts[layer_of(frames[-1]) if frames else NATIVE] += int(samples)
    total = sum(counts.values()) or 1
    return {name: round(100 * n / total, 1) for name, n in counts.most_common()}
