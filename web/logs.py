"""The hub's logs: one JSON object a line for machines, plain text on a terminal.

What is logged is decided where it is logged: requests (`web/observability.py`),
workflow steps, imports, the watcher — always ids, codes and counts, never a
person's name, ID number, phone or a note's text.
"""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.orjson import OrjsonFormatter

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def json_formatter() -> logging.Formatter:
    """One JSON object a line: time, level, logger, message and the record's extras
    (encoded by orjson: half the standard library's cost, and every request logs a
    line)."""
    return OrjsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )


def configure_logging(log_format: str = "auto", level: int = logging.INFO) -> None:
    """Send the hub's and uvicorn's logs to stderr, as JSON lines unless `log_format` is
    `text` (or `auto` on a terminal)."""
    json_lines = log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())
    # Neither format shows the thread, the process or the task: a record need not look
    # them up (every request logs a line)
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging.logAsyncioTasks = False  # type: ignore[attr-defined]  # Python 3.12+
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter() if json_lines else logging.Formatter(TEXT))
    for name in ("petition_hub", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True  # the hub logs each request itself
