"""Fan-out of new orders to every open event stream (one process, in memory)."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

from app.orders.schemas import OrderPublic


class Broadcaster:
    """Each subscriber gets its own queue, so every stream sees every order."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[OrderPublic]] = set()

    @contextmanager
    def subscribe(self) -> Iterator[asyncio.Queue[OrderPublic]]:
        """A queue of the orders published while the block runs."""
        queue: asyncio.Queue[OrderPublic] = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)

    def publish(self, order: OrderPublic) -> None:
        """Hand an order to every subscriber."""
        for queue in self._queues:
            queue.put_nowait(order)
