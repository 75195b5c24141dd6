"""Starting and stopping query workers: one template process per store version, forked per worker.

The template (``worker.py --template``) loads the store into memory once; each worker is a fork of
it that shares that copy and talks to us over its own Unix socket. Starting or replacing a worker
is then a fork (milliseconds), however large the store: a killed query costs the endpoint no reload.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

from graph.namespaces import PREFIXES

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
SPAWN_TIMEOUT = 60.0  # seconds for a template to load its store, or a worker to say it is ready


async def read_frame(reader: asyncio.StreamReader | Template) -> tuple[bytes, bytes]:
    """One ``kind(1) length(4) payload`` frame of the worker protocol (from a worker's stream, or
    from a template's control socket)."""
    head = await reader.readexactly(5)
    (length,) = struct.unpack(">I", head[1:])
    return head[:1], (await reader.readexactly(length) if length else b"")


def quads_of(db: str) -> int | None:
    """How many quads the build's manifest gives for the store at ``db`` (None: unknown)."""
    try:
        return int(json.loads((Path(db).parent / "manifest.json").read_text(encoding="utf-8"))["quads"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(eq=False)
class Worker:
    """One forked worker: its socket, and a pidfd so that a kill can never reach a recycled pid."""

    template: Template
    pid: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    info: dict = field(default_factory=dict)
    pidfd: int | None = None
    killed: bool = False

    @property
    def alive(self) -> bool:
        return not self.killed and not self.reader.at_eof()

    def send(self, data: bytes) -> None:
        self.writer.write(data)

    def kill(self) -> None:
        """SIGKILL, then close the socket (the template reaps the process)."""
        if self.killed:
            return
        self.killed = True
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            elif not self.reader.at_eof():  # an exited worker's pid may already belong to another process
                os.kill(self.pid, signal.SIGKILL)
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
        self.writer.close()


class Template:
    """The process workers are forked from; ``memory_db`` is the store it holds in memory, if any."""

    def __init__(self, memory_db: str | None):
        self.memory_db = memory_db
        self.proc: asyncio.subprocess.Process | None = None
        self.control: socket.socket | None = None
        self.info: dict = {}

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None and self.control is not None

    async def start(self) -> None:
        ours, theirs = socket.socketpair()
        args = [sys.executable, str(WORKER_SCRIPT), "--template", str(theirs.fileno())]
        if self.memory_db:
            args += ["--memory", self.memory_db]
        env = dict(os.environ, ASPKG_WORKER_PREFIXES=json.dumps(PREFIXES))
        try:
            self.proc = await asyncio.create_subprocess_exec(
                *args, pass_fds=(theirs.fileno(),), stdin=asyncio.subprocess.DEVNULL, env=env)
        finally:
            theirs.close()
        ours.setblocking(False)
        self.control = ours
        try:
            kind, payload = await read_frame(self)
            if kind != b"R":
                raise RuntimeError(f"query worker template sent {kind!r} before ready")
            self.info = json.loads(payload)
        except BaseException:
            self.close()
            raise

    async def readexactly(self, n: int) -> bytes:
        """``n`` bytes from the control socket (kept raw: workers' sockets are sent over it)."""
        loop = asyncio.get_running_loop()
        data = b""
        while len(data) < n:
            chunk = await asyncio.wait_for(loop.sock_recv(self.control, n - len(data)), SPAWN_TIMEOUT)  # type: ignore[arg-type]
            if not chunk:
                raise RuntimeError("the query worker template exited while starting (see its error above)")
            data += chunk
        return data

    async def fork(self) -> Worker:
        """A new worker, ready for a job."""
        if not self.alive:
            raise RuntimeError("the query worker template is not running")
        ours, theirs = socket.socketpair()
        try:
            socket.send_fds(self.control, [b"F"], [theirs.fileno()])  # type: ignore[arg-type]
        except OSError:
            ours.close()
            self.close()
            raise
        finally:
            theirs.close()
        reader, writer = await asyncio.open_unix_connection(sock=ours, limit=2**20)
        try:
            kind, payload = await asyncio.wait_for(read_frame(reader), SPAWN_TIMEOUT)
            if kind != b"R":
                raise RuntimeError(f"query worker sent {kind!r} before ready")
        except BaseException:
            writer.close()
            raise
        info = json.loads(payload)
        pidfd = None
        with contextlib.suppress(AttributeError, OSError):
            pidfd = os.pidfd_open(info["pid"])
        return Worker(self, info["pid"], reader, writer, info, pidfd)

    def close(self) -> None:
        """Stop the template (its workers live on until they are killed or their socket closes)."""
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()

    async def aclose(self) -> None:
        self.close()
        if self.proc is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.proc.wait(), 5)
            transport = getattr(self.proc, "_transport", None)
            if transport is not None:
                transport.close()
