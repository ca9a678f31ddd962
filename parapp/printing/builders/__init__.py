"""Builders: plain input data -> :class:`parapp.printing.model.Document`.

Pure functions; a service gathers the inputs (``inputs.py``) and a renderer prints the result.
They import the domain and the printing helpers only, never services, db or Qt.
"""

from __future__ import annotations

from .annual import build_annual_plan
from .inputs import AnnualPlanInput, IndexData, PlanInput, ProgressInput, SelfReportInput
from .progress import build_progress_report
from .remediation import build_remediation_plan
from .self_report import build_self_report

__all__ = [
    "AnnualPlanInput",
    "IndexData",
    "PlanInput",
    "ProgressInput",
    "SelfReportInput",
    "build_annual_plan",
    "build_progress_report",
    "build_remediation_plan",
    "build_self_report",
]
