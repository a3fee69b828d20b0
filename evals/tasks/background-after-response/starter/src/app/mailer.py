"""Client of our mail gateway (a stand-in with the gateway's timing and failures)."""

import anyio


class MailBouncedError(Exception):
    """The gateway refused the address: the message was not delivered."""


class Mailer:
    """Sends one message at a time; each takes ``delay_seconds`` at the gateway."""

    def __init__(self, delay_seconds: float) -> None:
        self.delay_seconds = delay_seconds
        self.outbox: list[tuple[str, str]] = []

    async def send(self, to: str, subject: str, body: str) -> None:
        """Deliver one message.

        Raises:
            MailBouncedError: For addresses the gateway refuses (domain ``bounce.example.org``).
        """
        await anyio.sleep(self.delay_seconds)
        if to.endswith("@bounce.example.org"):
            raise MailBouncedError(to)
        self.outbox.append((to, subject))
        del body  # the stand-in keeps no bodies
