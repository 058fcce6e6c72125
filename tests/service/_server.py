"""A real uvicorn server on loopback (``creditflow serve`` on a free port), and its tokens."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from creditflow.service import hash_token

SRC = Path(__file__).resolve().parents[2] / "src"

TOKENS: dict[str, tuple[str, tuple[str, ...]]] = {
    "officer": ("officer-1", ("case_officer",)),
    "officer2": ("officer-2", ("case_officer",)),
    "official": ("official-1", ("approving_official",)),
    "reviewer": ("reviewer-1", ("reviewer",)),
    "both": ("officer-9", ("case_officer", "approving_official")),
    "applicant": ("91110000600037341L", ("subject",)),
    "firm": ("91350100M000100Y43", ("subject",)),
    "person": ("110101199003074477", ("subject",)),
    "slow": ("officer-5", ("case_officer",)),
}
"""Token name -> actor and roles; the token text is ``token-<name>``."""


def write_auth(path: Path, *, rate: float = 1000, burst: int = 1000) -> Path:
    lines = [f"[limits]\nrate = {rate}\nburst = {burst}\n"]
    for name, (actor, roles) in TOKENS.items():
        extra = "rate = 1\nburst = 3\n" if name == "slow" else ""
        listed = ", ".join(f'"{r}"' for r in roles)
        lines.append(
            f'[[tokens]]\nactor = "{actor}"\nroles = [{listed}]\n'
            f'sha256 = "{hash_token("token-" + name)}"\n{extra}'
        )
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A ``creditflow serve`` process on 127.0.0.1 and a free port."""

    def __init__(
        self,
        book: str,
        auth: Path,
        log: Path | None,
        *,
        policy: str | None = None,
        extra: tuple[str, ...] = (),
        pythonpath: tuple[Path, ...] = (),
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "creditflow",
            "serve",
            "--book",
            book,
            "--auth",
            str(auth),
            "--port",
            str(self.port),
        ]
        if log is not None:
            command += ["--decision-log", str(log), "--log-max-bytes", "200000"]
        if policy is not None:
            command += ["--policy", policy]
        command += list(extra)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(map(str, (*pythonpath, SRC))),
            "CREDITFLOW_CACHE": "off",
        }
        self.stderr = auth.parent / f"server-{self.port}.err"
        self._err = self.stderr.open("wb")
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=self._err
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.stderr.read_text()}")
            try:
                if httpx.get(self.url + "/ready", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not become ready in 60 s")

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer token-{token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._err.close()
