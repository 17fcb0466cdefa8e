"""Portal processes on loopback ports behind Debian's nginx, configured with deploy/nginx/proxy.conf as production is.

`portal_cluster(...)` starts N `uvicorn portal.app:create_app` processes sharing one database, search node and
storage directory, and nginx balancing them round-robin; it logs which process served each request, can kill -9
a process and start it again, and stops everything it started on exit.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.private_services import free_port
from tests.services import _missing

ROOT = Path(__file__).resolve().parents[2]
PROXY_CONF = ROOT / "deploy" / "nginx" / "proxy.conf"
START_TIMEOUT_SECONDS = 60
# Configured as production is (PORTAL_ENVIRONMENT=production needs a key of its own); a test key, nothing real.
CLUSTER_ENCRYPTION_KEY = "dGVzdC1rZXktZm9yLXRoZS1zY2FsZS1vdXQtdGVzdHM="

NGINX_CONF = """{user}
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format upstream '$request_method $uri $status $upstream_addr';
    access_log {run}/access.log upstream;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream jinying_portal {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        include {proxy_conf};
    }}
}}
"""


def nginx_path() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not path:
        _missing("Debian's nginx is not installed (apt-get install nginx)")
    return path


def wait_until_up(url: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start (exit code {process.poll()})")
        time.sleep(0.2)


@dataclass
class PortalCluster:
    run_dir: Path
    env: dict[str, str]
    ports: list[int]
    proxy_port: int = field(default_factory=free_port)
    processes: dict[int, subprocess.Popen] = field(default_factory=dict)
    nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def process_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def start_process(self, index: int) -> None:
        port = self.ports[index]
        log = (self.run_dir / f"portal-{port}.log").open("ab")
        self.processes[index] = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "portal.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--proxy-headers"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        wait_until_up(f"{self.process_url(index)}/healthz", self.processes[index], f"portal on port {port}")

    def kill(self, index: int) -> None:
        """kill -9: no shutdown, no answer for the requests it holds."""
        self.processes[index].send_signal(signal.SIGKILL)
        self.processes[index].wait(timeout=10)

    def start_proxy(self) -> None:
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in self.ports)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(
            user="user root;" if os.geteuid() == 0 else "", run=self.run_dir, servers=servers, port=self.proxy_port,
            proxy_conf=PROXY_CONF,
        ))
        self.nginx = subprocess.Popen([nginx_path(), "-c", str(conf), "-p", str(self.run_dir), "-g", "daemon off;"],
                                      stdout=subprocess.DEVNULL, stderr=(self.run_dir / "nginx.out").open("ab"))
        wait_until_up(f"{self.url}/healthz", self.nginx, "nginx")

    def served_by(self) -> list[tuple[str, str, str, str]]:
        """(method, path, status, upstream port) of every request nginx passed on, in order."""
        lines = (self.run_dir / "access.log").read_text().splitlines()
        return [(m, p, s, u.rsplit(":", 1)[-1]) for m, p, s, u in (line.split(" ", 3) for line in lines)]

    def stop(self) -> None:
        for process in [*self.processes.values(), self.nginx]:
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


@contextlib.contextmanager
def portal_cluster(run_dir: Path, *, database_url: str, search_url: str | None, processes: int = 2, **settings):
    """Yields a started PortalCluster; every process gets the same PORTAL_* settings."""
    run_dir.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env.update({
        "PORTAL_DATABASE_URL": database_url, "PORTAL_SEARCH_URL": search_url or "",
        "PORTAL_DATA_DIR": str(run_dir / "data"), "PORTAL_SECRET_KEY": "scale-out-test-secret-5c1e0f2a9b7d4e61",
        "PORTAL_ENVIRONMENT": "production", "PORTAL_ENCRYPTION_KEY": CLUSTER_ENCRYPTION_KEY,
        "PORTAL_RUN_SCHEDULED_JOBS": "false", "PYTHONPATH": str(ROOT),
    })
    env.update({f"PORTAL_{key.upper()}": str(value) for key, value in settings.items()})
    if not search_url:
        env.pop("PORTAL_SEARCH_URL")
    cluster = PortalCluster(run_dir=run_dir, env=env, ports=[free_port() for _ in range(processes)])
    try:
        for index in range(processes):
            cluster.start_process(index)
        cluster.start_proxy()
        yield cluster
    finally:
        cluster.stop()
