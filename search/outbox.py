from sqlmodel import Session

from search.models import SearchOutbox


def enqueue(session: Session, entity: str, entity_id: int) -> None:
    session.add(SearchOutbox(entity=entity, entity_id=entity_id))
