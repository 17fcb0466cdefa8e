"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""
import socket
import time
from email import message_from_bytes, policy
from email.message import Message

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self, messages: list) -> None:
        self.messages = messages

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


class SmtpSink:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        with socket.socket() as probe:  # a free loopback port (the controller checks its server by connecting)
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(_Keep(self.messages), hostname="127.0.0.1", port=self.port)

    def wait_for(self, count: int, timeout: float = 10) -> list[tuple[list[str], Message]]:
        """The messages once at least `count` have arrived (mail is sent after commit, by another thread)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} messages arrived"
        return self.messages

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
