"""`portal search reindex | check | drain | status` through the real Typer app."""
import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from portal.cli import app
from search import cli as search_cli
from search.outbox import enqueue
from tests.search.conftest import build_world


@pytest.fixture
def run(monkeypatch, engine, backend):
    def context():
        return Session(engine, expire_on_commit=False), backend

    monkeypatch.setattr(search_cli, "_context", context)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["search", *args])


def test_reindex_check_drain_status(run, session, backend):
    world = build_world(session)
    result = run("reindex")
    assert result.exit_code == 0, result.output
    assert "position:" in result.output and "resume:" in result.output
    backend.refresh()
    result = run("check")
    assert result.exit_code == 0 and "position: missing=0 stale=0 extra=0" in result.output
    if backend.keeps_index:
        backend.delete("position", [world.positions["java"].id], refresh=True)
        result = run("check", "-e", "position")
        assert result.exit_code == 1 and "missing=1" in result.output
        assert run("check", "--repair").exit_code == 0
        backend.refresh()
        assert run("check").exit_code == 0
    enqueue(session, "position", world.positions["java"].id)
    session.commit()
    result = run("drain")
    assert result.exit_code == 0 and "processed=1" in result.output
    result = run("status")
    assert "ok: True" in result.output and "outbox_backlog: 0" in result.output
    assert run("check", "-e", "nonsense").exit_code != 0
