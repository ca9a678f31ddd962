"""Import packages of the documented maximum: time and peak memory.

Run from the project folder: ``python bench/sync_import_max.py`` (about two minutes;
``--keep`` leaves the temporary folder behind). Not a test.

Each round builds one signed submission (real Ed25519 signature, written by
``parapp.sync.package.write_package`` as an export would) whose data.json is at both limits
of docs/sync-format.md ("Size limits"): ``MAX_DATA_ENTRIES`` list entries and just under
``MAX_DATA_SIZE`` bytes, the entries shaped as one kind of row a package can write:

- history: the criteria scored, then history entries to the limit;
- plan: 2,000 plan items (the most a plan takes), each with its criterion and progress
  reports to the limit;
- evidence: 2,000 documents (the most a package lists), each a file of its own in the
  package, linked to criteria to the limit;
- mixed: some of each, as a large commune's year would be;
- resubmission: the mixed package sent again with every record changed, into the database
  that holds the first (updates and deletes instead of inserts);
- 3 in a folder: the history, plan and evidence packages of three communes imported
  together.

A fresh appraiser database (sample criteria set, the senders' keys trusted as ``parapp
keys trust`` would) imports it through ``sync_import.import_packages`` in a child process,
which reports the import's wall and CPU time and its peak memory (``VmHWM``: the child's
own high-water mark, which exec resets, where ``ru_maxrss`` would start from the parent's
size; ``ru_maxrss`` where there is no /proc). Targets (issue 19): every round within 10 s
and under 300 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.engine import open_database  # noqa: E402
from db.models import TrustedKeyRow, UnitRow  # noqa: E402
from parapp.domain.units import Unit, UnitKind  # noqa: E402
from parapp.services import criteria, setup  # noqa: E402
from parapp.services.common import now  # noqa: E402
from parapp.sync import keys  # noqa: E402
from parapp.sync.package import (  # noqa: E402
    MAX_DATA_ENTRIES,
    MAX_DATA_SIZE,
    entries,
    write_package,
)

TARGET_SECONDS, TARGET_PEAK_MB = 10, 300
APPRAISER = Unit(code="20", name="Sở Nội vụ tỉnh Thử", kind=UnitKind.DEPARTMENT,
                 province_name="Tỉnh Thử")
COMMUNES = {"90001": "Xã Thử Một", "90002": "Xã Thử Hai", "90003": "Xã Thử Ba"}
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyạảấầẩẫậắằẳẵặẹẻẽềểễệ "
ITEMS = DOCUMENTS = 2_000

CHILD = """
import json, resource, sys, time
from pathlib import Path


def high_water_kb():
    # The process's own peak (reset by exec, unlike ru_maxrss, which starts from the
    # parent's size at fork); ru_maxrss where there is no /proc.
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


from db.engine import open_database
from parapp.services import sync_import
db = open_database(Path(sys.argv[1]))
base, before = resource.getrusage(resource.RUSAGE_SELF), high_water_kb()
began = time.perf_counter()
outcomes = [o for _d, _t, o in sync_import.import_packages(db, [Path(sys.argv[2])])]
ended = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_SELF)
db.close()
for o in outcomes:
    if o.status != "applied":
        print(o.path.name, o.status, o.error, file=sys.stderr)
print(json.dumps({"statuses": [o.status for o in outcomes], "import": ended - began,
                  "cpu": usage.ru_utime + usage.ru_stime - base.ru_utime - base.ru_stime,
                  "before_kb": before, "peak_kb": high_water_kb()}))
