"""Numeric targets: counts to achieve ("07/16 xã đạt chuẩn"), rates ("tỷ lệ ... đạt 96,5%"), averages
("bình quân đạt 16,8 tiêu chí/xã"), minimums ("tối thiểu 50%") and budgets ("183.970 triệu đồng").

A number is a target only when a goal word stands just before it (or "đạt" just after it), in a clause
that does not describe the past; money is a budget in a clause about funds. Dates, periods, document and
section numbers and criterion identifiers ("tiêu chí 13.3") never qualify: the number must carry a
unit. Values are read as printed: "16,8" is 16.8, "183.970" is 183970.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import vocab
from .body import Paragraph
from .casing import is_upper_text

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"


_NOT_MONEY = re.compile(r"\s+(?:chí|bào|thời|ý|bộ|nghĩa|tâm|hồ|đội|loạt)(?!\w)")


@dataclass(frozen=True)
class TargetFound:
    value: float
    total: float | None
    unit: str
    text: str
    start: int
    end: int
    kind: str  # goal, threshold or budget
    year: int | None = None  # "đến hết năm 2025"


def parse_number(text: str) -> float:
    """Vietnamese notation: thousands dot, decimal comma."""
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    v = vocab.targets()
    units = vocab.alternation(list(v.units))
    candidate = re.compile(
        rf"(?<![\w/.,:-])(?P<num>{_NUMBER})(?:/(?P<total>\d{{1,3}}))?(?![\d/])\s*(?P<unit>{units})(?![\w])"
    )
    before = re.compile(rf"(?<![\w])(?:{vocab.alternation(list(v.goal_before))})\s*$", re.IGNORECASE)
    after = re.compile(rf"^\s*(?:[^\s.,;:]+\s+){{0,3}}?(?:{vocab.alternation(list(v.goal_after))})(?![\w])")
    past = re.compile(rf"(?<![\w])(?:{vocab.alternation(list(v.past))})(?![\w])", re.IGNORECASE)
    return candidate, before, after, past


_CLAUSE_BREAK = re.compile(r"[;:(]|\.(?!\d)|\n\n")  # not the dot of "5.373,4"


def _clause(text: str, start: int) -> str:
    """The words before a number back to the clause's start (at most 300 characters)."""
    window = max(start - 300, 0)
    cuts = [m.end() for m in _CLAUSE_BREAK.finditer(text, window, start)]
    return text[cuts[-1] if cuts else window : start]


def _kind(unit: str, lead: str) -> str:
    if "đồng" in unit:
        return "budget"
    if re.search(r"tối thiểu|ít nhất|không còn|dưới|trên", lead):
        return "threshold"
    return "goal"


def find_targets(text: str) -> list[TargetFound]:
    candidate, before, after, past = _patterns()
    budget_words = re.compile(vocab.alternation(list(vocab.targets().budget)), re.IGNORECASE)
    penalty = re.compile(rf"(?<![\w])(?:{vocab.alternation(list(vocab.targets().penalty))})(?![\w])", re.IGNORECASE)
    out: list[TargetFound] = []
    counted: set[tuple[float, str]] = set()
    for m in candidate.finditer(text):
        unit = m.group("unit")
        if unit == "đồng" and _NOT_MONEY.match(text, m.end()):
            continue  # "01 đồng chí", "hội đồng": the word, not the currency
        clause = _clause(text, m.start())
        lead = " ".join(clause.split()[-4:])
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        sentence = re.split(r"[;.](?!\d)", line)[-1]  # the sentence so far, a colon included
        if past.search(clause) or penalty.search(sentence[-200:]) or penalty.search(text[m.end() : m.end() + 60]):
            continue  # the past, or a fine ("Phạt tiền 16.000.000 đồng", "nộp thêm 0,05%")
        if "đồng" in unit:
            line_start = text.rfind("\n", 0, m.start()) + 1
            if not budget_words.search(text[line_start : m.start()]):
                continue
        elif not (before.search(" ".join(clause.split()[-5:])) or after.match(text[m.end() : m.end() + 40])):
            continue
        if re.search(r"tiêu chí\s*(?:số\s*)?$", clause):  # "tiêu chí 13.3": an identifier
            continue
        value = parse_number(m.group("num"))
        total = float(m.group("total")) if m.group("total") else None
        if lead.split()[-1:] == ["từ"] and "trở lên" not in text[m.end() : m.end() + 80]:
            continue  # "từ 05 mỏ ... trở lên" is a minimum; "điều chỉnh từ 20,0 ha" is not a goal
        if total is None and unit != "%" and "đồng" not in unit:
            if (value, unit) in counted:
                continue  # a count restated later in the text ("ít nhất 01 xã" twice) is one target
            counted.add((value, unit))
        lead_words = lead.split()[-2:]
        phrase_start = m.start() - len(clause) + clause.rfind(lead_words[0]) if lead_words else m.start()
        tail_match = re.match(r"[^,;.()\n]{0,60}", text[m.end() :])
        tail = tail_match.group() if tail_match else ""
        tail = " ".join(tail.split()[:6])
        phrase = " ".join(f"{text[phrase_start : m.end()]} {tail}".split())
        sentence_start = max(text.rfind(".", 0, m.start()), text.rfind(";", 0, m.start()), m.start() - 300, 0)
        years = re.findall(
            r"(?:đến (?:hết )?|trong |cuối )?năm\s+((?:19|20)\d{2})", text[sentence_start : m.end() + 60]
        )
        year = int(years[-1]) if years else None
        out.append(TargetFound(value, total, unit, phrase, m.start(), m.end(), _kind(unit, lead), year))
    return out


