"""Download one file safely: the only network code of talentgap (used by `fetch` and `update`).

A download goes to a hidden partial file beside its destination and becomes the final name only by one
rename, after its size and (when known) sha256 are checked, so no half-written file ever carries a
final name. A partial left by an interrupted run is resumed with an HTTP Range request where the server
allows it. Sources are http(s) addresses or local paths (a mirror folder).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import io
import os
import shutil
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .safe_text import escape

TIMEOUT_SECONDS = 30.0
BLOCK_BYTES = 1 << 16
USER_AGENT = "talentgap-fetch (+https://github.com/talentgap)"
PARTIAL_PREFIX = ".partial-"
# NOTE: a publisher's workbook is tens of MiB; a member announcing more is refused before unpacking.
MAX_MEMBER_BYTES = 256 << 20


class DownloadError(Exception):
    """A download failed; the message names the address and the reason, for a user to read."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status  # the HTTP status, when the server answered with an error


@dataclass(frozen=True)
class Downloaded:
    path: Path
    sha256: str
    size_bytes: int


def partial_path(dest: Path) -> Path:
    """Where the bytes of `dest` collect before it is complete and checked."""
    return dest.with_name(f"{PARTIAL_PREFIX}{dest.name}")


def is_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in ("http", "https")


def _confined(tail: str) -> str:
    """`tail` unchanged, or DownloadError when a segment would climb out of the mirror (`..`)."""
    if any(seg in ("..", ".") for seg in tail.split("?")[0].split("/")) or "\\" in tail:
        raise DownloadError(f"{escape(tail)}: a path with '..' or '.' segments is refused (it would leave the mirror)")
    return tail


def join(base: str, *parts: str) -> str:
    """`base` (an address or a folder) followed by path parts, each part's own slashes kept."""
    tail = _confined("/".join(p.strip("/") for p in parts if p))
    if is_url(base):
        return f"{base.rstrip('/')}/{urllib.parse.quote(tail)}"
    return str(Path(base) / tail)


def rebase(url: str, base: str) -> str:
    """`url` with its scheme and host replaced by `base` (an address or a folder); path and query kept."""
    parts = urllib.parse.urlsplit(url)
    tail = _confined(parts.path + (f"?{parts.query}" if parts.query else ""))
    if is_url(base):
        return base.rstrip("/") + tail
    # NOTE: a folder mirror cannot hold a query string: it becomes part of the file name ('?' kept).
    return str(Path(base) / tail.lstrip("/"))


