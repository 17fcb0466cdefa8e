"""The support ledger (帮扶工作台账). Its listeners (listeners.py) close and reopen cases when agreements are signed or
cancelled and destinations registered; they are registered at start-up (portal/events.py)."""
