"""One page of a list (portal/pagination.py)."""
from sqlmodel import select

from portal.accounts.models import User
from portal.pagination import paginate
from tests.factories import make_graduate


def test_pages_are_counted_and_clamped(session):
    ids = [make_graduate(session).id for _ in range(5)]
    statement = select(User.id)
    second = paginate(session, statement, page=2, per_page=2, order=(User.id,))
    assert (second.items, second.total, second.page, second.pages) == (ids[2:4], 5, 2, 3)
    assert paginate(session, statement, page=99, per_page=2, order=(User.id,)).items == ids[4:]
    assert paginate(session, statement.where(User.id < 0), page=3).pages == 1
