"""Domain events: what one domain announces and others react to, without the announcer knowing who listens.

Listeners run inside the announcer's transaction, after its own changes and before its commit, each in a
savepoint; a listener that fails is logged and rolled back to its savepoint, so a broken subscriber never blocks a
signature. Listeners are registered at start-up, never as a side effect of an import: each domain that listens
offers a `register()` function, named in LISTENERS below, which `register_listeners()` calls (the app factory and
the command line do; so does the test suite).

    # portal/ledger/listeners.py
    def register() -> None:
        events.on(events.AGREEMENT_SIGNED, close_case_on_agreement)
"""
import importlib
import logging
from collections import defaultdict
from collections.abc import Callable

from sqlmodel import Session

logger = logging.getLogger(__name__)

# Event names, each with what its listeners receive: listener(session, subject).
AGREEMENT_SIGNED = "agreement.signed"  # subject: the Agreement, all three parties have signed
AGREEMENT_CANCELLED = "agreement.cancelled"  # subject: the Agreement, its cancellation is complete
# Any change of a graduate's destination (report, agreement, cancellation, officer's check); subject: the Destination
DESTINATION_REGISTERED = "destination.registered"
# Someone signed in through the identity provider; subject: (User, the provider's validated claims as a dict)
SSO_SIGNED_IN = "sso.signed_in"

# "module:function" of every domain's listener registration, called once at start-up, in this order (a destination
# is registered before the ledger hears of it).
LISTENERS = ("portal.destinations.listeners:register", "portal.ledger.listeners:register",
             "portal.enrolment.listeners:register", "portal.employers.listeners:register",
             "portal.training.listeners:register", "portal.traineeships.listeners:register")

Listener = Callable[[Session, object], None]
_listeners: dict[str, list[Listener]] = defaultdict(list)


def on(event: str, listener: Listener) -> Listener:
    """Subscribes `listener(session, subject)` to `event`; subscribing it again changes nothing."""
    if listener not in _listeners[event]:
        _listeners[event].append(listener)
    return listener


def off(event: str, listener: Listener) -> None:
    if listener in _listeners[event]:
        _listeners[event].remove(listener)


def listeners(event: str) -> list[Listener]:
    return list(_listeners[event])


def emit(event: str, session: Session, subject: object) -> None:
    for listener in listeners(event):
        try:
            with session.begin_nested():
                listener(session, subject)
        except Exception:  # isolation is the contract: the savepoint undid the listener's writes
            logger.exception("listener %r for %s failed", listener, event)


def register_listeners() -> None:
    for entry in LISTENERS:
        module_name, _, function_name = entry.partition(":")
        getattr(importlib.import_module(module_name), function_name)()
