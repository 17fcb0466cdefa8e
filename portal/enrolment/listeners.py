"""What the enrolment domain reacts to: the campus identity provider vouching for a graduate's enrolment."""
from sqlmodel import Session

from portal import events
from portal.enrolment import service


def register() -> None:
    events.on(events.SSO_SIGNED_IN, put_claims_on_record)


def put_claims_on_record(session: Session, subject: object) -> None:
    user, claims = subject
    service.put_claims_on_record(session, user=user, claims=claims)
