"""Find a dataset's files: the data directory, then the local cache, then its public origin."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from mycandidate.importer.errors import ImportFailed, RowError
from mycandidate.importer.specs import DatasetSpec, SourceFile

log = logging.getLogger(__name__)
DOWNLOAD_TIMEOUT = 30


@dataclass(frozen=True)
class LocatedFile:
    spec: SourceFile
    path: Path
    origin: str  # "data dir", "cache" or "download"
    sha256: str

    @property
    def verified(self) -> bool:
        return self.sha256 == self.spec.sha256


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def locate_files(
    spec: DatasetSpec, data_dir: Path | None, cache_dir: Path, *, offline: bool = False
) -> list[LocatedFile]:
    return [_locate(spec, file, data_dir, cache_dir, offline) for file in spec.files]


def _locate(
    spec: DatasetSpec, file: SourceFile, data_dir: Path | None, cache_dir: Path, offline: bool
) -> LocatedFile:
    if data_dir is not None:
        local = data_dir / spec.name / file.name
        if local.is_file():
            # An operator's own copy is used as given; a changed file is reported, not refused.
            return LocatedFile(file, local, "data dir", sha256_of(local))
    cached = cache_dir / "datasets" / spec.name / file.name
    if cached.is_file():
        digest = sha256_of(cached)
        if digest == file.sha256:
            return LocatedFile(file, cached, "cache", digest)
        log.warning("cached %s has the wrong checksum; fetching again", cached)
        cached.unlink()
    if file.url and not offline:
        return LocatedFile(file, _download(file, cached), "download", file.sha256)
    places = [str(data_dir / spec.name) if data_dir else "$MYCANDIDATE_DATA_DIR/" + spec.name]
    places.append(str(cached.parent))
    raise ImportFailed(
        RowError(file.name, None, f"not found in {' or '.join(places)}"),
        hint=f"put the files of dataset {spec.name!r} ({spec.origin}) in "
        f"{places[0]}, or set MYCANDIDATE_DATA_DIR to a folder holding {spec.name}/",
    )


def _download(file: SourceFile, target: Path) -> Path:
    assert file.url is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("downloading %s", file.url)
    try:
        if not file.url.startswith("https://"):
            raise ValueError(f"refusing a non-HTTPS dataset URL: {file.url}")
        with (
            tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp,
            urllib.request.urlopen(file.url, timeout=DOWNLOAD_TIMEOUT) as response,  # noqa: S310 (https only, checked above)
        ):
            shutil.copyfileobj(response, tmp)
        downloaded = Path(tmp.name)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ImportFailed(
            RowError(file.name, None, f"could not download {file.url} ({exc})"),
            hint=f"offline? put the file in $MYCANDIDATE_DATA_DIR/{target.parent.name}/ "
            f"(or in {target.parent}) and try again",
        ) from exc
    digest = sha256_of(downloaded)
    if digest != file.sha256:
        downloaded.unlink()
        raise ImportFailed(
            RowError(file.name, None, f"checksum mismatch: got {digest}, expected {file.sha256}")
        )
    downloaded.replace(target)
    return target
