"""Proves the real test infrastructure works: PostgreSQL, Elasticsearch 9, chromium."""

from __future__ import annotations

import pytest

try:
    from tests import services
except ImportError:  # tests/ on sys.path instead of the repo root
    import services  # type: ignore[no-redef]


@pytest.mark.postgres
def test_postgres_select_1():
    import psycopg

    with psycopg.connect(services.psycopg_dsn(), connect_timeout=10) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
        assert conn.execute("select current_database()").fetchone()[0].startswith("portal_test_")


@pytest.mark.elasticsearch
def test_elasticsearch_is_version_9():
    from elasticsearch import Elasticsearch

    es = Elasticsearch(services.require_elasticsearch(), request_timeout=30)
    try:
        # The integ-test distribution has no rest-root module, so `GET /`
        # (es.info() / es.ping()) answers 405: ask the nodes API instead.
        nodes = es.nodes.info(filter_path="nodes.*.version")["nodes"]
        versions = {n["version"] for n in nodes.values()}
        assert versions and all(v.split(".")[0] == "9" for v in versions), versions
        assert es.cluster.health(wait_for_status="yellow", timeout="30s")["status"] in ("green", "yellow")
    finally:
        es.close()


@pytest.mark.browser
def test_chromium_opens_data_url():
    from playwright.sync_api import sync_playwright

    exe = services.chromium_path()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=services.CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto("data:text/html;charset=utf-8,<title>津英 smoke</title><p>ok</p>")
            assert page.title() == "津英 smoke"
        finally:
            browser.close()
