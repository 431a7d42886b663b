"""Assignments in a plan: every task it gives an agency, the agencies it must work with, how often and by when.

An item or heading addressed to agencies ("3. Sở Y tế", "2.1. Sở LĐTBXH, Cục Thuế: …", "Giao BHXH thành
phố chủ trì, phối hợp với …", "Đề nghị Liên đoàn Lao động …") gives every task under it to them; a run of
lost headings between agency sections is guessed from what its tasks are about, and said so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ansinh.core.text import fold_keep
from ansinh.plans.draft import DraftAssignment
from ansinh.plans.lexicon import ADDRESS_PREFIX, ADVERBS, CONNECTORS, DEFAULT_OFFSET, RECURRENCES, TASK_VERB_WORDS
from ansinh.plans.lines import dates_in
from ansinh.plans.outline import Node
from ansinh.tasks.agencies import AGENCIES, AgencyMention, StandardAgency, agency_by_short_name, mentions_in


@dataclass
class Run:
    """Agencies named one after another from a place in a text ("Sở Nội vụ, BHXH thành phố, Thuế và
    các cơ quan liên quan"), and where the list ends."""

    mentions: list[AgencyMention]
    end: int


def agency_run(text: str, start: int = 0) -> Run:
    """The list of agencies beginning at `start` (only connecting words may stand between them)."""
    mentions = [m for m in mentions_in(text) if m.start >= start]
    accepted: list[AgencyMention] = []
    position = start
    for mention in mentions:
        gap = text[position:mention.start]
        gap_agencies = _gap_agencies(gap, position)
        if gap_agencies is None:
            break
        accepted += gap_agencies + [mention]
        position = mention.end
    tail = _tail_agencies(text, position)
    accepted += tail.mentions
    return Run(_unique(accepted), tail.end if tail.mentions else position)


def _gap_agencies(gap: str, offset: int) -> list[AgencyMention] | None:
    """None if the gap holds other words; else the short-named agencies in it ("…, Thuế, …")."""
    found = []
    for element in re.split(r"[,;/&()]|\bvà\b|\bva\b|\s-\s", gap):
        words = re.findall(r"[^\W\d_]+", fold_keep(element))
        if not words or all(w in CONNECTORS for w in words):
            continue
        short = agency_by_short_name(element) or _newspaper(element)
        if short is None:
            return None
        index = gap.find(element.strip())
        found.append(AgencyMention(short, offset + index, offset + index + len(element.strip()), element.strip()))
    return found


def _newspaper(element: str) -> StandardAgency | None:
    """"Báo Hà Tĩnh", "Báo Cần Thơ": the province's newspaper, named after it."""
    if re.fullmatch(r"\s*(?:Báo|BÁO|Bao|BAO)\s+[A-ZĐÀ-Ỹ][^\s,;]*(?:\s+[A-ZĐÀ-Ỹ][^\s,;]*){0,3}\s*", element):
        return next(agency for agency in AGENCIES if agency.code == "bao-dai")
    return None


def _tail_agencies(text: str, position: int) -> Run:
    found, end = [], position
    for match in re.finditer(r"[^,;]+", text[position:position + 120]):
        element = match.group(0)
        for piece in re.split(r"\bvà\b|\bva\b", element):
            words = re.findall(r"[^\W\d_]+", fold_keep(piece))
            if not words or all(w in CONNECTORS for w in words):
                continue
            short, size = _leading_short_name(piece)
            if short is None:
                return Run(found, end)
            begin = position + match.start() + element.find(piece.strip())
            found.append(AgencyMention(short, begin, begin + size, piece.strip()[:size]))
            end = begin + size
            if size < len(piece.strip()):
                return Run(found, end)  # "…, Thuế thực hiện rà soát": the list ends with this agency
    return Run(found, end)


def _leading_short_name(piece: str) -> tuple[StandardAgency | None, int]:
    """The short-named agency a list element starts with, and how many characters it takes."""
    piece = piece.strip()
    spans = [m.end() for m in re.finditer(r"[^\W\d_]+", piece)]
    for count in range(min(4, len(spans)), 0, -1):
        agency = agency_by_short_name(piece[:spans[count - 1]]) or (_newspaper(piece[:spans[count - 1]]) if count == len(spans) else None)
        if agency is not None:
            return agency, spans[count - 1]
    return None, 0


def _unique(mentions: list[AgencyMention]) -> list[AgencyMention]:
    seen, out = set(), []
    for mention in mentions:
        if mention.agency.code not in seen:
            seen.add(mention.agency.code)
            out.append(mention)
    return out


def _subject_run(text: str) -> Run:
    """The agencies a paragraph is addressed to when it starts with them ("Sở Y tế: …", "Đề nghị …",
    "Giao BHXH thành phố chủ trì …", "Chủ tịch UBND phường, xã chủ trì …")."""
    folded = fold_keep(text)
    prefix = ADDRESS_PREFIX.match(folded)
    start = prefix.end() if prefix else 0
    mentions = mentions_in(text)
    if not mentions:
        return Run([], 0)
    gap = folded[start:mentions[0].start]
    if gap.strip(" ,;:-") and _gap_agencies(text[start:mentions[0].start], start) is None:
        return Run([], 0)
    run = agency_run(text, start)
    return Run(run.mentions, _task_start(text, run.end)) if run.mentions else run


def _task_start(text: str, end: int) -> int:
    """Where the task begins after the agencies: past "(Cơ quan thường trực …)", "thành phố Hải Phòng",
    and past a colon that closes the list of agencies ("… và các tổ chức thành viên: Tăng cường …")."""
    parenthesis = re.match(r"\s*\([^()]*\)", text[end:])
    if parenthesis:
        end += parenthesis.end()
    colon = text.find(":", end, end + 90)
    if colon >= 0:
        between = text[end:colon]
        words = re.findall(r"[^\W\d_]+", between)
        if all(fold_keep(w) in CONNECTORS or w[:1].isupper() for w in words):
            return colon + 1
    folded = fold_keep(text[end:])
    place = re.match(r"\s*(?:cua\s+)?(?:chi nhanh\s+)?(?:tinh|thanh pho|tp)\b\.?", folded)
    if not place:
        return end + (len(text[end:]) - len(text[end:].lstrip()))
    end += place.end()
    for match in re.finditer(r"\S+", text[end:]):
        word = match.group(0)
        if not word[:1].isupper() or fold_keep(word).startswith(TASK_VERB_WORDS):
            return end + match.start()
    return len(text)


def find_assignments(root: Node, *, warnings: list[str]) -> list[DraftAssignment]:
    """Every task the plan gives an agency, in the plan's order."""
    for node in root.walk():
        _address(node)
    _infer_lost_headings(root, warnings)
    found: list[DraftAssignment] = []
    seen: set[tuple] = set()
    for node in root.walk():
        for assignment in _node_assignments(node):
            key = (assignment.agency_code, assignment.role, assignment.section, assignment.text)
            if key not in seen:
                seen.add(key)
                found.append(assignment)
    return found


def _address(node: Node) -> None:
    """Who a heading or item is addressed to: its own words, or (for a heading) its first paragraph."""
    if node.style == "root" or not node.text:
        return
    run = _subject_run(node.text)
    if run.mentions:
        node.addressees = run.mentions
        rest = fold_keep(node.text[run.end:]).strip(" :.-,;")
        rest_words = re.findall(r"[^\W\d_]+", rest)
        node.heading_only = all(w in CONNECTORS for w in rest_words) or (len(rest_words) <= 3 and ":" not in rest)
    elif node.style in ("roman", "decimal") and node.paras:
        node.intro_addressees = _subject_run(node.paras[0]).mentions


def _inherited(node: Node) -> list[AgencyMention]:
    """Sub-items without an agency of their own belong to the agency of the heading above them."""
    current = node
    while current.parent is not None and current.parent.style != "root":
        parent = current.parent
        if parent.addressees:
            return parent.addressees
        if parent.intro_addressees and current.style in ("letter", "dash", "plus", "star"):
            return parent.intro_addressees
        if parent.style in ("roman", "decimal"):
            return []
        current = parent
    return []


def _node_assignments(node: Node) -> list[DraftAssignment]:
    if node.style == "root":
        return []
    out: list[DraftAssignment] = []
    units = ([] if node.heading_only else [node.text]) + node.paras
    for index, text in enumerate(units):
        if not text:
            continue
        if node.closing:
            out += _directives(text, node, lead_only=True)
            continue
        own = _subject_run(text)
        if own.mentions and not (index == 0 and node.addressees and not node.heading_only):
            addressees, task = own.mentions, text[own.end:]
        elif node.addressees:
            addressees, task = node.addressees, text[_subject_run(text).end:] if index == 0 else text
        else:
            addressees, task = _inherited(node), text
        task = task.strip(" :-–,;")
        for mention in addressees:
            out.append(_assignment(mention, node, text if not task else _task_text(text, task), task, inferred=node.inferred))
        out += _directives(text, node, lead_only=True, exclude={m.agency.code for m in addressees})
    return out


def _task_text(full: str, task: str) -> str:
    return task[:1].upper() + task[1:] if task else full


def _assignment(mention: AgencyMention, node: Node, text: str, task: str, *, inferred: bool = False) -> DraftAssignment:
    folded = fold_keep(task)
    supports, role = _partners(task, folded, mention.agency.code)
    due = _due(folded)
    return DraftAssignment(
        agency=mention.agency.name, agency_code=mention.agency.code, agency_text=mention.text if not inferred else "",
        section=node.section, text=text.strip(), role=role, supports=supports, inferred=inferred, **due,
    )


def _partners(task: str, folded: str, own: str) -> tuple[list[str], str]:
    """(codes of the agencies to involve, role): "Chủ trì, phối hợp với A, B" → A, B and lead;
    "Phối hợp với A …" → the agency supports A."""
    lead_phrase = re.search(r"chu tri\W+(?:va\s+)?phoi hop(?:\s+chat che)?(?:\s+voi)?\s+", folded)
    if lead_phrase:
        run = agency_run(task, lead_phrase.end())
        return [m.agency.code for m in run.mentions if m.agency.code != own], "lead"
    support_phrase = re.match(r"\W*" + ADVERBS + r"(?:phoi hop|tham gia)(?:\s+chat che)?(?:\s+voi)?(?:\s+cung)?\s+", folded)
    if support_phrase:
        run = agency_run(task, support_phrase.end())
        partners = [m.agency.code for m in run.mentions if m.agency.code != own]
        if partners:
            return partners, "support"
    return [], "lead"


def _directives(text: str, node: Node, *, lead_only: bool, exclude: set[str] = frozenset()) -> list[DraftAssignment]:
    """"Giao UBND xã …", "UBND tỉnh yêu cầu các sở, UBND huyện …": agencies given work inside a sentence."""
    folded = fold_keep(text)
    out = []
    for match in re.finditer(r"(?:^|[.;:]\s+|\b(?:ubnd|uy ban nhan dan) (?:tinh|thanh pho)\s+)(giao|yeu cau|de nghi)\s+", folded):
        if match.start() == 0 and not node.closing:
            continue  # a paragraph's own first word is its subject, read above
        run = agency_run(text, match.end())
        for mention in run.mentions:
            if mention.agency.code in exclude:
                continue
            sentence_end = re.search(r"[.;](?:\s|$)", text[match.end():])
            sentence = text[match.start():match.end() + sentence_end.end()] if sentence_end else text[match.start():]
            out.append(_assignment(mention, node, sentence.strip(" .;:"), text[run.end:]))
    return out


# ------------------------------------------------------------------------- recurrence and due dates


def _due(folded: str) -> dict:
    """How often and by when, from the task's words: "hằng tháng", "định kỳ hàng quý", "trước ngày 15/12
    hằng năm" (yearly, day 15, month 12), "chậm nhất ngày 20 tháng 10 năm 2025" (once, that day)."""
    recurrence = next((code for code, pattern in RECURRENCES if re.search(pattern, folded)), None)
    yearly = re.search(r"(?:truoc|cham nhat(?: den)?|den)\s+ngay\s+(\d{1,2})(?:\s+thang\s+|/)(\d{1,2})(?!\s*(?:nam\s+)?/?\d{4})\s*(?:hang|moi) nam", folded)
    if yearly:
        day, month = int(yearly.group(1)), int(yearly.group(2))
        return {"recurrence": "yearly", "due_day": day, "offset_months": month - 1, "due_text": yearly.group(0)}
    dates = dates_in(folded)
    if dates and recurrence in (None, "yearly") and not re.search(r"\b(?:hang|moi) nam\b", folded):
        return {"recurrence": "once", "due_on": dates[0][1], "due_text": None}
    month = re.search(r"trong thang (\d{1,2})/(\d{4})", folded)
    if month and recurrence is None:
        first = date(int(month.group(2)), int(month.group(1)), 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return {"recurrence": "once", "due_on": last, "due_text": month.group(0)}
    day = re.search(r"(?:truoc|cham nhat(?: den)?)\s+ngay\s+(\d{1,2})\b(?!\s*(?:/|thang))", folded)
    if recurrence and day:
        offset = 1 if "thang sau" in folded else 3 if "quy sau" in folded else DEFAULT_OFFSET[recurrence]
        return {"recurrence": recurrence, "due_day": int(day.group(1)), "offset_months": offset, "due_text": day.group(0)}
    return {"recurrence": recurrence}


# ------------------------------------------------------------------------------------ lost headings


def _infer_lost_headings(root: Node, warnings: list[str]) -> None:
    """A run of lost headings between sections addressed to agencies (and before the plan's end) is a run
    of agency sections: guess each one's agency from what its tasks are about, and say so."""
    for parent in root.walk():
        siblings = parent.children
        index = 0
        while index < len(siblings):
            if not (siblings[index].virtual and not siblings[index].addressees and siblings[index].style == "decimal"):
                index += 1
                continue
            end = index
            while end < len(siblings) and siblings[end].virtual and siblings[end].style == "decimal" and not siblings[end].addressees:
                end += 1
            if _addressed(siblings[index - 1] if index else None) and _next_heading_addressed(root, siblings[end - 1]):
                for node in siblings[index:end]:
                    _guess(node, warnings)
            index = end


def _addressed(node: Node | None) -> bool:
    return node is not None and bool(node.addressees or node.intro_addressees)


def _next_heading_addressed(root: Node, last: Node) -> bool:
    """Is the next real heading after `last` (at its level or above) addressed to an agency, or is `last`
    the plan's final section?"""
    nodes = list(root.walk())
    after = nodes[nodes.index(last) + 1:]
    for node in after:
        if node.closing:
            return True
        if node.style in ("roman", "decimal") and not _descends(node, last):
            if node.virtual and not node.text:
                continue
            return _addressed(node) or bool(_subject_run(node.text).mentions)
    return True


def _descends(node: Node, ancestor: Node) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


def _guess(node: Node, warnings: list[str]) -> None:
    text = " ".join([node.text, *node.paras] + [" ".join([c.text, *c.paras]) for c in node.walk() if c is not node])
    agency = guess_agency(text)
    if agency is None:
        warnings.append(f"Mục {node.section}: mất tiêu đề, không đoán được cơ quan; cần điền tay.")
        return
    node.addressees = [AgencyMention(agency, 0, 0, "")]
    node.heading_only = not node.text
    node.inferred = True
    for child in node.walk():
        child.inferred = True
    warnings.append(f"Mục {node.section}: mất tiêu đề; đoán là “{agency.name}” theo nội dung, cần kiểm tra.")


def guess_agency(text: str) -> StandardAgency | None:
    """The agency whose usual tasks a section's text is most about; None when no agency clearly leads.
    Agencies the text names as partners ("phối hợp với Sở Tài chính") are not the section's own."""
    folded = fold_keep(text)
    partners = set()
    for match in re.finditer(r"phoi hop(?:\s+chat che)?(?:\s+voi)?\s+", folded):
        partners |= {m.agency.code for m in agency_run(text, match.end()).mentions}
    scores = []
    for agency in AGENCIES:
        hits = sum(1 for topic in agency.topics if re.search(r"\b" + re.escape(topic) + r"\b", folded))
        score = 2 * hits - (3 if agency.code in partners else 0)
        scores.append((score, agency.code, agency))
    scores.sort(key=lambda row: (-row[0], row[1]))
    best, second = scores[0], scores[1]
    if best[0] >= 2 and best[0] >= second[0] + 2:
        return best[2]
    return None
