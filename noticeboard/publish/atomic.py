"""Atomic writes: single files by a temporary file and a rename, the whole output by one switch.

The output folder holds generations. Every build writes a complete new generation and then
makes it current by replacing one symbolic link, ``OUT/.current``; that replacement is a
single ``rename`` and the only step that changes what readers see. The public paths
(``OUT/print``, ``OUT/preview``, ``OUT/site``, ``OUT/draft``, ``OUT/register.sqlite``) are
fixed links through ``.current``, so print/, preview/, site/ and the register are always of
one generation, and a build that fails or is killed at any point leaves the last good one
whole::

    OUT/.generations/g-20260412-101502-ab12/{print,preview,site,draft,register.sqlite}
    OUT/.current  -> .generations/g-20260412-101502-ab12
    OUT/print     -> .current/print          (and preview, site, draft, register.sqlite)
    OUT/.lock                                 held by the build that is running

One build at a time: ``BuildLock`` takes an exclusive lock on ``OUT/.lock`` (released by the
operating system when the process ends, even when it is killed), and a second build is
refused with a plain message instead of sharing the staging area.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO


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
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


class OutputNotWritable(Exception):
    def __init__(self, out: Path, cause: OSError):
        super().__init__(f"{out}: {cause.strerror or cause}")
        self.out = out
        self.cause = cause


class BuildRunning(Exception):
    """Another build holds the output folder's lock."""

    def __init__(self, out: Path):
        super().__init__(str(out))
        self.out = out


LOCK_FILE = ".lock"
CURRENT = ".current"
GENERATIONS = ".generations"
ENTRIES = ("print", "preview", "site", "screen", "draft", "register.sqlite")


def step(name: str) -> None:
    """Called before every file-system step of a commit or a migration.

    Nothing by default. The fault-injection tests replace it to fail or kill the process
    at each step in turn and then check that the output is whole.
    """


class BuildLock:
    """An exclusive, non-blocking lock on ``OUT/.lock`` for the length of a build."""

    def __init__(self, out: Path):
        self.out = out
        self.handle: BinaryIO | None = None

    def __enter__(self) -> BuildLock:
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            handle = self.handle = open(self.out / LOCK_FILE, "a+b")
        except OSError as exc:
            raise OutputNotWritable(self.out, exc) from exc
        try:
            _lock(handle)
        except OSError:
            handle.close()
            self.handle = None
            raise BuildRunning(self.out) from None
        return self

    def __exit__(self, *exc_info) -> None:
        if self.handle is not None:
            _unlock(self.handle)
            self.handle.close()
            self.handle = None


def _lock(handle: BinaryIO) -> None:
    # sys.platform, not a failed import, chooses: the type checker then knows which module each branch has
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(handle: BinaryIO) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def current_generation(out: Path) -> Path | None:
    """The folder of the current generation, or None before the first build."""
    pointer = out / CURRENT
    if not pointer.is_symlink():
        return None
    target = out / os.readlink(pointer)
    return target if target.is_dir() else None


