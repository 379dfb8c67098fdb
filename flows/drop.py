"""Which files of a drop folder `figtab serve` reads, and when: the discovery rules.

- Every regular file below the folder is a candidate, except hidden ones (a dot at the start of any part of its
  path: the usual name of a file still being copied in) and those under the archive folder.
- A symlink is followed only when its target lies inside the drop folder, and a symlinked folder is never
  descended, so nothing outside the folder is ever read.
- A file is ready when its mtime is at least ``settle`` seconds old and neither its size nor its mtime changed
  while it was hashed; a file still being written waits for the next run.
- A file is known by the sha256 of its bytes: a renamed or re-dropped copy, or two identical files, are one
  document, read once.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from figtab.flows.ledger import Done
from figtab.tiling.documents import fingerprint


@dataclass(frozen=True)
class Seen:
    """A candidate file as listed: its path under the drop folder, size in bytes and mtime in nanoseconds."""

    path: Path
    n_bytes: int
    mtime_ns: int


@dataclass(frozen=True)
class Item:
    """One new content to read: the file to read it from and the other paths holding the same bytes."""

    doc_id: str
    seen: Seen
    copies: tuple[Path, ...] = ()

    @property
    def paths(self) -> list[Path]:
        return [self.seen.path, *self.copies]


@dataclass
class Drop:
    """What one run does: read ``todo``. ``finished`` files were stored before (they only get archived),
    ``failed`` ones failed before (left where they are), ``waiting`` ones are still being written."""

    todo: list[Item] = field(default_factory=list)
    finished: list[Path] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    waiting: list[Path] = field(default_factory=list)


def scan(drop_dir: Path, skip: Path | None = None) -> list[Seen]:
    """The candidate files below ``drop_dir`` in path order; ``skip`` is a folder left out (the archive)."""
    root, skipped = drop_dir.resolve(), skip.resolve() if skip is not None else None
    found: list[Seen] = []
    for folder, dirs, files in os.walk(drop_dir):  # symlinked folders are listed in dirs but never descended
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() != skipped)
        for name in sorted(files):
            if not name.startswith(".") and (seen := _regular_file_inside(here / name, root)) is not None:
                found.append(seen)
    return found


def _regular_file_inside(path: Path, root: Path) -> Seen | None:
    try:
        info = path.stat()  # follows a symlink; a dangling one raises
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            return None
    except OSError:  # gone since the listing, or a dangling symlink
        return None
    return Seen(path, info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else None


def settled(seen: Seen, now_ns: int, settle: float) -> bool:
    """True when the file was last modified at least ``settle`` seconds before ``now_ns``."""
    return now_ns - seen.mtime_ns >= settle * 1e9


def stable_fingerprint(seen: Seen) -> str | None:
    """The sha256 of a file whose size and mtime did not change while it was read, else None (still written)."""
    try:
        doc_id, n_bytes = fingerprint(seen.path)
        after = seen.path.stat()
    except OSError:
        return None
    unchanged = n_bytes == after.st_size == seen.n_bytes and after.st_mtime_ns == seen.mtime_ns
    return doc_id if unchanged else None


def plan(files: list[Seen], done: Done, now_ns: int, settle: float) -> Drop:
    """Sort the listed files into new contents to read (one file each), finished, failed and unsettled ones."""
    drop, new = Drop(), {}
    for seen in files:
        doc_id = done.known(str(seen.path), seen.n_bytes, seen.mtime_ns)
        if doc_id is None and settled(seen, now_ns, settle):
            doc_id = stable_fingerprint(seen)
        if doc_id is None:
            drop.waiting.append(seen.path)
        elif doc_id in done.failed:
            drop.failed.append(seen.path)
        elif doc_id in done.doc_ids:
            drop.finished.append(seen.path)
        else:
            new.setdefault(doc_id, []).append(seen)
    drop.todo = [Item(doc_id, first, tuple(s.path for s in rest)) for doc_id, (first, *rest) in new.items()]
    return drop


def archive(path: Path, drop_dir: Path, archive_dir: Path) -> Path:
    """Move a finished file to the same place under ``archive_dir``, renamed ``name (2).pdf`` rather than
    replacing a file already there; returns where it went."""
    target = archive_dir / path.relative_to(drop_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists() or target.is_symlink():
        n += 1
        target = target.with_name(f"{stem} ({n}){suffix}")
    return Path(shutil.move(path, target))
