"""The criteria-set file (JSON), format version 1: see docs/criteria-set-format.md.

Numbers are read exactly: JSON numbers are parsed as Decimal, and text like "16,5" or "0.25"
is accepted, so a hand-written file never loses a digit to float.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from parapp.domain.criteria import (
    Band,
    CriteriaSet,
    CriterionNode,
    IndexKind,
    Part,
    ScoreKind,
    SetStatus,
)
from parapp.domain.errors import CriteriaError, Phrase
from parapp.domain.numbers import NumberError, format_max, normalize, to_decimal
from parapp.domain.scoring import (
    DeductionRule,
    FreeRule,
    NaPolicy,
    RatioRule,
    Rule,
    Threshold,
    Tier,
    TiersRule,
    YesNoRule,
    ZeroCases,
)
from parapp.domain.text import clean

FORMAT_NAME = "parapp-criteria-set"
FORMAT_VERSION = 1


class CriteriaFileError(CriteriaError):
    """The file cannot be read as a criteria set."""


def _dec(value: Any, where: object) -> Decimal:
    try:
        return to_decimal(value)
    except NumberError:
        raise CriteriaFileError(
            "{where}: '{value}' is not a number.", where=where, value=value
        ) from None


def _opt_dec(obj: dict[str, Any], key: str, where: object) -> Decimal | None:
    return _dec(obj[key], where) if obj.get(key) is not None else None


def _enum(enum: type[Any], value: Any, where: object) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(e.value) for e in enum)
        raise CriteriaFileError(
            "{where}: '{value}' is not one of {allowed}.",
            where=where,
            value=value,
            allowed=allowed,
        ) from None


def _flag(value: Any, where: object) -> bool:
    """A yes/no field: only JSON true/false (the text "false" must not mean yes)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise CriteriaFileError("{where} must be true or false.", where=where)
    return value


def _list(value: Any, where: object) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CriteriaFileError("{where} must be a list.", where=where)
    return value


def _obj(value: Any, where: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CriteriaFileError("{where} must be an object.", where=where)
    return value


def rule_from_dict(data: dict[str, Any], where: object) -> Rule:
    kind = data.get("type")
    allow_na = _flag(data.get("allow_na"), Phrase("{where}: allow_na", where=where))
    if kind == "yes_no":
        return YesNoRule(allow_na=allow_na)
    if kind == "tiers":
        tiers = []
        for i, raw in enumerate(
            _list(data.get("tiers"), Phrase("{where}: tiers", where=where)), start=1
        ):
            t = _obj(raw, Phrase("{where}, level {i}", where=where, i=i))
            key = clean(t.get("key") or t.get("label"))
            tiers.append(
                Tier(
                    key=key,
                    label=clean(t.get("label") or key),
                    points=_opt_dec(t, "points", where),
                    percent=_opt_dec(t, "percent", where),
                )
            )
        keys = [t.key for t in tiers]
        if any(not k for k in keys) or len(set(keys)) != len(keys):
            raise CriteriaFileError("{where}: each level needs its own key.", where=where)
        return TiersRule(tuple(tiers), allow_na=allow_na)
    if kind == "ratio":
        thresholds = []
        for i, raw in enumerate(
            _list(data.get("thresholds"), Phrase("{where}: thresholds", where=where)), start=1
        ):
            t = _obj(raw, Phrase("{where}, threshold {i}", where=where, i=i))
            if t.get("min_percent") is None:
                raise CriteriaFileError("{where}: a threshold has no min_percent.", where=where)
            thresholds.append(
                Threshold(
                    min_percent=_dec(t["min_percent"], where),
                    points=_opt_dec(t, "points", where),
                    percent=_opt_dec(t, "percent", where),
                )
            )
        zero = _enum(ZeroCases, data.get("zero_cases", "full"), where)
        return RatioRule(tuple(thresholds), zero_cases=zero)
    if kind == "deduction":
        if data.get("per_item") is None:
            raise CriteriaFileError("{where}: a deduction rule needs per_item.", where=where)
        free_items = data.get("free_items", 0)
        if not isinstance(free_items, int) or isinstance(free_items, bool) or free_items < 0:
            raise CriteriaFileError(
                "{where}: free_items must be a whole number, 0 or more.", where=where
            )
        return DeductionRule(_dec(data["per_item"], where), free_items=free_items)
    if kind == "free":
        return FreeRule(step=_opt_dec(data, "step", where), allow_na=allow_na)
    raise CriteriaFileError("{where}: unknown rule type '{kind}'.", where=where, kind=kind)


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"type": rule.kind.value}
    if isinstance(rule, YesNoRule | TiersRule | FreeRule) and rule.allow_na:
        out["allow_na"] = True
    if isinstance(rule, TiersRule):
        out["tiers"] = [
            {"key": t.key, "label": t.label}
            | ({"points": _s(t.points)} if t.points is not None else {})
            | ({"percent": _s(t.percent)} if t.percent is not None else {})
            for t in rule.tiers
        ]
    elif isinstance(rule, RatioRule):
        out["thresholds"] = [
            {"min_percent": _s(t.min_percent)}
            | ({"points": _s(t.points)} if t.points is not None else {})
            | ({"percent": _s(t.percent)} if t.percent is not None else {})
            for t in rule.thresholds
        ]
        out["zero_cases"] = rule.zero_cases.value
    elif isinstance(rule, DeductionRule):
        out["per_item"] = _s(rule.per_item)
        if rule.free_items:
            out["free_items"] = rule.free_items
    elif isinstance(rule, FreeRule) and rule.step is not None:
        out["step"] = _s(rule.step)
    return out


