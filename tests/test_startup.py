"""The portal refuses to start where its sessions could be forged: no secret, a short or public one, or a
placeholder, anywhere but an explicitly local run on loopback. The demo on loopback makes its own secret."""
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal.app import create_app
from portal.cli import app as cli
from portal.settings import InsecureSecret, Settings, get_settings, require_strong_secret, serving_environment

EXAMPLE_ENV = Path(__file__).resolve().parent.parent / "deploy" / "portal.env.example"
STRONG = "kV3q-8Hc2_Lw9sTnYb4RzPj7XmAe1GdUfQo6"


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """A process environment with no PORTAL_* settings but a data directory of its own."""
    import os

    for name in list(os.environ):
        if name.startswith("PORTAL_") and not name.startswith("PORTAL_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env file
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def serve(*args: str):
    return CliRunner().invoke(cli, ["serve", *args])


def test_an_unset_environment_without_a_secret_refuses_to_start(environment):
    result = serve("--host", "127.0.0.1")
    assert result.exit_code == 2
    assert "refusing to start" in result.output and "PORTAL_SECRET_KEY is not set" in result.output
    with pytest.raises(InsecureSecret):
        create_app()


def test_any_bind_beyond_loopback_needs_a_strong_secret_even_when_local(environment):
    environment.setenv("PORTAL_ENVIRONMENT", "local")
    environment.setenv("PORTAL_SECRET_KEY", "dev-secret")
    result = serve("--host", "0.0.0.0")
    assert result.exit_code == 2 and "refusing to start on 0.0.0.0" in result.output
    assert serve("--host", "192.168.1.20", "--demo").exit_code == 2


def test_the_example_env_files_placeholder_is_refused(environment):
    for line in EXAMPLE_ENV.read_text().splitlines():
        if line.startswith(("PORTAL_ENVIRONMENT=", "PORTAL_SECRET_KEY=")):
            name, _, value = line.partition("=")
            environment.setenv(name, value)
    assert get_settings().secret_key == "replace-with-64-random-bytes"
    with pytest.raises(InsecureSecret, match="too short, too simple or public"):
        create_app()
    assert serve("--host", "127.0.0.1").exit_code == 2


def test_a_strong_secret_of_its_own_starts_anywhere():
    settings = Settings(_env_file=None, environment="production", secret_key=STRONG)
    assert require_strong_secret(settings, host="0.0.0.0") is settings
    weak = Settings(_env_file=None, environment="production", secret_key="s" * 40)
    with pytest.raises(InsecureSecret):
        require_strong_secret(weak, host="127.0.0.1")


def test_the_demo_on_loopback_keeps_a_random_secret_in_the_data_dir(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    first = require_strong_secret(settings, host="127.0.0.1", demo=True)
    again = require_strong_secret(settings, host="::1", demo=True)
    assert len(first.secret_key) >= 32 and first.secret_key == again.secret_key
    kept = tmp_path / "data" / "secret_key"
    assert kept.read_text().strip() == first.secret_key
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert Settings(_env_file=None, data_dir=tmp_path / "other").secret_key == ""
    assert require_strong_secret(Settings(_env_file=None, data_dir=tmp_path / "other"), host="127.0.0.1",
                                 demo=True).secret_key != first.secret_key


def test_the_demo_on_loopback_runs_as_a_local_machine_and_nothing_else_does():
    unset = Settings(_env_file=None)
    assert serving_environment(unset, host="127.0.0.1", demo=True) == "local"
    assert serving_environment(unset, host="0.0.0.0", demo=True) is None
    assert serving_environment(unset, host="127.0.0.1", demo=False) is None
    production = Settings(_env_file=None, environment="production")
    assert serving_environment(production, host="127.0.0.1", demo=True) == "production"
