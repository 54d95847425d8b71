"""Reading and writing files safely: regular files only, bounded reads, atomic writes
that check what they write and never leave half a file."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from llmchoose.errors import InputError
from llmchoose.loading.safetext import describe_control

__all__ = ["atomic_write", "prepare_folder", "read_bytes", "refuse_folder"]


def read_bytes(path: str | Path, *, max_bytes: int, what: str = "file") -> bytes:
    """Read a regular file of at most ``max_bytes``, or raise a clear :class:`InputError`.

    FIFOs, devices and sockets are refused before opening (a FIFO would block forever,
    ``/dev/zero`` never ends), and at most ``max_bytes + 1`` bytes are read so a file
    that grows after the check cannot exhaust memory either.
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("file not found", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"expected a {what}, found a folder", file=path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"expected a {what}, found a device, pipe or socket", file=path)
    if info.st_size > max_bytes:
        raise InputError(
            f"file is {info.st_size:,} bytes; the limit is {max_bytes:,}",
            file=path,
            hint="split it into several files" if what == "YAML file" else None,
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=path) from None
    if len(data) > max_bytes:
        raise InputError(f"file grew past the limit of {max_bytes:,} bytes", file=path)
    return data


def _writable_target(path: Path) -> Path:
    try:
        return _checked_target(path)
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise InputError(f"cannot write here: {exc.strerror or exc}", file=path) from None


def refuse_folder(path: Path | None, what: str = "--output") -> None:
    """Stop before any work when a file to be written names a folder."""
    if path is not None and path.is_dir():
        raise InputError(f"{what}: expected a file name, found a folder", file=path)


def _checked_target(path: Path) -> Path:
    """Where writing ``path`` must go, or an InputError saying why it cannot.

    A symlink is followed so the link stays a link and its target gets the new content
    (replacing the link itself would silently break whatever it pointed at).
    """
    if path.is_symlink():
        path = path.resolve()
    if path.is_dir():
        raise InputError("expected a file to write, found a folder", file=path)
    if path.exists() and not path.is_file():
        raise InputError("expected a regular file to write, found a device or pipe", file=path)
    _parent_ready(path)
    return path


def _parent_ready(path: Path, *, create: bool = True) -> None:
    parent = path.parent
    for folder in (parent, *parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise InputError(f"cannot write here: {folder} is a file, not a folder", file=path)
            if not os.access(folder, os.W_OK | os.X_OK):
                raise InputError(f"cannot write here: {folder} is not writable", file=path)
            break
    if not create:
        return
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the folder {parent}: {exc.strerror}", file=path) from None


def prepare_folder(path: str | Path) -> Path:
    """An output folder that can be written, a symlink followed to its target so that
    replacing the folder keeps the link; or an InputError saying why not."""
    path = Path(path)
    try:
        return _checked_folder(path)
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror or exc}", file=path) from None


def _checked_folder(path: Path) -> Path:
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not path.is_dir():
        raise InputError("expected a folder to write, found a file", file=path)
    _parent_ready(path, create=False)  # made when written: a failed run leaves nothing
    return path


def atomic_write(
    path: str | Path,
    text: str | bytes,
    *,
    check: Callable[[str], None] | None = None,
    as_yaml: bool | None = None,
) -> Path:
    """Write a file so that readers see the old or the new content, never half of it.

    What is written must read back: YAML (``as_yaml``, by default a ``.yaml`` name) is
    parsed with :func:`parse_yaml`'s rules and ``check`` (a reader's validation, raising
    InputError) runs on the text before anything on disk changes. A report the user
    merely named ``.yaml`` passes ``as_yaml=False``. Returns the path actually written
    (a symlink's target).
    """
    path = _writable_target(Path(path))
    if isinstance(text, str):
        if as_yaml or (as_yaml is None and path.suffix in (".yaml", ".yml")):
            from llmchoose.loading.yamlio import parse_yaml

            parse_yaml(text, path)
        if check is not None:
            check(text)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(
                f"cannot write {describe_control(exc.object[exc.start])}", file=path
            ) from None
    else:
        data = text
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
    try:
        # mkstemp makes the file owner-only; give it the mode a plain open() would
        # (or keep the mode of the file being replaced) so teammates can read it.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
