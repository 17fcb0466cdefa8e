"""One page of a list: the rows, how many there are in all, and which page this is (the `pager` macro shows it)."""
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

PAGE_SIZE = 20


@dataclass
class Page:
    items: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def paginate(session: Session, statement, *, page: int = 1, per_page: int = PAGE_SIZE, order=()) -> Page:
    """Runs `statement` for one page (clamped to the pages there are), in `order`, with the total count."""
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    pages = page_count(total, per_page)
    page = min(max(1, page), pages)
    items = session.exec(statement.order_by(*order).offset((page - 1) * per_page).limit(per_page)).all()
    return Page(list(items), total, page, pages)
