"""A file-system failure while writing the report, said in one line: what failed, the path, what
to do. A failed write() on a full disk raises OSError without a file name: `writing(path)` adds it."""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_LOCKED = {errno.EROFS, errno.EACCES, errno.EPERM}


@contextlib.contextmanager
def writing(path: Path):
    """OSErrors raised inside name `path` if they name no file themselves."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None and not isinstance(exc, shutil.Error):
            exc.filename = str(path)
        raise


def _cause(exc: OSError) -> tuple[str | None, str, int | None]:
    """(path, reason, errno); shutil.copytree gathers its failures in one shutil.Error."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        _src, dst, why = exc.args[0][0]
        return dst, str(why), None
    return exc.filename, exc.strerror or str(exc), exc.errno


def describe(exc: OSError, public, options: list[tuple[Path, str]], show) -> str:
    """One line for exc. public(path): the path people know a private one by (the hidden staging
    folder is the report); options: (folder, command-line option choosing it), to name the way
    out; show: how paths are shown."""
    path, reason, code = _cause(exc)
    shown = "?"
    option = None
    if path is not None:
        p = public(Path(os.path.abspath(path)))
        shown = show(p)
        option = next((opt for folder, opt in options if p == folder or folder in p.parents), None)
    if code in _FULL:
        todo = "free space on that file system"
    elif code in _LOCKED:
        todo = "make that location writable"
    else:
        todo = "check that location"
    name = f" [{errno.errorcode[code]}]" if code in errno.errorcode else ""
    other = f" (or choose another {option})" if option else ""
    return f"cannot write {shown}: {reason}{name}; {todo}{other}, then run again"
