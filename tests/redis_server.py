"""A throwaway Redis server for one test run: redis-server on a free loopback port, in a temporary folder."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class Server:
    process: subprocess.Popen
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start(timeout: float = 10.0) -> Server | None:
    """Start a server that keeps nothing on disk; None when redis-server is not installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="referral-app-redis-"))
    port = _free_port()
    options = ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "", "--appendonly", "no"]
    with (folder / "log").open("wb") as log:
        process = subprocess.Popen([binary, *options], stdout=log, stderr=subprocess.STDOUT)
    server = Server(process=process, folder=folder, port=port)
    deadline = time.monotonic() + timeout
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            output = (folder / "log").read_text(errors="replace")
            server.stop()
            raise RuntimeError(f"redis-server did not start:\n{output}")
        time.sleep(0.02)
    return server
