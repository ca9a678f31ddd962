"""A package's evidence on its way into the store: through the ZIP reader, each file's hash
checked as it is read, the ZIP's own checksum telling a copy damaged on the way from a
file changed and re-packed."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from sync_support import copy_demo, draft_2026_submission

from db.engine import open_database
from parapp.services import sync_import, sync_keys, sync_stage
from parapp.services.evidence import store_path
from parapp.sync.package import EVIDENCE_DIR, OpenedPackage, read_package
from parapp.sync.safety import PackageError


@pytest.fixture(scope="module")
def package(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(demo copy, a 2026 submission carrying two evidence files)."""
    root = copy_demo(demo_db, tmp_path_factory.mktemp("stored") / "demo")
    return root, draft_2026_submission(root)


def _opened(root: Path, path: Path) -> OpenedPackage:
    own = sync_keys.own_keys(root / "commune" / "parapp.sqlite3")
    return read_package(path, {own.fingerprint: own.signing.public_bytes}, None,
                        verify_evidence=False)


def _contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def test_staging_copies_each_file_then_stores_it_and_leaves_no_copy_behind(
    package: tuple[Path, Path], tmp_path: Path
) -> None:
    root, path = package
    appraiser = open_database(root / "appraiser" / "parapp.sqlite3")
    try:
        opened = _opened(root, path)
        staging = tmp_path / "staging"
        staging.mkdir()
        evidence = {n: d for n, d in _contents(path).items() if n.startswith(EVIDENCE_DIR)}
        targets = {store_path(appraiser.paths.evidence, n[len(EVIDENCE_DIR):]): d
                   for n, d in evidence.items()}
        new = [t for t in targets if not t.exists()]
        assert new, "the demo store already holds every document of the package"
        staged = sync_stage.stage(appraiser, opened, staging, path)
        assert staged.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert not any(t.exists() for t in new)  # nothing in the store before ``store``
        assert sorted(p.read_bytes() for p in staging.iterdir()) == sorted(
            targets[t] for t in new)
        staged.store()
        assert all(t.read_bytes() == d for t, d in targets.items())
        assert list(staging.iterdir()) == []
    finally:
        appraiser.close()


def test_a_changed_entry_is_named_and_the_crc_tells_transit_from_repacking(
    package: tuple[Path, Path], tmp_path: Path
) -> None:
    root, path = package
    contents = _contents(path)
    first = sorted(n for n in contents if n.startswith(EVIDENCE_DIR))[0]
    raw = bytearray(path.read_bytes())
    raw[raw.index(contents[first]) + 1] ^= 0x01  # changed on the stick: the CRC fails
    damaged = tmp_path / "hong.cchc"
    damaged.write_bytes(bytes(raw))
    with pytest.raises(PackageError) as caught:
        sync_stage.verify_evidence(_opened(root, damaged))
    assert first in str(caught.value.params["name"]) and "CRC" in str(caught.value.params)
    # The same change re-packed (a new, right CRC): only the SHA-256 can tell.
    repacked = tmp_path / "dong-goi-lai.cchc"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(repacked, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == first:
                data = data[:1] + bytes([data[1] ^ 0x01]) + data[2:]
            out.writestr(info, data, info.compress_type)
    with pytest.raises(PackageError) as caught:
        sync_stage.verify_evidence(_opened(root, repacked))
    assert "SHA-256 does not match" in caught.value.template


def test_compressed_evidence_goes_through_the_zip_reader_and_is_imported(
    package: tuple[Path, Path], tmp_path: Path
) -> None:
    """A package whose evidence is deflated (another program's writer) is as valid: the
    manifest lists the files' own sizes and hashes, and the import stores them whole."""
    root, path = package
    repacked = tmp_path / "nen.cchc"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(repacked, "w") as out:
        for info in source.infolist():
            method = (zipfile.ZIP_DEFLATED if info.filename.startswith(EVIDENCE_DIR)
                      else info.compress_type)
            out.writestr(info.filename, source.read(info), method)
    contents = {n: d for n, d in _contents(repacked).items() if n.startswith(EVIDENCE_DIR)}
    with zipfile.ZipFile(repacked) as archive:
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist()
                   if i.filename.startswith(EVIDENCE_DIR))
    appraiser = open_database(root / "appraiser" / "parapp.sqlite3")
    try:
        [(_d, _t, outcome)] = list(sync_import.import_packages(appraiser, [repacked]))
        assert outcome.status == "applied", outcome.error
        for name, data in contents.items():
            stored = store_path(appraiser.paths.evidence, name[len(EVIDENCE_DIR):])
            assert stored.read_bytes() == data
    finally:
        appraiser.close()
