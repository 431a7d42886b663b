"""The outline of a plan: its numbered and bulleted items as a tree, lost headings kept as numbered places.

I. / 1. / 1.1. / a) / - / + in any of their usual spellings ("1)", "a.", "I -", "## "). A letter list that
starts again at "a)" with no heading between means the heading was lost (as when a plan is copied from a
web page): the reader keeps a numbered place for it ("[10]") so sections stay apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ansinh.core.text import fold_keep
from ansinh.plans.lexicon import TASK_VERBS
from ansinh.tasks.agencies import AgencyMention

STYLE_RANK = {"roman": 0, "decimal": 1, "letter": 2, "dash": 3, "plus": 4, "star": 5}
_LETTERS = "abcdđeghiklmnopqrstuvxy"
LABEL = re.compile(
    r"^(?:(?P<part>(?i:ph[aầâ]n|m[uụ]c|ch[uư][oơ]ng)\s+)?(?P<roman>[IVXL]+)\s*[.\-–/:)]\s*(?=\S)"
    r"|(?P<decimal>\d{1,2}(?:\.\d{1,2}){0,3})(?:\s*[.)/:](?!\d)\s*|(?<=\d)\s+)(?=\S|$)"
    r"|(?P<letter>[a-zđ])\s*[).](?=\s)\s*|(?P<letter2>[a-zđ])/\s+"
    r"|(?P<bullet>[-–—•+*·▪◦○])\s*(?=\S))"
)


@dataclass
class Node:
    """One numbered or bulleted item of the plan, its heading text, the plain paragraphs under it and
    its sub-items. `virtual`: a heading the text lost (the reader numbers it in brackets)."""

    style: str
    label: str
    text: str
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    paras: list[str] = field(default_factory=list)
    virtual: bool = False
    closing: bool = False
    addressees: list[AgencyMention] = field(default_factory=list)
    intro_addressees: list[AgencyMention] = field(default_factory=list)
    heading_only: bool = False
    inferred: bool = False

    @property
    def rank(self) -> int:
        return STYLE_RANK.get(self.style, -1)

    @property
    def number(self) -> int | None:
        """The item's place among its siblings as a number (III → 3, 2.11 → 11, c → 3)."""
        label = self.label.strip("[]")
        if self.style == "roman":
            return _roman(label)
        if self.style == "decimal":
            return int(label.split(".")[-1]) if re.fullmatch(r"[\d.]+", label) else None
        if self.style == "letter":
            return _LETTERS.index(label) + 1 if label in _LETTERS else None
        return None

    @property
    def section(self) -> str:
        """"III.2.11", "IV.1", "[IV].[10].a": the labels of the numbered items from the top down."""
        parts: list[str] = []
        node: Node | None = self
        chain = []
        while node is not None and node.style != "root":
            if node.style in ("roman", "decimal", "letter"):
                chain.append(node)
            node = node.parent
        for item in reversed(chain):
            if item.style == "decimal" and parts and "." in item.label and item.label.startswith(parts[-1] + "."):
                parts[-1] = item.label
            else:
                parts.append(item.label)
        return ".".join(parts)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _roman(label: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    if not label or any(ch not in values for ch in label):
        return None
    total = 0
    for index, ch in enumerate(label):
        value = values[ch]
        total += -value if index + 1 < len(label) and values[label[index + 1]] > value else value
    return total


def _to_roman(number: int) -> str:
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def parse_label(line: str) -> tuple[str, str, str] | None:
    """(style, label, rest) of a numbered or bulleted line, or None for a plain paragraph."""
    match = LABEL.match(line)
    if not match:
        return None
    rest = line[match.end():].strip()
    if match.group("roman"):
        roman = match.group("roman")
        if _roman(roman) is None or not rest or (not match.group("part") and not rest[:1].isupper()):
            return None
        return "roman", roman, rest
    if match.group("decimal"):
        label = match.group("decimal")
        plain_single = "." not in label and not re.match(r"\d{1,2}\s*[.)/:]", line)
        if plain_single or not rest:
            return None
        return "decimal", label.rstrip("."), rest
    letter = match.group("letter") or match.group("letter2")
    if letter:
        return ("letter", letter, rest) if rest else None
    bullet = match.group("bullet")
    style = "plus" if bullet == "+" else "star" if bullet in "*·▪◦○" else "dash"
    return style, bullet, rest


def build_outline(lines: list[str]) -> Node:
    """The plan as a tree of items; lost headings become virtual items so sections stay apart."""
    root = Node("root", "", "")
    stack = [root]
    state = {"blocks": 1}
    for line in lines:
        parsed = parse_label(line)
        if parsed is None:
            _add_paragraph(root, stack, line)
            continue
        style, label, rest = parsed
        node = Node(style, label, rest)
        _place(root, stack, node, state)
    return root


def _add_paragraph(root: Node, stack: list[Node], line: str) -> None:
    top = stack[-1]
    if _is_closing(line):
        root.children.append(Node("para", "", line, parent=root, closing=True))
        return
    if top.style == "letter" and _ends_sentence(top.paras[-1] if top.paras else top.text) and _starts_task(line):
        parent = top.parent
        virtual = _virtual_sibling(parent) if parent is not None and parent.style != "root" else None
        if virtual is not None:
            virtual.text = line
            while stack[-1] is not parent:
                stack.pop()
            stack.pop()
            stack.append(virtual)
            return
    top.paras.append(line)


def _is_closing(line: str) -> bool:
    """"Trên đây là Kế hoạch …", "UBND tỉnh yêu cầu …": the plan's last words, outside every section."""
    folded = fold_keep(line)
    return bool(re.match(r"(?:tren day la|(?:ubnd|uy ban nhan dan) (?:tinh|thanh pho)\s*(?:\S+\s+){0,3}yeu cau)", folded))


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?]\W*$", text.strip()))


