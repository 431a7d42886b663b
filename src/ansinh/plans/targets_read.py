"""Targets in a plan: every number with "%" or a unit of people or employers, and what it measures.

Each number is classified by the words around it (scheme, rate or count, "thuộc diện", "so với năm
trước", "số đơn vị", a BHYT group…), with the year and deadline from its sentence or from the heading
above it; several years in one sentence give several targets. Numbers the plan reports as already
reached ("đã đạt", "ước thực hiện") are not targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ansinh.core.text import fold_keep
from ansinh.plans.draft import DraftTarget
from ansinh.plans.lexicon import BHYT_SUBGROUPS, PAST, SCHEME_WORD, SCHEMES, UNIT_AFTER
from ansinh.plans.lines import NUMBER, dates_in, parse_number
from ansinh.plans.outline import Node


@dataclass
class _Token:
    start: int
    end: int
    value: float
    unit: str


def find_targets(root: Node, *, default_year: int | None, warnings: list[str]) -> list[DraftTarget]:
    """Every numeric target in the plan, once each (the same target repeated in two sections is kept once)."""
    found: list[DraftTarget] = []
    seen: dict[tuple, DraftTarget] = {}
    for node in root.walk():
        for text in _units_of(node):
            for target in _targets_in(text, node, default_year):
                key = (target.indicator, target.value, target.unit, target.year, target.group)
                if key in seen:
                    seen[key].deadline = seen[key].deadline or target.deadline
                    continue
                seen[key] = target
                found.append(target)
    for target in found:
        if target.indicator == "unclassified":
            warnings.append(f"Chỉ tiêu {target.value:g}{'%' if target.unit == '%' else ' ' + target.unit} chưa nhận ra chỉ số: “{target.text[:120]}”.")
    return found


def _units_of(node: Node) -> list[str]:
    return [text for text in [node.text, *node.paras] if text]


def _numbers(text: str, folded: str) -> list[_Token]:
    tokens = []
    for match in NUMBER.finditer(text):
        unit_match = UNIT_AFTER.match(folded[match.end():match.end() + 20])
        if not unit_match:
            continue
        unit = {"pct": "%", "money": "VND", "persons": "persons", "units": "units", "households": "households"}[unit_match.lastgroup]
        value = parse_number(match.group(1), integer=unit != "%")
        if value is None:
            continue
        if unit == "VND":
            scale = folded[match.end():match.end() + 12]
            value *= 1e9 if "ty" in scale else 1e6 if "trieu" in scale else 1e3 if "nghin" in scale else 1
        tokens.append(_Token(match.start(), match.end() + (unit_match.end() if unit == "%" else 0), value, unit))
    return tokens


def _targets_in(text: str, node: Node, default_year: int | None) -> list[DraftTarget]:
    folded = fold_keep(text)
    tokens = _numbers(text, folded)
    targets: list[DraftTarget] = []
    previous: DraftTarget | None = None
    for index, token in enumerate(tokens):
        start = tokens[index - 1].end if index else 0
        until = tokens[index + 1].start if index + 1 < len(tokens) else len(text)
        before = folded[start:token.start]
        after = _after_window(folded[token.end:until])
        if PAST.search(_clause_tail(before)):
            continue
        indicator, group = _classify(before, after, token, folded)
        if indicator is None:
            if previous is None or _has_subject(before):
                indicator, group = "unclassified", None
            else:
                indicator, group = previous.indicator, previous.group
        year, deadline = _when(before, after, folded, node, default_year, token)
        sentence = _sentence_around(text, token.start)
        target = DraftTarget(
            indicator=indicator, value=token.value, unit=token.unit, year=year, deadline=deadline, group=group,
            comparison=_comparison(before, after), text=sentence, section=node.section,
        )
        targets.append(target)
        previous = target
    return targets


def _after_window(folded_after: str) -> str:
    """What follows the number up to the end of its clause ("… số đơn vị có lao động …; năm 2018 …")."""
    cut = re.search(r";|\.\s|\.$|\(|\)", folded_after)
    return folded_after[:cut.start()] if cut else folded_after[:200]


def _clause_tail(before: str) -> str:
    return re.split(r"[;.]\s", before)[-1]


def _without_parentheses(text: str) -> str:
    return re.sub(r"\([^()]*\)", " ", text)


def _subject(before: str) -> str:
    """The shortest end of `before` that names a scheme: "…, trong đó: số người tham gia BHXH bắt buộc là"
    → "số người tham gia BHXH bắt buộc là". Commas inside "BHXH, BHYT" do not cut."""
    plain = _without_parentheses(before)
    pieces = re.split(rf"[,;:](?!\s*{SCHEME_WORD})", plain)
    for size in range(1, len(pieces) + 1):
        tail = ",".join(pieces[-size:])
        if re.search(SCHEME_WORD, tail):
            return tail
    return pieces[-1] if pieces else ""


def _has_subject(before: str) -> bool:
    return bool(re.search(rf"{SCHEME_WORD}|ty le|so nguoi|so don vi", _clause_tail(_without_parentheses(before))))


def _scheme(*texts: str) -> str | None:
    for text in texts:
        hits = [(m.start(), code) for code, pattern in SCHEMES for m in [re.search(pattern, text)] if m]
        if hits:
            first = min(hits)[0]
            at_first = [code for start, code in hits if start == first]
            return at_first[0]
    return None


def _classify(before: str, after: str, token: _Token, folded: str) -> tuple[str | None, str | None]:
    """(indicator code, BHYT sub-group) for one number, from the words before and after it."""
    before = _clause_tail(before)
    subject = _subject(before)
    near_after = re.split(r",\s", after, maxsplit=1)[0]
    scheme = _scheme(subject if re.search(SCHEME_WORD, subject) else "", after, _without_parentheses(before))
    local = subject + " " + near_after
    if not re.search(rf"{SCHEME_WORD}|ty le|so nguoi|don vi|doanh nghiep|hoc sinh|truong|giao dich|chi tra|no|thu", local):
        return None, None
    if token.unit == "%":
        return _rate_indicator(subject, near_after, local, scheme)
    if token.unit in ("persons", "households"):
        return _count_indicator(local, scheme)
    if token.unit == "units":
        return "employers.registered", None
    return ("contributions.collected" if re.search(r"\bthu\b", local) else "unclassified"), None


def _subgroup(text: str) -> tuple[str, str] | None:
    for pattern, group, label in BHYT_SUBGROUPS:
        if re.search(pattern, text):
            return group, label
    return None


def _rate_indicator(subject: str, near_after: str, local: str, scheme: str | None) -> tuple[str | None, str | None]:
    if "giao dich dien tu" in local or "ho so dien tu" in local:
        return "employers.e_transaction_share", None
    if re.search(r"chi tra|\bnhan\b|\bhuong\b|luong huu|tro cap", local) and re.search(r"tai khoan|khong dung tien mat|\batm\b", local):
        return "benefits.account_payment_share", None
    if re.search(r"\bno dong\b|\bcham dong\b|\bno bhxh\b|ty le no\b|so no\b", local):
        return "arrears.rate", None
    if "hai long" in local:
        return "service.satisfaction", None
    if "dich vu cong" in local or "truc tuyen" in local:
        return "egov.online_share", None
    if re.match(r"\s*(?:so )?(?:don vi|doanh nghiep)", near_after):
        return "employers.registered_share", None
    if re.match(r"\s*(?:so )?truong", near_after):
        return "bhyt.schools.share", None
    if re.search(r"\btang\b", subject) and re.search(r"so voi|hang nam|moi nam|nam truoc", local):
        return {"bhxh.voluntary": "bhxh.voluntary.growth", "bhxh.compulsory": "bhxh.compulsory.growth",
                "bhyt": "bhyt.growth", "bhtn": "bhtn.growth"}.get(scheme or "", "bhxh.growth"), None
    if "thuoc dien" in local:
        if scheme == "bhtn":
            return "bhtn.required_coverage", None
        if scheme in ("bhxh", "bhxh.compulsory", None):
            return "bhxh.compulsory.required_coverage", None
    subgroup = _subgroup(subject.split("bhyt")[-1] + " " + near_after) if scheme in ("bhyt", None) else None
    if subgroup and scheme in ("bhyt", None):
        return f"bhyt.coverage.group.{subgroup[0]}", subgroup[1]
    return {"bhyt": "bhyt.coverage", "bhxh.compulsory": "bhxh.compulsory.rate", "bhxh.voluntary": "bhxh.voluntary.rate",
            "bhxh": "bhxh.participation", "bhtn": "bhtn.participation"}.get(scheme or ""), None


def _count_indicator(local: str, scheme: str | None) -> tuple[str | None, str | None]:
    new = bool(re.search(r"phat trien moi|tang them|\bmoi\b", local))
    if scheme == "bhyt":
        subgroup = _subgroup(local.split("bhyt")[-1])
        if subgroup:
            return f"bhyt.participants.group.{subgroup[0]}", subgroup[1]
        return ("bhyt.new_participants" if new else "bhyt.participants"), None
    if scheme in ("bhxh.compulsory", "bhxh.voluntary"):
        return f"{scheme}.{'new_participants' if new else 'participants'}", None
    if scheme == "bhxh":
        return "bhxh.participants", None
    if scheme == "bhtn":
        return "bhtn.participants", None
    return None, None


def _comparison(before: str, after: str) -> str:
    near = before[-30:]
    if re.search(r"\b(?:it nhat|toi thieu|khong thap hon|khong duoi)\b", near) or (
        re.search(r"\btu\s*$", near) and re.match(r"\s*tro len", after)) or re.match(r"\s*tro len", after):
        return ">="
    if re.search(r"\b(?:tren|hon)\s*$", near):
        return ">"
    if re.search(r"\b(?:duoi|thap hon)\s*$", near):
        return "<"
    if re.search(r"\b(?:khong qua|toi da|khong vuot)\s*$", near):
        return "<="
    return "="


def _when(before: str, after: str, folded: str, node: Node, default_year: int | None, token: _Token) -> tuple[int | None, date | None]:
    """Year and deadline of a target: from its own clause first, then the headings above it."""
    tail = _clause_tail(before)
    years = re.findall(r"\bnam (\d{4})\b", tail)
    year = int(years[-1]) if years else None
    clause_start = token.start - len(tail)
    clause_end = token.end + len(after)
    deadline = next((day for _, day in dates_in(folded[max(0, clause_start - 5):clause_end + 60])), None)
    recurring = re.search(r"\b(?:hang|moi) nam\b", tail) and year is None
    if recurring:
        return None, None
    if year is None and deadline is not None:
        year = deadline.year
    ancestor = node
    while (year is None or deadline is None) and ancestor is not None:
        context = fold_keep(" ".join([ancestor.text, *(ancestor.paras[:1] if ancestor is not node else [])]))
        if year is None:
            found = re.findall(r"\bnam (\d{4})\b", context)
            year = int(found[0]) if len(set(found)) == 1 else None
        if deadline is None:
            dates = dates_in(context)
            deadline = dates[0][1] if dates and (year is None or dates[0][1].year == year) else None
        ancestor = ancestor.parent
    return (year or default_year), deadline


def _sentence_around(text: str, position: int) -> str:
    """The sentence a number stands in, as the plan wrote it (for the reviewer)."""
    starts = [m.end() for m in re.finditer(r"(?:[.;]\s+|:\s+(?=[A-ZĐ]))", text[:position])]
    start = starts[-1] if starts else 0
    end_match = re.search(r"[.;](?:\s|$)", text[position:])
    end = position + end_match.end() if end_match else len(text)
    return text[start:end].strip()
