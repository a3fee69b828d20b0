"""Errors of the digests domain."""


class DigestNotFoundError(Exception):
    """No digest has the requested id."""

    def __init__(self, digest_id: int) -> None:
        """Name the missing digest."""
        super().__init__(f"digest {digest_id} not found")
        self.digest_id = digest_id