def _starts_task(line: str) -> bool:
    folded = fold_keep(line)
    return line[:1].isupper() and folded.startswith(TASK_VERBS)


def _virtual_sibling(node: Node) -> Node | None:
    """A numbered place for a lost heading: the next number after `node`, beside it."""
    parent = node.parent
    if parent is None or node.style not in ("decimal", "roman"):
        return None
    number = (node.number or 0) + 1
    label = f"[{_to_roman(number)}]" if node.style == "roman" else f"[{number}]"
    virtual = Node(node.style, label, "", parent=parent, virtual=True)
    parent.children.append(virtual)
    return virtual


def _place(root: Node, stack: list[Node], node: Node, state: dict) -> None:
    rank = node.rank
    if node.style == "decimal" and "." in node.label:
        while stack[-1].rank > 1 or (stack[-1].style == "decimal" and not node.label.startswith(stack[-1].label + ".")):
            stack.pop()
    else:
        while stack[-1].rank >= rank:
            stack.pop()
    parent = stack[-1]
    if node.style == "letter":
        parent = _letter_parent(stack, node)
    elif node.style == "decimal" and "." not in node.label:
        parent = _decimal_parent(root, stack, node, state)
    node.parent = parent
    parent.children.append(node)
    stack.append(node)


def _letter_parent(stack: list[Node], node: Node) -> Node:
    """An "a)" after a finished letter list under the same heading starts a new, lost, heading."""
    parent = stack[-1]
    if node.label == "d" and parent.children and parent.children[-1].style == "letter" and parent.children[-1].label == "d":
        node.label = "đ"  # OCR lost the stroke: "d)" after "d)" is "đ)"
    restarts = node.label == "a" and any(child.style == "letter" for child in parent.children)
    if not restarts:
        return parent
    if parent.style == "decimal":
        virtual = _virtual_sibling(parent)
    else:  # letters straight under a roman heading or the top: the lost heading is a decimal under it
        decimals = [child for child in parent.children if child.style == "decimal"]
        number = (decimals[-1].number or 0) + 1 if decimals else 1
        virtual = Node("decimal", f"[{number}]", "", parent=parent, virtual=True)
        parent.children.append(virtual)
    if stack[-1] is parent and parent.style == "decimal":
        stack.pop()
    stack.append(virtual)
    return virtual


def _decimal_parent(root: Node, stack: list[Node], node: Node, state: dict) -> Node:
    """"1." again after "6." with no roman heading between: a lost part heading ("[II]")."""
    parent = stack[-1]
    real = [child for child in parent.children if child.style == "decimal" and not child.virtual]
    number = int(node.label)
    if not real or (real[-1].number or 0) < number:
        return parent
    if parent.style == "roman":
        block = _virtual_sibling(parent)
    else:
        state["blocks"] += 1
        block = Node("roman", f"[{_to_roman(state['blocks'])}]", "", parent=root, virtual=True)
        root.children.append(block)
    while len(stack) > 1 and stack[-1].rank >= 0:
        stack.pop()
    stack.append(block)
    return block