def _hash_existing(path: Path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h


def _open_url(url: str, offset: int, timeout: float):
    headers = {"User-Agent": USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    request = urllib.request.Request(url, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 (http/https only, checked by is_url)
    except urllib.error.HTTPError as err:
        if err.code == 416 and offset:
            raise _RangeRefused() from err
        raise DownloadError(f"{escape(url)}: HTTP {err.code} {escape(err.reason)}", status=err.code) from err
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise DownloadError(f"{escape(url)}: timed out after {timeout:g} s") from err
        raise DownloadError(f"{escape(url)}: cannot connect ({escape(reason)})") from err
    except (TimeoutError, socket.timeout) as err:
        raise DownloadError(f"{escape(url)}: timed out after {timeout:g} s") from err
    except (OSError, http.client.HTTPException) as err:
        raise DownloadError(f"{escape(url)}: {escape(err)}") from err


class _RangeRefused(Exception):
    """The server will not resume this partial file: start again from the first byte."""


def _stream_url(url: str, part: Path, timeout: float, progress) -> None:
    """Append the bytes of `url` to `part`, resuming from its length when the server honours Range."""
    offset = part.stat().st_size if part.exists() else 0
    try:
        response = _open_url(url, offset, timeout)
    except _RangeRefused:
        part.unlink()
        offset = 0
        response = _open_url(url, 0, timeout)
    with response:
        if offset and response.status != 206:
            # NOTE: the server ignored Range and sends the whole file: the partial is discarded.
            offset = 0
        expected = response.headers.get("Content-Length")
        expected_total = offset + int(expected) if expected and expected.isdigit() else None
        got = offset
        try:
            with open(part, "ab" if offset else "wb") as out:
                while True:
                    block = response.read(BLOCK_BYTES)
                    if not block:
                        break
                    out.write(block)
                    got += len(block)
                    progress(got, expected_total)
                out.flush()
                os.fsync(out.fileno())
        except (TimeoutError, socket.timeout) as err:
            raise DownloadError(f"{escape(url)}: timed out after {timeout:g} s ({got:,} bytes kept to resume)") from err
        except (OSError, http.client.HTTPException) as err:
            raise DownloadError(f"{escape(url)}: connection broken after {got:,} bytes ({escape(type(err).__name__)}; kept to resume)") from err
    if expected_total is not None and got != expected_total:
        raise DownloadError(f"{escape(url)}: truncated: {got:,} of {expected_total:,} bytes received (kept to resume)")


def _copy_local(source: str, part: Path) -> None:
    path = Path(source)
    if not path.is_file():
        raise DownloadError(f"{escape(source)}: not found in the mirror folder")
    with open(path, "rb") as src, open(part, "wb") as out:
        shutil.copyfileobj(src, out, BLOCK_BYTES)
        out.flush()
        os.fsync(out.fileno())


def zip_address(source: str) -> bool:
    path = urllib.parse.urlsplit(source).path if is_url(source) else source
    return path.lower().endswith(".zip")


def zip_member(data: bytes, member: str, source: str) -> bytes:
    """The file named `member` (in any folder) inside zip archive `data`, within the size limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = [i for i in archive.infolist() if PurePosixPath(i.filename).name == member and not i.is_dir()]
            if len(found) != 1:
                raise DownloadError(f"{escape(source)}: the zip holds {len(found)} file(s) named {escape(member)}, not one")
            if found[0].file_size > MAX_MEMBER_BYTES:
                raise DownloadError(f"{escape(source)}: {escape(member)} would unpack to {found[0].file_size:,} bytes; refused")
            with archive.open(found[0]) as fh:
                out = fh.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise DownloadError(f"{escape(source)}: not a readable zip ({escape(err)})") from err
    if len(out) > MAX_MEMBER_BYTES:
        raise DownloadError(f"{escape(source)}: {escape(member)} unpacks to more than {MAX_MEMBER_BYTES:,} bytes; refused")
    return out


def download(source: str, dest: Path, expected_sha256: str | None = None, timeout: float = TIMEOUT_SECONDS,
             progress=None, member: str | None = None) -> Downloaded:
    """Put the bytes of `source` at `dest` (which must not exist), checked; raise DownloadError otherwise.

    With `member`, a zip archive is unpacked and only its file of that name is kept (BLS serves its
    workbooks zipped).

    With `expected_sha256`, bytes that differ are discarded (nothing is written) and the error says so.
    A failed transfer leaves only the hidden partial file, which the next call resumes.
    """
    if dest.exists():
        raise DownloadError(f"{escape(dest)}: already exists; not replaced")
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = partial_path(dest)
    progress = progress or (lambda got, total: None)
    if is_url(source):
        _stream_url(source, part, timeout, progress)
    else:
        _copy_local(source, part)
    # NOTE: only an address ending in .zip is unpacked (an .xlsx workbook is a zip archive too).
    if member is not None and zip_address(source) and not member.lower().endswith(".zip"):
        try:
            data = zip_member(part.read_bytes(), member, source)
        except DownloadError:
            part.unlink()
            raise
        part.write_bytes(data)
    digest = _hash_existing(part).hexdigest()
    if expected_sha256 and digest != expected_sha256:
        part.unlink()
        raise DownloadError(f"{escape(source)}: sha256 {digest} differs from the manifest's {expected_sha256}; discarded")
    size = part.stat().st_size
    # NOTE: link, not rename, so that a file that appeared at `dest` meanwhile is never replaced.
    try:
        os.link(part, dest)
    except FileExistsError as err:
        part.unlink()
        raise DownloadError(f"{escape(dest)}: appeared during the download; not replaced") from err
    except OSError:
        # NOTE: a file system without hard links: rename, after checking again that `dest` is absent.
        if dest.exists():
            part.unlink()
            raise DownloadError(f"{escape(dest)}: appeared during the download; not replaced") from None
        os.rename(part, dest)
    part.unlink(missing_ok=True)
    _fsync_dir(dest.parent)
    return Downloaded(dest, digest, size)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def download_bytes(source: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """A small file's bytes (no partial kept): for `update`, which compares before it keeps anything."""
    if not is_url(source):
        path = Path(source)
        if not path.is_file():
            raise DownloadError(f"{escape(source)}: not found in the mirror folder")
        return path.read_bytes()
    with _open_url(source, 0, timeout) as response:
        expected = response.headers.get("Content-Length")
        try:
            data = response.read()
        except (TimeoutError, socket.timeout) as err:
            raise DownloadError(f"{escape(source)}: timed out after {timeout:g} s") from err
        except http.client.IncompleteRead as err:
            raise DownloadError(f"{escape(source)}: truncated: {len(err.partial):,} of {expected or '?'} bytes received") from err
        except (OSError, http.client.HTTPException) as err:
            raise DownloadError(f"{escape(source)}: connection broken ({escape(type(err).__name__)})") from err
    if expected and expected.isdigit() and len(data) != int(expected):
        raise DownloadError(f"{escape(source)}: truncated: {len(data):,} of {int(expected):,} bytes received")
    return data


def write_new(dest: Path, data: bytes) -> None:
    """Write `data` as a new file `dest` (never replacing one) through a partial file and one link."""
    if dest.exists():
        raise DownloadError(f"{escape(dest)}: already exists; not replaced")
    part = partial_path(dest)
    with open(part, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    try:
        os.link(part, dest)
    except FileExistsError as err:
        raise DownloadError(f"{escape(dest)}: appeared meanwhile; not replaced") from err
    finally:
        part.unlink(missing_ok=True)
    _fsync_dir(dest.parent)


def stderr_progress(label: str):
    """A progress callback printing `label: N of M bytes` on one line of a terminal (silent otherwise)."""
    if not sys.stderr.isatty():
        return lambda got, total: None

    def show(got: int, total: int | None) -> None:
        of = f" of {total:,}" if total else ""
        print(f"\r  {label}: {got:,}{of} bytes", end="", file=sys.stderr, flush=True)

    return show
