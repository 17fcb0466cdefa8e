"""The support ledger (帮扶工作台账). Importing the package subscribes the ledger to the agreements and destinations
events, so a case closes (or reopens) whichever process signs, cancels or registers."""


def _subscribe() -> None:
    try:
        from portal.ledger import service
    except ImportError:  # a partial installation or an import cycle during start-up: the routes import it later
        return
    service.register_listeners()

_subscribe()
