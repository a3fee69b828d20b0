"""Errors of the files domain, each with the HTTP status it maps to."""

from fastapi import status


class FileError(Exception):
    """Base of the domain's errors; ``status_code`` is what the API answers."""

    status_code = status.HTTP_400_BAD_REQUEST


class FileNotFoundInStoreError(FileError):
    """No file has the requested id."""

    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, file_id: int) -> None:
        """Name the missing file."""
        super().__init__(f"file {file_id} not found")


class FileTooLargeError(FileError):
    """The upload is larger than the configured limit."""

    status_code = status.HTTP_413_CONTENT_TOO_LARGE

    def __init__(self, limit: int) -> None:
        """Name the limit."""
        super().__init__(f"file is larger than {limit} bytes")


class UnsupportedFileTypeError(FileError):
    """The declared type is not accepted, or the content does not match it."""

    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE


class EmptyFileError(FileError):
    """The upload has no content."""

    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT

    def __init__(self) -> None:
        """Say what is wrong."""
        super().__init__("the file is empty")