def _s(value: Decimal | None) -> str | None:
    return None if value is None else f"{normalize(value):f}"


def _nodes(raw: Any, parent: str | None, part: Part, out: list[CriterionNode]) -> None:
    if not isinstance(raw, list):
        raise CriteriaFileError("'nodes' and 'children' must be lists.")
    for i, item in enumerate(raw, start=1):
        data = _obj(
            item,
            Phrase("Criterion {i} under '{parent}'", i=i, parent=parent)
            if parent
            else Phrase("Criterion {i} of the set", i=i),
        )
        code = clean(data.get("code"))
        where = Phrase("Criterion '{code}'", code=code or i)
        if not code:
            raise CriteriaFileError("{where} has no code.", where=where)
        if data.get("max") is None:
            raise CriteriaFileError("{where} has no maximum ('max').", where=where)
        node_part = _enum(Part, data.get("part", part.value), where) if parent is None else part
        kinds = data.get("score_kinds", ["self"])
        if not isinstance(kinds, list):
            raise CriteriaFileError("{where}: score_kinds must be a list.", where=where)
        rule = data.get("rule")
        max_points = _dec(data["max"], where)
        out.append(
            CriterionNode(
                code=code,
                title=clean(data.get("title")),
                max_points=max_points,
                parent_code=parent,
                part=node_part,
                rule=rule_from_dict(_obj(rule, where), where) if rule is not None else None,
                scoring_text=clean(data.get("scoring_text")),
                evidence_text=clean(data.get("evidence")),
                guidance=clean(data.get("guidance")),
                score_kinds=frozenset(_enum(ScoreKind, k, where) for k in kinds),
                # Kept as the set writes it ("0,50" stays "0,50"): documents print maxima so.
                max_text=clean(data["max"]).replace(".", ",")
                if isinstance(data["max"], str)
                else format_max(max_points),
            )
        )
        _nodes(data.get("children", []), code, node_part, out)