"""


def text(rng: random.Random, size: int) -> str:
    """Vietnamese-looking text that does not compress much (a ZIP bomb it is not)."""
    return "".join(rng.choices(LETTERS, k=size))


class Builder:
    """A submission's data.json, grown to the limits."""

    def __init__(self, leaves: list[str], seed: int, commune: str = "90001") -> None:
        self.rng = random.Random(seed)
        self.leaves, self.commune = leaves, commune
        self.assessment, self.plan_uuid = self.uuid(), self.uuid()
        self.files: dict[str, bytes] = {}
        self.data: dict[str, Any] = {
            "unit": {"code": commune, "name": COMMUNES[commune], "kind": "commune",
                     "appraiser_code": APPRAISER.code, "appraiser_name": APPRAISER.name,
                     "province_name": APPRAISER.province_name},
            "assessment": {"uuid": self.assessment, "year": 2026, "status": "submitted"},
            "scores": [{"code": code, "declared": {}, "self_score": None,
                        "not_applicable": False, "explanation": text(self.rng, 200)}
                       for code in leaves],
            "evidence": [], "plan": None, "history": [],
        }

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def left(self) -> int:
        return MAX_DATA_ENTRIES - entries(self.data, MAX_DATA_ENTRIES)

    def documents(self, count: int, links: int) -> None:
        for i in range(count):
            content = f"Tài liệu {i} — {self.rng.random()}".encode()
            sha = hashlib.sha256(content).hexdigest()
            self.files[sha] = content
            self.data["evidence"].append({
                "sha256": sha, "filename": f"tai-lieu-{i}.pdf", "title": text(self.rng, 60),
                "doc_number": f"{i}/BC-UBND", "doc_date": "2026-03-01", "size": len(content),
                "nodes": [self.leaves[(i + k) % len(self.leaves)] for k in range(links)]})

    def items(self, count: int, updates: int) -> None:
        plan = self.data["plan"] = self.data["plan"] or {
            "uuid": self.plan_uuid, "year": 2026, "revision": 1, "items": []}
        for i in range(count):
            plan["items"].append({
                "uuid": self.uuid(),
                "position": len(plan["items"]),
                "node_codes": [self.leaves[i % len(self.leaves)]],
                "shortcoming": text(self.rng, 80), "points_lost": "0.5",
                "tasks": text(self.rng, 120), "lead": "Văn phòng UBND xã",
                "coordinating": "Công chức Tư pháp", "product": "Báo cáo",
                "deadline_text": "Quý II/2026", "status": "in_progress", "progress": 50,
                "updates": [{"on_date": f"2026-{1 + u % 12:02d}-15", "percent": u % 101,
                             "note": text(self.rng, 40)} for u in range(updates)]})

    def history(self, count: int) -> None:
        for i in range(count):
            self.data["history"].append({
                "at": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T08:{i // 60 % 60:02d}:{i % 60:02d}",
                "actor": "Công chức Văn phòng", "entity": "node",
                "entity_key": self.leaves[i % len(self.leaves)],
                "assessment_uuid": self.assessment, "field": "explanation",
                "old": text(self.rng, 20), "new": text(self.rng, 20), "source": "local"})

    def fill(self) -> None:
        """History entries to the entries' limit, then the texts grown to just under the
        size limit (the explanations first, at most 20,000 characters each)."""
        self.history(self.left())
        per_char = len(LETTERS.encode()) / len(LETTERS)
        scores, rows = self.data["scores"], self.data["history"]
        room = (MAX_DATA_SIZE - len(self.encoded())) * 0.97 / per_char
        for score in scores:
            grow = min(int(room / len(scores)), 20_000 - len(score["explanation"]))
            score["explanation"] += text(self.rng, max(grow, 0))
        room = (MAX_DATA_SIZE - len(self.encoded())) * 0.97 / per_char
        for row in rows:
            row["new"] += text(self.rng, min(int(room / len(rows)), 19_000))
        assert self.left() == 0 and len(self.encoded()) <= MAX_DATA_SIZE

    def encoded(self) -> bytes:
        return json.dumps(self.data, ensure_ascii=False, sort_keys=True, indent=2).encode()


def appraiser(folder: Path) -> tuple[dict[str, keys.SigningKey], list[str]]:
    """A fresh appraiser database trusting the communes' keys; the keys, the criteria that
    take a score."""
    db_path = folder / "parapp.sqlite3"
    setup.init_database(db_path, APPRAISER, role="appraiser")
    db = open_database(db_path)
    signing = {code: keys.generate() for code in COMMUNES}
    cset = criteria.sample_set()
    try:
        criteria.import_set(db, cset)
        with db.session() as s:
            for code, key in signing.items():
                s.add(UnitRow(code=code, name=COMMUNES[code], kind=UnitKind.COMMUNE.value,
                              appraiser_code=APPRAISER.code, appraiser_name=APPRAISER.name,
                              province_name=APPRAISER.province_name, is_self=False))
                s.add(TrustedKeyRow(unit_code=code, unit_name=COMMUNES[code], role="commune",
                                    fingerprint=key.fingerprint,
                                    public_key=key.public_bytes.hex(), trusted_at=now()))
    finally:
        db.close()
    return signing, [n.code for n in cset.nodes if n.rule is not None]


def package(out: Path, key: keys.SigningKey, built: Builder, sequence: int) -> Path:
    cset = criteria.sample_set()
    sources = out.parent / f"{out.stem}-files"
    sources.mkdir(parents=True, exist_ok=True)
    evidence = {}
    for sha, content in built.files.items():
        (sources / sha).write_bytes(content)
        evidence[sha] = sources / sha
    info = write_package(out, "submission", key, built.commune, {"unit_code": APPRAISER.code},
                         built.data, evidence,
                         criteria_set={"code": cset.code, "version": cset.version},
                         period=2026, sequence=sequence)
    shutil.rmtree(sources)
    return info.path


SHAPES = ("history", "plan", "evidence", "mixed", "resubmission")


def build(name: str, leaves: list[str], commune: str = "90001") -> Builder:
    """One round's data at both limits (see the module's text)."""
    built = Builder(leaves, SHAPES.index(name), commune)
    if name == "plan":
        built.items(ITEMS, (built.left() - 2 * ITEMS) // ITEMS)
    elif name == "evidence":
        built.documents(DOCUMENTS, (built.left() - DOCUMENTS) // DOCUMENTS)
    elif name in ("mixed", "resubmission"):
        if name == "resubmission":  # the mixed package's assessment and plan, all else new
            first = build("mixed", leaves)
            built.assessment = built.data["assessment"]["uuid"] = first.assessment
            built.plan_uuid = first.plan_uuid
        built.documents(500, 4)
        built.items(300, 12)
    built.fill()
    return built


def run_child(script: Path, db_path: Path, source: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out, err = script.with_suffix(".out"), script.with_suffix(".err")
    with out.open("wb") as o, err.open("wb") as e:
        done = subprocess.run([sys.executable, str(script), str(db_path), str(source)],
                              stdout=o, stderr=e, cwd=ROOT, env=env)
    if done.returncode != 0:
        sys.exit(f"import failed:\n{err.read_text()}")
    result: dict[str, Any] = json.loads(out.read_text().strip().splitlines()[-1])
    if set(result["statuses"]) != {"applied"}:
        sys.exit(f"not applied: {result['statuses']}\n{err.read_text()}")
    return result


def report(name: str, about: str, result: dict[str, Any]) -> bool:
    seconds, peak = float(result["import"]), int(result["peak_kb"]) / 1024
    within = seconds <= TARGET_SECONDS and peak < TARGET_PEAK_MB
    print(f"{name:13} {about}: import {seconds:5.2f} s (CPU {float(result['cpu']):5.2f} s), "
          f"peak memory {peak:4.0f} MB (before the import "
          f"{int(result['before_kb']) / 1024:.0f} MB){'' if within else '  OVER'}")
    return within


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="parapp-bench-max-"))
    ok = True
    try:
        script = tmp / "child.py"
        script.write_text(CHILD, encoding="utf-8")
        print(f"limits: data.json {MAX_DATA_SIZE / 1024**2:.0f} MiB, {MAX_DATA_ENTRIES} list "
              f"entries; targets: {TARGET_SECONDS} s, {TARGET_PEAK_MB} MB")
        signing, leaves = appraiser(tmp / "pristine")
        key = signing["90001"]
        for n, name in enumerate(SHAPES, start=1):
            folder = tmp / name
            shutil.copytree(tmp / ("mixed" if name == "resubmission" else "pristine"),
                            folder, ignore=shutil.ignore_patterns("backups"))
            shape = build(name, leaves)
            path = package(tmp / "packages" / f"{name}.cchc", key, shape, n)
            about = (f"data.json {len(shape.encoded()) / 1024**2:4.2f} MiB, "
                     f"{entries(shape.data, 10**9)} entries, {len(shape.files)} files")
            del shape  # this process stays small: the figures are the child's own
            ok = report(name, about, run_child(script, folder / "parapp.sqlite3", path)) and ok
        # Three packages at the limits in one folder, from three communes.
        stick = tmp / "folder"
        for n, (name, code) in enumerate(zip(SHAPES[:3], COMMUNES, strict=True), start=1):
            shape = build(name, leaves, code)
            package(stick / f"{n}-{name}.cchc", signing[code], shape, 1)
            del shape
        shutil.copytree(tmp / "pristine", tmp / "folder-db", ignore=shutil.ignore_patterns(
            "backups"))
        result = run_child(script, tmp / "folder-db" / "parapp.sqlite3", stick)
        ok = report("3 in a folder", "history, plan and evidence packages of three communes",
                    result) and ok
        print("targets met" if ok else "TARGETS NOT MET")
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