# a heading whose subject is the chỉ tiêu: "CÁC CHỈ TIÊU CHỦ YẾU", "Chỉ tiêu về xã hội:", "II. MỤC TIÊU,
# CHỈ TIÊU", "11 chỉ tiêu kinh tế gồm:" (not "... thử nghiệm các chỉ tiêu:", where they are test indicators)
_LIST_HEADING = re.compile(
    r"^(?:\d+\s+|các\s+|một số\s+|mục tiêu\s*(?:,|và)\s*(?:các\s+)?)?chỉ\s+tiêu(?!\s*/)", re.IGNORECASE
)


@cache
def _listed() -> tuple[re.Pattern[str], re.Pattern[str]]:
    v = vocab.targets()
    units = vocab.alternation(sorted(set(v.units) | set(v.list_units)))
    figure = re.compile(
        rf"(?<![\w/.,:-])(?P<num>{_NUMBER})(?:\s*[-–]\s*(?:{_NUMBER}))?(?![\d/])\s*"
        rf"(?P<unit>(?:{units})(?:/[^\W\d_]+(?:\s[^\W\d_]+)?)*)(?![\w])"
    )
    not_after = re.compile(rf"(?<![\w])(?:{vocab.alternation(list(v.not_after))})\s*$", re.IGNORECASE)
    return figure, not_after


def _is_list_heading(p: Paragraph) -> bool:
    """ "CÁC CHỈ TIÊU CHỦ YẾU", "2. Chỉ tiêu cụ thể:", "Chỉ tiêu về xã hội:": a short heading naming chỉ tiêu."""
    text = p.text.strip()
    if len(text) > 120 or not _LIST_HEADING.match(text):
        return False
    return p.kind in ("roman", "num", "letter", "article") or is_upper_text(text) or text.endswith(":")


def listed_targets(paragraphs: list[Paragraph], text: str) -> list[TargetFound]:
    """Every figure of a plan's list of chỉ tiêu, whatever its unit (a range by its lower bound): the items
    under a heading naming chỉ tiêu, down to the next heading of the same or an outer level."""
    figure, not_after = _listed()
    out: list[TargetFound] = []
    heading: float | None = None  # the level of the open chỉ tiêu heading
    for p in paragraphs:
        if _is_list_heading(p):
            level = p.level if p.kind else 6.5  # a heading without a marker holds the dashes below it
            heading = level if heading is None else min(heading, level)
            continue
        if heading is not None and (p.kind is not None and p.level <= heading or p.kind is None and heading > 6):
            heading = None
        if heading is None:
            continue
        offset = p.text_start
        body = text[offset : p.end]
        for m in figure.finditer(body):
            if not_after.search(body[max(0, m.start() - 30) : m.start()]):  # a bounded look back: linear
                continue
            start = offset + m.start("num")
            window = max(0, m.start() - 200)
            phrase = " ".join(body[max(body.rfind(";", window, m.start()) + 1, window) : m.end()].split()).lstrip("-+ ")
            out.append(
                TargetFound(
                    parse_number(m.group("num")), None, m.group("unit"), phrase, start, offset + m.end(), "goal"
                )
            )
    return out
