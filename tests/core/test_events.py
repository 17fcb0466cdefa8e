"""The domain event bus (portal/events.py): explicit registration, savepoints around listeners."""
from sqlmodel import select

from portal import events
from portal.accounts.models import User
from tests.factories import make_graduate


def test_every_registered_domain_subscribes_at_start_up():
    events.register_listeners()
    for event in (events.AGREEMENT_SIGNED, events.AGREEMENT_CANCELLED, events.DESTINATION_REGISTERED):
        assert len(events.listeners(event)) == len(set(events.listeners(event))) >= 1


def test_a_failing_listener_is_rolled_back_alone(session):
    graduate = make_graduate(session)

    def rename(session, user):
        user.display_name = "renamed by a listener"
        session.add(user)
        session.flush()

    def rename_then_fail(session, user):
        session.add(User(email="half-written@example.cn", role="graduate", display_name="x"))
        session.flush()
        raise RuntimeError("a broken subscriber")

    events.on("test.happened", rename_then_fail)
    events.on("test.happened", rename)
    events.on("test.happened", rename)  # once is enough
    try:
        events.emit("test.happened", session, graduate)
        session.commit()
    finally:
        events.off("test.happened", rename)
        events.off("test.happened", rename_then_fail)
    assert events.listeners("test.happened") == []
    assert session.exec(select(User.display_name).where(User.id == graduate.id)).one() == "renamed by a listener"
    assert session.exec(select(User).where(User.email == "half-written@example.cn")).first() is None
