"""Errors of the contacts domain."""


class ContactNotFoundError(Exception):
    """No contact has the requested id."""

    def __init__(self, contact_id: int) -> None:
        """Name the missing contact."""
        super().__init__(f"contact {contact_id} not found")
        self.contact_id = contact_id


class EmailTakenError(Exception):
    """The address belongs to another contact (or to an earlier row of an import).

    Attributes:
        email: The address, in lower case.
        row: The 0-based index of the import row that failed, if any.
    """

    def __init__(self, email: str, row: int | None = None) -> None:
        """Name the address and, for an import, the row."""
        where = f"row {row}: " if row is not None else ""
        super().__init__(f"{where}{email} is already taken")
        self.email = email
        self.row = row
