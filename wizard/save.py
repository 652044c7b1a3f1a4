"""Write a set of FileChanges atomically, with backups. (Owned by the save work.)

All or nothing: every check runs before the first byte is written (files changed on disk
since they were read, foreign Dockerfiles, non-UTF-8 files, invalid TOML, folders that
cannot be written, and `cargo metadata` on the patched manifests when cargo is on PATH).
Then each file goes to a temporary beside it (fsynced), and the temporaries are renamed
over the targets; if any step fails, every file already renamed is put back from its
backup and the rest are removed.

Backups: `.rustdock/backup/<UTC time>/<path>` under the project root, one folder per save,
holding every file that save replaced, with its mode.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .changes import FileChange, is_foreign
from .patch.validate import CargoCheckError, cargo_check

BACKUP_DIR = ".rustdock/backup"
#: Files rustdock only replaces when it wrote them (or with --force / the wizard's consent).


class SaveError(Exception):
    """Nothing was written; the message says why and what to do."""


@dataclass(frozen=True)
class SaveResult:
    written: tuple[str, ...]
    backups: tuple[str, ...]
    unchanged: tuple[str, ...]
    #: How the patched manifests were checked, in words ("" when no manifest changed).
    validation: str = ""


def save(root: Path, changes: Sequence[FileChange], *, force: bool = False) -> SaveResult:
    root = Path(root)
    todo = [c for c in changes if c.changed]
    unchanged = tuple(c.path for c in changes if not c.changed)
    for change in todo:
        _check(root, change, force)
    validation = _validate(root, todo)
    if not todo:
        return SaveResult((), (), unchanged, validation)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    backup_root = root / BACKUP_DIR / stamp
    backups = _backup(root, todo, backup_root)
    _write_all(root, todo, backup_root)
    return SaveResult(tuple(c.path for c in todo), backups, unchanged, validation)


def _check(root: Path, change: FileChange, force: bool) -> None:
    target = root / change.path
    name = change.path
    if target.is_dir():
        raise SaveError(f"{name} is a folder; move it away so rustdock can write the file there.")
    folder = _existing_folder(target.parent)
    if not folder.is_dir():
        raise SaveError(f"{name}: {folder.relative_to(root)} is a file, not a folder; move it away.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(f"{name}: the folder {folder} is read-only; make it writable and save again.")
    current = _read(target, name)
    if current != change.before:
        state = "appeared" if change.before is None else (
            "was deleted" if current is None else "changed on disk")
        raise SaveError(f"{name} {state} since rustdock read it; re-run to pick up your edit.")
    # current == change.before here, so the text judged is the one on disk.
    if not force and is_foreign(change):
        raise SaveError(
            f"{name} was not written by rustdock; rustdock keeps it unless you pass --force "
            f"(a backup goes to {BACKUP_DIR}/)."
        )
    if name.endswith(".toml"):
        try:
            tomllib.loads(change.after)
        except tomllib.TOMLDecodeError as err:
            raise SaveError(f"{name}: the new text is not valid TOML ({err}); nothing was written.") from None


def _read(target: Path, name: str) -> str | None:
    try:
        return target.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise SaveError(f"{name} is not UTF-8 text; rustdock will not replace it.") from None
    except OSError as err:
        raise SaveError(f"{name} cannot be read: {err.strerror}.") from None


def _existing_folder(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _validate(root: Path, todo: list[FileChange]) -> str:
    manifests = {c.path: c.after for c in todo if Path(c.path).name == "Cargo.toml"}
    if not manifests:
        return ""
    if shutil.which("cargo") is None:
        return "cargo is not on PATH: the patched manifests were not checked"
    try:
        cargo_check(root, manifests)
    except CargoCheckError as err:
        raise SaveError(f"cargo rejects the patched manifests; nothing was written:\n{err}") from None
    return "cargo metadata accepted the patched manifests"


def _backup(root: Path, todo: list[FileChange], backup_root: Path) -> tuple[str, ...]:
    saved = []
    try:
        for change in todo:
            source = root / change.path
            if source.exists():
                copy = backup_root / change.path
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)
                saved.append(str(copy.relative_to(root)))
    except OSError as err:
        shutil.rmtree(backup_root, ignore_errors=True)
        raise SaveError(f"cannot write backups to {backup_root}: {err.strerror}; nothing was written.") from None
    return tuple(saved)


def _write_all(root: Path, todo: list[FileChange], backup_root: Path) -> None:
    temps: dict[str, Path] = {}
    made_dirs: list[Path] = []
    replaced: list[FileChange] = []
    try:
        for change in todo:
            target = root / change.path
            made_dirs.extend(_mkdirs(target.parent))
            temps[change.path] = _write_temp(target, change.after)
        for change in todo:
            os.replace(temps[change.path], root / change.path)
            del temps[change.path]
            replaced.append(change)
        _fsync_dirs({(root / c.path).parent for c in todo})
    except OSError as err:
        _roll_back(root, replaced, backup_root)
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        for folder in reversed(made_dirs):
            _rmdir_quietly(folder)
        # Everything is back; a backup of this failed save would only confuse.
        shutil.rmtree(backup_root, ignore_errors=True)
        for folder in (backup_root.parent, backup_root.parent.parent):
            _rmdir_quietly(folder)
        raise SaveError(
            f"writing {err.filename or 'a file'} failed ({err.strerror or err}); "
            "every file was put back as it was."
        ) from None


def _mkdirs(folder: Path) -> list[Path]:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _write_temp(target: Path, text: str) -> Path:
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _default_mode()
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".rustdock-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(name, mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _roll_back(root: Path, replaced: list[FileChange], backup_root: Path) -> None:
    for change in reversed(replaced):
        target = root / change.path
        copy = backup_root / change.path
        try:
            if change.before is None:
                target.unlink(missing_ok=True)
            elif copy.exists():
                shutil.copy2(copy, target)
        except OSError:
            continue


def _fsync_dirs(folders: set[Path]) -> None:
    for folder in folders:
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def _rmdir_quietly(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
