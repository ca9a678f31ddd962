"""Render a large remediation plan (8 areas, 120 criteria, 60 items: 15 pages) and compare
with LibreOffice converting the same plan's DOCX to PDF, in the same run.
``--appendix`` adds the landscape task appendix (23 pages).

Prints the median render time over 7 runs (after one warm-up, as in a running program whose
fonts are loaded), the ratio to LibreOffice, and whether the goals hold: < 0.5 s and at least
5× faster than LibreOffice. Run from the project folder: ``python bench/render_large.py``.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriteriaSet, CriterionNode, IndexKind
from parapp.domain.deadlines import parse_deadline
from parapp.domain.remediation import PlanDocument, RemediationItem, Signer
from parapp.domain.results import PublishedResult
from parapp.domain.scoring import FreeRule
from parapp.domain.totals import Basis, compute_totals
from parapp.domain.units import Unit, UnitKind
from parapp.printing.builders import PlanInput, build_remediation_plan
from parapp.printing.docx import render_docx
from parapp.printing.pdf import render_pdf

AREAS = 8
CRITERIA_PER_AREA = 15  # 120 criteria
ITEMS = 60


def large_input() -> PlanInput:
    nodes = []
    for a in range(1, AREAS + 1):
        nodes.append(CriterionNode(str(a), f"Lĩnh vực cải cách số {a}", Decimal(15)))
        for c in range(1, CRITERIA_PER_AREA + 1):
            nodes.append(
                CriterionNode(
                    f"{a}.{c}",
                    f"Tiêu chí {a}.{c}: thực hiện nhiệm vụ cải cách hành chính theo kế hoạch",
                    Decimal(1),
                    parent_code=str(a),
                    rule=FreeRule(step=Decimal("0.25")),
                    evidence_text="Kế hoạch, báo cáo kết quả thực hiện",
                )
            )
    cset = CriteriaSet("BENCH", "Bộ tiêu chí thử tải", IndexKind.PAR, "2025", 1, tuple(nodes))
    scores = {
        n.code: NodeScore(n.code, self_score=Decimal("0.75") if i % 2 else Decimal(1))
        for i, n in enumerate(cset.leaves())
    }
    totals = compute_totals(cset, scores, Basis.OFFICIAL)
    lost = [n for n in cset.leaves() if totals.nodes[n.code].lost > 0][:ITEMS]
    items = tuple(
        RemediationItem(
            id=f"item-{k}",
            deadline=parse_deadline("quý II/2026"),
            area_code=n.parent_code,
            node_codes=(n.code,),
            shortcoming=f"{n.title} (Trừ 0,25 điểm)",
            points_lost=Decimal("0.25"),
            tasks="Rà soát, bổ sung đầy đủ tài liệu kiểm chứng theo quy định.",
            lead="Văn phòng HĐND và UBND xã",
            coordinating="Các bộ phận chuyên môn",
            position=k,
        )
        for k, n in enumerate(lost)
    )
    result = PublishedResult(
        index=totals.index,
        rank=8,
        rank_of=17,
        decision_number="70/QĐ-UBND",
        decision_date=date(2026, 1, 27),
        issuer="Sở Nội vụ tỉnh Lạng Sơn",
    )
    unit = Unit(
        "06172", "Xã Hoàng Văn Thụ", UnitKind.COMMUNE, appraiser_name="Sở Nội vụ tỉnh Lạng Sơn"
    )
    document = PlanDocument(
        place="Hoàng Văn Thụ",
        number="15",
        issued_on=date(2026, 2, 6),
        summary="Khắc phục tồn tại, hạn chế năm 2025",
        signer=Signer(name="Âu Hồng Ngân"),
    )
    return PlanInput(
        unit=unit,
        document=document,
        items=items,
        year=2026,
        assessed_year=2025,
        cset=cset,
        totals=totals,
        result=result,
        with_appendix="--appendix" in sys.argv,
    )


def main() -> int:
    doc = build_remediation_plan(large_input())
    pdf = render_pdf(doc)  # warm-up: font files parsed once per process
    times = []
    for _ in range(7):
        start = time.perf_counter()
        pdf = render_pdf(doc)
        times.append(time.perf_counter() - start)
    ours = statistics.median(times)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    print(f"parapp PDF: median {ours:.3f} s over {len(times)} runs, about {pages} pages")
    soffice = shutil.which("soffice")
    if soffice is None:
        print("LibreOffice not installed: no comparison")
        return 0
    with tempfile.TemporaryDirectory(prefix="parapp-bench-") as tmp:
        src = Path(tmp) / "plan.docx"
        src.write_bytes(render_docx(doc))
        profile = Path(tmp) / "profile"
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        subprocess.run(cmd, capture_output=True, timeout=300)  # first start makes the profile
        lo_times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, timeout=300, check=True)
            lo_times.append(time.perf_counter() - start)
    theirs = statistics.median(lo_times)
    ratio = theirs / ours
    print(f"LibreOffice DOCX->PDF: median {theirs:.3f} s over {len(lo_times)} runs")
    print(f"ratio LibreOffice/parapp: {ratio:.1f}x")
    print(
        f"goals: under 0.5 s: {'yes' if ours < 0.5 else 'NO'}; "
        f"at least 5x faster: {'yes' if ratio >= 5 else 'NO'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
