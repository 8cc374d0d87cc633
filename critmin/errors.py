"""One error type for bad input: it always says where (file, row, column) and what was expected."""
from __future__ import annotations


class DataError(Exception):
    """Raised for any raw or reference input that does not match what the code expects."""

    def __init__(self, message: str, *, file=None, row=None, column=None, expected=None, got=None):
        self.file, self.row, self.column, self.expected, self.got = file, row, column, expected, got
        where = ", ".join(
            f"{k} {v}" for k, v in (("file", file), ("row", row), ("column", column)) if v is not None
        )
        parts = [message]
        if got is not None:
            parts.append(f"got {got!r}")
        if expected is not None:
            parts.append(f"expected {expected}")
        text = "; ".join(parts)
        super().__init__(f"{where}: {text}" if where else text)


class ParamError(ValueError):
    """A report parameter is unknown, of the wrong type or outside its allowed values."""
