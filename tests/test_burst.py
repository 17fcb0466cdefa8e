"""A burst start against one real portal process on PostgreSQL: every request is answered and the process keeps
serving afterwards. (Full scale, with the figures printed: bench/burst.py.)"""
import pytest

from bench.burst import burst, graduates_with_tokens, portal_process, still_serving
from tests.factories import make_employer, make_position

pytestmark = pytest.mark.postgres
CLIENTS = 80


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_a_burst_of_signed_in_users_is_answered_and_the_process_recovers(session, settings, database):
    organization, _ = make_employer(session)
    for n in range(20):
        make_position(session, organization, title=f"软件开发工程师 {n}")
    tokens = graduates_with_tokens(session, settings, CLIENTS)
    env = {"PORTAL_ENVIRONMENT": "local", "PORTAL_DATABASE_URL": database[0], "PORTAL_SECRET_KEY": settings.secret_key,
           "PORTAL_RUN_SCHEDULED_JOBS": "false", "PORTAL_SEARCH_URL": "",
           # Fewer route threads than clients, so requests queue for threads and connections at once.
           "PORTAL_REQUEST_THREADS": "16"}
    with portal_process(env) as url:
        report = burst(url, tokens, rounds=4, timeout=60)
        assert report.unanswered == [], report.figures()
        assert report.server_errors == 0, report.figures()
        assert report.statuses[200] == CLIENTS * 3 and report.statuses[404] == CLIENTS, report.figures()
        assert still_serving(url)
