"""What other domains may react to: an agreement fully signed or cancelled, a destination registered.

Listeners run inside the caller's transaction, after the agreement's own changes and before the commit;
an exception in a listener is logged and swallowed, so a broken subscriber never blocks a signature.

    from portal.agreements import events

    @events.on(events.AGREEMENT_SIGNED)
    def open_ledger_case(session, agreement): ...
"""
import logging
from collections import defaultdict
from collections.abc import Callable

logger = logging.getLogger(__name__)

AGREEMENT_SIGNED = "agreement.signed"  # listener(session, agreement)
AGREEMENT_CANCELLED = "agreement.cancelled"  # listener(session, agreement)
# Any change of a graduate's destination (report, agreement, cancellation, officer's check): listener(session, destination)
DESTINATION_REGISTERED = "destination.registered"

Listener = Callable[..., None]
_listeners: dict[str, list[Listener]] = defaultdict(list)


def on(event: str, listener: Listener | None = None):
    """Registers `listener(session, agreement)` for `event`; usable as a decorator. Registering twice is a no-op."""

    def register(fn: Listener) -> Listener:
        if fn not in _listeners[event]:
            _listeners[event].append(fn)
        return fn

    return register(listener) if listener is not None else register


def off(event: str, listener: Listener) -> None:
    if listener in _listeners[event]:
        _listeners[event].remove(listener)


def emit(event: str, session, subject) -> None:
    for listener in list(_listeners[event]):
        try:
            with session.begin_nested():
                listener(session, subject)
        except Exception:
            logger.exception("listener %r for %s failed", listener, event)