def from_dict(data: Any) -> CriteriaSet:
    """Build and validate a criteria set; raise CriteriaFileError with the first problem."""
    doc = _obj(data, Phrase("The file"))
    if doc.get("format") != FORMAT_NAME:
        raise CriteriaFileError("This file is not a parapp criteria set.")
    version = doc.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CriteriaFileError("The file has no valid format version.")
    if version > FORMAT_VERSION:
        raise CriteriaFileError(
            "This criteria set uses format version {v}; please update the program.", v=version
        )
    set_version = doc.get("version", 1)
    if not isinstance(set_version, int) or isinstance(set_version, bool):
        raise CriteriaFileError("The set's version must be a whole number.")
    nodes: list[CriterionNode] = []
    _nodes(doc.get("nodes"), None, Part.MAIN, nodes)
    bands = tuple(
        Band(
            min_index=_dec(_obj(b, Phrase("A band")).get("min_index"), Phrase("A band")),
            label=clean(b.get("label")),
            group=clean(b.get("group")),
        )
        for b in _list(doc.get("bands"), "bands")
    )
    cset = CriteriaSet(
        code=clean(doc.get("code")),
        name=clean(doc.get("name")),
        index_kind=_enum(IndexKind, doc.get("index_kind", "PAR"), "index_kind"),
        period=clean(str(doc["period"])) if doc.get("period") is not None else "",
        version=set_version,
        nodes=tuple(nodes),
        issuer=clean(doc.get("issuer")),
        decision=clean(doc.get("decision")),
        status=_enum(SetStatus, doc.get("status", "published"), "status"),
        na_policy=_enum(NaPolicy, doc.get("na_policy", "full"), "na_policy"),
        bonus_may_exceed_max=_flag(doc.get("bonus_may_exceed_max"), "bonus_may_exceed_max"),
        bands=bands,
        is_sample=_flag(doc.get("is_sample"), "is_sample"),
        description=clean(doc.get("description")),
    )
    cset.validate()
    return cset


def loads(text: str | bytes) -> CriteriaSet:
    if isinstance(text, str):
        text = text.removeprefix("\ufeff")  # Notepad saves UTF-8 with a BOM
    try:
        data = json.loads(text, parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CriteriaFileError(
            "The file is not valid JSON (line {line}).", line=getattr(exc, "lineno", "?")
        ) from None
    return from_dict(data)


def to_dict(cset: CriteriaSet) -> dict[str, Any]:
    def node_dict(node: CriterionNode) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": node.code,
            "title": node.title,
            "max": node.max_text.replace(",", ".") if node.max_text else _s(node.max_points),
        }
        if node.parent_code is None and node.part is not Part.MAIN:
            out["part"] = node.part.value
        if node.score_kinds != frozenset({ScoreKind.SELF}):
            out["score_kinds"] = sorted(k.value for k in node.score_kinds)
        for key, value in (
            ("scoring_text", node.scoring_text),
            ("evidence", node.evidence_text),
            ("guidance", node.guidance),
        ):
            if value:
                out[key] = value
        if node.rule is not None:
            out["rule"] = rule_to_dict(node.rule)
        kids = cset.children(node.code)
        if kids:
            out["children"] = [node_dict(k) for k in kids]
        return out

    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "code": cset.code,
        "name": cset.name,
        "index_kind": cset.index_kind.value,
        "period": cset.period,
        "version": cset.version,
        "status": cset.status.value,
        "issuer": cset.issuer,
        "decision": cset.decision,
        "is_sample": cset.is_sample,
        "description": cset.description,
        "na_policy": cset.na_policy.value,
        "bonus_may_exceed_max": cset.bonus_may_exceed_max,
        "bands": [
            {"min_index": _s(b.min_index), "label": b.label, "group": b.group} for b in cset.bands
        ],
        "nodes": [node_dict(n) for n in cset.roots()],
    }


def dumps(cset: CriteriaSet) -> str:
    return json.dumps(to_dict(cset), ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "CriteriaFileError",
    "dumps",
    "from_dict",
    "loads",
    "rule_from_dict",
    "rule_to_dict",
    "to_dict",
]
