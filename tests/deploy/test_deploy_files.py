"""The deployment files say what the portal really reads and serves."""
import re
from pathlib import Path

import yaml

from portal.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SETTING_FILES = [DEPLOY / "compose.yaml", DEPLOY / "portal.env.example", *sorted((DEPLOY / "k8s").glob("*.yaml"))]


def k8s_documents():
    return [doc for path in sorted((DEPLOY / "k8s").glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc and "metadata" in doc]


def test_every_portal_variable_in_the_deploy_files_is_a_setting():
    fields = {name.upper() for name in Settings.model_fields}
    used = {m for path in SETTING_FILES for m in re.findall(r"\bPORTAL_([A-Z0-9_]+)\b", path.read_text())}
    assert used and used <= fields, sorted(used - fields)


def test_compose_runs_migrations_first_and_three_search_nodes():
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    assert services["migrate"]["command"] == ["portal", "db", "upgrade"]
    assert services["portal"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert {"es1", "es2", "es3", "db", "worker", "proxy"} <= set(services)
    assert services["es1"]["environment"]["discovery.seed_hosts"] == "es1,es2,es3"


def test_kubernetes_probes_are_the_portals_own_routes(client):
    by_kind = {}
    for doc in k8s_documents():
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    portal = by_kind["Deployment"]["portal"]["spec"]["template"]["spec"]["containers"][0]
    for probe in ("livenessProbe", "readinessProbe"):
        assert client.get(portal[probe]["httpGet"]["path"]).status_code == 200
    assert by_kind["StatefulSet"]["elasticsearch"]["spec"]["replicas"] == 3
    assert by_kind["Job"]["portal-migrate"]["spec"]["template"]["spec"]["containers"][0]["command"] == [
        "portal", "db", "upgrade"]
