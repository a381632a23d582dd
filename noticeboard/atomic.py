"""Atomic file writes: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def publish(made: Path, path: Path) -> None:
    """Put a file made elsewhere on the same file system at ``path`` in one step, readable by all."""
    os.chmod(made, 0o666 & ~_UMASK)
    os.replace(made, path)


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; a published site must be readable
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


class OutputNotWritable(Exception):
    def __init__(self, out: Path, cause: OSError):
        super().__init__(f"{out}: {cause.strerror or cause}")
        self.out = out
        self.cause = cause


class StagedOutput:
    """Build into a copy of the output folder, then swap it in: all or nothing.

    The copy hard-links the existing files (writes replace directory entries, so the
    originals are never touched) and copies the register, which SQLite edits in place.
    If anything fails before ``commit``, the staging folder is dropped and the previous
    print/, preview/, site/ and register stay exactly as they were.
    """

    ENTRIES = ("print", "preview", "site", "screen", "draft", "register.sqlite")

    def __init__(self, out: Path):
        self.out = out
        self.path: Path | None = None
        try:  # find out now, before any work, whether the folder can be written at all
            self.out.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(tempfile.mkdtemp(prefix=".staging-", dir=self.out))
        except OSError as exc:
            raise OutputNotWritable(self.out, exc) from exc

    def __enter__(self) -> StagedOutput:
        for replaced in self.out.glob(".replaced-*"):  # a build killed while swapping: put back what is missing
            for entry in replaced.iterdir():
                if not (self.out / entry.name).exists():
                    os.rename(entry, self.out / entry.name)
        for leftover in list(self.out.glob(".staging-*")) + list(self.out.glob(".replaced-*")):
            shutil.rmtree(leftover, ignore_errors=True)  # from a build that was killed outright
        self.path = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.out))
        for name in self.ENTRIES:
            source = self.out / name
            if source.is_dir():
                shutil.copytree(source, self.path / name, copy_function=_link_or_copy)
            elif source.is_file():
                shutil.copy2(source, self.path / name)
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        elif self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)

    def commit(self) -> None:
        assert self.path is not None
        replaced = Path(tempfile.mkdtemp(prefix=".replaced-", dir=self.out))
        for name in self.ENTRIES:
            staged = self.path / name
            if not staged.exists():
                continue
            current = self.out / name
            if current.exists():
                os.rename(current, replaced / name)
            os.rename(staged, current)
        shutil.rmtree(replaced, ignore_errors=True)
        shutil.rmtree(self.path, ignore_errors=True)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)
