"""The one-pass reader of a package's stored evidence, and the ZIP reader it leaves the rest to."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest
from sync_support import copy_demo, draft_2026_submission

from db.engine import open_database
from parapp.services import sync_import
from parapp.services.evidence import store_path
from parapp.sync.package import EVIDENCE_DIR
from parapp.sync.safety import PackageError
from parapp.sync.stored import one_pass


@pytest.fixture(scope="module")
def package(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(demo copy, a 2026 submission carrying two evidence files)."""
    root = copy_demo(demo_db, tmp_path_factory.mktemp("stored") / "demo")
    return root, draft_2026_submission(root)


def _infos(path: Path) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as archive:
        return [i for i in archive.infolist() if i.filename.startswith(EVIDENCE_DIR)]


def _evidence(path: Path) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    infos = _infos(path)
    with zipfile.ZipFile(path) as archive:
        return infos, {i.filename: archive.read(i) for i in infos}


@pytest.mark.parametrize("pread", [True, False], ids=["pread", "seek-and-read (Windows)"])
def test_one_pass_hashes_the_file_and_copies_each_entry(
    package: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pread: bool
) -> None:
    _root, path = package
    if not pread:
        monkeypatch.delattr(os, "pread", raising=False)
    infos, contents = _evidence(path)
    assert len(infos) >= 2
    copies: dict[str, Path] = {}

    def sink(info: zipfile.ZipInfo) -> object:
        copies[info.filename] = tmp_path / info.filename.replace("/", "_")
        return copies[info.filename].open("wb")

    opened: list[object] = []
    expected = {i.filename: i.filename[len(EVIDENCE_DIR):] for i in infos}
    try:
        whole, rest = one_pass(path, infos, lambda i: opened.append(sink(i)) or opened[-1],
                               expected)
    finally:
        for out in opened:
            out.close()  # type: ignore[attr-defined]
    assert whole == hashlib.sha256(path.read_bytes()).hexdigest()
    assert rest == []
    for name, data in contents.items():
        assert copies[name].read_bytes() == data


def test_a_changed_entry_is_named_and_the_crc_tells_transit_from_repacking(
    package: tuple[Path, Path], tmp_path: Path
) -> None:
    _root, path = package
    infos, contents = _evidence(path)
    first = sorted(contents)[0]
    expected = {i.filename: i.filename[len(EVIDENCE_DIR):] for i in infos}
    raw = bytearray(path.read_bytes())
    raw[raw.index(contents[first]) + 1] ^= 0x01  # changed on the stick: the CRC fails
    damaged = tmp_path / "hong.cchc"
    damaged.write_bytes(bytes(raw))
    with pytest.raises(PackageError) as caught:
        one_pass(damaged, _infos(damaged), lambda _i: None, expected)
    assert first in str(caught.value.params["name"]) and "CRC" in str(caught.value.params)
    expected[first] = "0" * 64  # intact bytes, another hash listed: no CRC complaint
    with pytest.raises(PackageError) as caught:
        one_pass(path, infos, lambda _i: None, expected)
    assert "SHA-256 does not match" in caught.value.template


def test_compressed_evidence_goes_through_the_zip_reader_and_is_imported(
    package: tuple[Path, Path], tmp_path: Path
) -> None:
    """A package whose evidence is deflated (another program's writer) is as valid: the
    manifest lists the files' own sizes and hashes. The pass leaves those entries to the
    ZIP reader, and the import stores them whole."""
    root, path = package
    repacked = tmp_path / "nen.cchc"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(repacked, "w") as out:
        for info in source.infolist():
            method = (zipfile.ZIP_DEFLATED if info.filename.startswith(EVIDENCE_DIR)
                      else info.compress_type)
            out.writestr(info.filename, source.read(info), method)
    infos, contents = _evidence(repacked)
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos)
    expected = {i.filename: i.filename[len(EVIDENCE_DIR):] for i in infos}
    whole, rest = one_pass(repacked, infos, lambda _i: None, expected)
    assert whole == hashlib.sha256(repacked.read_bytes()).hexdigest()
    assert sorted(i.filename for i in rest) == sorted(expected)

    appraiser = open_database(root / "appraiser" / "parapp.sqlite3")
    try:
        [(_d, _t, outcome)] = list(sync_import.import_packages(appraiser, [repacked]))
        assert outcome.status == "applied", outcome.error
        for name, data in contents.items():
            stored = store_path(appraiser.paths.evidence, name[len(EVIDENCE_DIR):])
            assert stored.read_bytes() == data
    finally:
        appraiser.close()
