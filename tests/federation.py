"""The federation point for tests: the real npm tooling (`federation/`, installed by
`make federation-install`) run on loopback in front of the live test server.

`Node` runs a script of `federation/` and stops it at the end; `Switch` is a TCP relay
in front of a partner's subgraph that a test can turn "down" (connections cut at once)
or "slow" (held open, no answer) to see how the gateway degrades.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

FEDERATION = Path(__file__).parent.parent / "federation"
NODE_MODULES = FEDERATION / "node_modules"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def require_tooling() -> str:
    """The `node` binary, once `federation/node_modules` is installed; fails otherwise
    (CI installs it with `make test`)."""
    node = shutil.which("node")
    assert node, "Node.js 20+ is needed for the federation tests"
    assert (NODE_MODULES / ".bin" / "hive-gateway").exists(), (
        "federation/node_modules is missing: run `make federation-install`"
    )
    return node


def compose(env: dict[str, str], out: Path) -> dict[str, Any]:
    """`node compose.mjs --apollo --json`: the composition report of both composers."""
    node = require_tooling()
    done = subprocess.run(
        [node, "compose.mjs", "supergraph.yaml", "--out", str(out), "--apollo", "--json"],
        cwd=FEDERATION,
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    report["returncode"] = done.returncode
    return report


@contextlib.contextmanager
def node_process(
    args: list[str], env: dict[str, str], ready_url: str, log: Path, ready: Any = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `args` in `federation/`, wait until `ready_url` answers, stop it after."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            args, cwd=FEDERATION, env=os.environ | env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{args[:2]} exited: {log.read_text()[-2000:]}")
                try:
                    response = (
                        httpx.post(ready_url, json=ready or {}, timeout=2)
                        if ready
                        else (httpx.get(ready_url, timeout=2))
                    )
                    if response.status_code < 500:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{args[:2]} did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Switch:
    """A loopback TCP relay to `target_port`: `mode` is "up", "down" or "slow"."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._mode = "up"
        self._relayed: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._held: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, mode: str) -> None:
        self._mode = mode
        if mode != "up":  # a kept-alive connection must not outlive the outage
            for relayed in self._relayed:
                with contextlib.suppress(OSError):
                    relayed.shutdown(socket.SHUT_RDWR)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.mode == "down":
                # as a crashed process: the connection is cut before any answer
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.close()
            elif self.mode == "slow":
                self._held.append(client)  # accepted, never answered
            else:
                threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
        except OSError:
            client.close()
            return
        self._relayed += [client, upstream]

        def pipe(source: socket.socket, sink: socket.socket) -> None:
            try:
                while data := source.recv(65536):
                    sink.sendall(data)
            except OSError:
                pass
            finally:
                with contextlib.suppress(OSError):
                    sink.shutdown(socket.SHUT_WR)

        back = threading.Thread(target=pipe, args=(upstream, client), daemon=True)
        back.start()
        pipe(client, upstream)
        back.join(timeout=30)
        for end in (client, upstream):
            end.close()
            with contextlib.suppress(ValueError):
                self._relayed.remove(end)

    def release(self) -> None:
        """Back to "up", dropping the connections held while "slow"."""
        self._mode = "up"
        for held in self._held:
            with contextlib.suppress(OSError):
                held.close()
        self._held.clear()

    def close(self) -> None:
        self._closed = True
        self.release()
        self._listener.close()