class StagedOutput:
    """Build into a new generation, then make it current with one rename: all or nothing.

    The new generation starts as a copy of the current one: files are hard-linked (every
    write replaces a directory entry, so the current files are never touched) and the
    register, which SQLite edits in place, is copied. Call it under ``BuildLock``.
    """

    def __init__(self, out: Path):
        self.out = out
        self.path: Path | None = None
        self.linked = True
        try:  # find out now, before any work, whether the folder can be written at all
            self.out.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(tempfile.mkdtemp(prefix=".staging-", dir=self.out))
        except OSError as exc:
            raise OutputNotWritable(self.out, exc) from exc

    def __enter__(self) -> StagedOutput:
        self.linked = links_supported(self.out)
        if not self.linked:
            return self._enter_flat()
        migrate(self.out)
        generations = self.out / GENERATIONS
        generations.mkdir(exist_ok=True)
        current = current_generation(self.out)
        for leftover in generations.iterdir():  # from builds that failed or were killed (we hold the lock)
            if current is None or leftover.name != current.name:
                _remove(leftover)
        for leftover in self.out.glob(".staging-*"):
            _remove(leftover)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.path = generations / f"g-{stamp}-{secrets.token_hex(3)}"
        self.path.mkdir()
        if current is not None:
            for name in ENTRIES:
                if not (self.out / name).exists():
                    continue  # the user removed it (a damaged register moved away, as its message advises)
                source = current / name
                if source.is_dir():
                    shutil.copytree(source, self.path / name, copy_function=_link_or_copy, symlinks=True)
                elif source.is_file():
                    shutil.copy2(source, self.path / name)
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            try:
                self.commit()
            except BaseException:
                if self.path is not None and current_generation(self.out) != self.path:
                    _remove(self.path)
                raise
        elif self.path is not None:
            _remove(self.path)

    def commit(self) -> None:
        assert self.path is not None
        if not self.linked:
            return self._commit_flat()
        out = self.out
        _fsync_tree(self.path)
        for name in ENTRIES:  # the fixed public links; they point through .current, so making them changes nothing
            link = out / name
            if (self.path / name).exists() and not link.is_symlink():
                step(f"link {name}")
                os.symlink(f"{CURRENT}/{name}", link, target_is_directory=(self.path / name).is_dir())
        pointer = out / f"{CURRENT}.{secrets.token_hex(3)}"
        step("pointer")
        os.symlink(f"{GENERATIONS}/{self.path.name}", pointer, target_is_directory=True)
        step("switch")
        os.replace(pointer, out / CURRENT)  # the one step that makes the new generation current
        _fsync_dir(out)
        try:  # the new generation is current: what is left of older ones goes now or at the next build
            for old in (out / GENERATIONS).iterdir():
                if old.name != self.path.name:
                    step(f"remove {old.name}")
                    _remove(old)
        except OSError:
            pass

    # -- without symbolic links (Windows without Developer Mode) ------------------------------
    # The public paths are real folders, swapped one by one. A failure part way (a PDF open in a
    # viewer) puts back every entry already swapped, so the outputs stay all old; only a kill in
    # the middle of the swap can leave them mixed, and the next build puts back what is missing.

    def _enter_flat(self) -> StagedOutput:
        _restore_replaced(self.out)
        for leftover in list(self.out.glob(".staging-*")) + list(self.out.glob(".replaced-*")):
            _remove(leftover)
        self.path = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.out))
        for name in ENTRIES:
            source = self.out / name
            if source.is_dir():
                shutil.copytree(source, self.path / name, copy_function=_link_or_copy)
            elif source.is_file():
                shutil.copy2(source, self.path / name)
        return self

    def _commit_flat(self) -> None:
        assert self.path is not None
        _fsync_tree(self.path)
        replaced = Path(tempfile.mkdtemp(prefix=".replaced-", dir=self.out))
        swapped: list[tuple[str, bool]] = []  # (entry, whether an old one was moved aside)
        try:
            for name in ENTRIES:
                staged, current = self.path / name, self.out / name
                if not staged.exists():
                    continue
                had = current.exists()
                if had:
                    step(f"replace {name}")
                    os.rename(current, replaced / name)
                swapped.append((name, had))
                step(f"install {name}")
                os.rename(staged, current)
        except BaseException:
            for name, had in reversed(swapped):  # the new entries back out, the old ones back in
                staged, current = self.path / name, self.out / name
                if not staged.exists() and current.exists():
                    os.rename(current, staged)
                if had and (replaced / name).exists():
                    os.rename(replaced / name, current)
            _remove(replaced)
            raise
        _remove(replaced)
        _remove(self.path)


def links_supported(out: Path) -> bool:
    """Can this file system hold the symbolic links the generations need?"""
    if (out / CURRENT).is_symlink():
        return True
    probe = out / f".probe-{secrets.token_hex(3)}"
    try:
        os.symlink(".", probe, target_is_directory=True)
    except (OSError, NotImplementedError, AttributeError):
        return False
    probe.unlink()
    return True


def _restore_replaced(out: Path) -> None:
    """A build of the swap-by-entry kind killed between two renames: put back what is missing."""
    for replaced in out.glob(".replaced-*"):
        for entry in replaced.iterdir():
            if not (out / entry.name).exists() and not (out / entry.name).is_symlink():
                os.rename(entry, out / entry.name)


def migrate(out: Path) -> None:
    """Bring real folders and files at the public paths behind the links.

    An output folder of an earlier version (real print/, site/ …) becomes ``.generations/g-legacy``,
    one entry at a time; a migration that is killed part way is finished by the next build, and
    nothing is lost on the way. With a current generation, an entry the user put there by hand
    (a register restored from a backup with ``mv``) replaces that generation's entry.
    """
    _restore_replaced(out)  # an earlier version killed between its renames
    pointer = out / CURRENT
    current = current_generation(out)
    target = current or out / GENERATIONS / "g-legacy"
    real = [name for name in ENTRIES if (out / name).exists() and not (out / name).is_symlink()]
    if not real and (current is not None or not target.is_dir()):
        return
    target.mkdir(parents=True, exist_ok=True)
    for name in real:
        step(f"migrate {name}")
        if (target / name).exists() or (target / name).is_symlink():
            _remove(target / name)  # what is at the public path is what the user last saw there
        os.rename(out / name, target / name)
        os.symlink(f"{CURRENT}/{name}", out / name, target_is_directory=(target / name).is_dir())
    if current is None:
        for name in ENTRIES:  # killed between a move and its link: the moved entry is whole in g-legacy
            if (target / name).exists() and not (out / name).is_symlink():
                os.symlink(f"{CURRENT}/{name}", out / name, target_is_directory=(target / name).is_dir())
        step("migrate pointer")
        temporary = out / f"{CURRENT}.legacy"
        temporary.unlink(missing_ok=True)
        os.symlink(f"{GENERATIONS}/{target.name}", temporary, target_is_directory=True)
        os.replace(temporary, pointer)
    for leftover in out.glob(".replaced-*"):
        _remove(leftover)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames are durable on their own
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _fsync_tree(root: Path) -> None:
    """The new generation's folders are on disk before the switch names it current."""
    for folder, _, _ in os.walk(root):
        _fsync_dir(Path(folder))


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links, or a file the system will not link
        shutil.copy2(source, target)
