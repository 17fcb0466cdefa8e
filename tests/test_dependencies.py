"""The rule between domains (CONTRIBUTING.md), checked over the imports: a domain uses another only through its
`models`, `schemas` and `service` modules, and only their public names; what domains call of each other (services
and schemas) never runs in a circle. Tables are one schema, so reading another domain's models is not a call and
may go either way. The core of portal/ (the modules directly in it and portal/officer) is there for every domain."""
from pathlib import Path

from bench.structure import circles, domain_of, edges_and_breaches, imports

PORTAL = Path(__file__).resolve().parent.parent / "portal"


def test_domains_use_each_other_only_through_models_schemas_and_service():
    _, _, breaches = edges_and_breaches(PORTAL)
    assert breaches == []


def test_no_domains_call_each_other_in_a_circle():
    _, calls, _ = edges_and_breaches(PORTAL)
    assert circles(calls) == []


def test_the_check_sees_a_breach_and_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert list(imports(PORTAL / "employers" / "routes.py", PORTAL.parent))  # the parser reads real files
    assert domain_of("portal.ledger.service", {"ledger"}) == "ledger" and domain_of("portal.forms", {"ledger"}) is None
