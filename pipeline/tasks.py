"""Tasks: who was told to do what, by when (gold README, "What counts as a task").

The body is walked paragraph by paragraph with a stack of the headings above the current one. A
heading that names an agency ("2. Phòng Tài chính - Kế hoạch", "4. Đề nghị Ủy ban Mặt trận ...")
gives its agency to the items under it; an item that names its own subject ("Sở Nội vụ phối hợp với
...", "Giao Sở Công Thương chủ trì ...") keeps that one. Plain paragraphs under a heading are items
too. Closing formulas are not tasks, nor are headings that only introduce sub-items. Rows of a task
table (DOCX: Nội dung / Cơ quan chủ trì / Cơ quan phối hợp / Thời gian) are tasks as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from . import vocab
from .agencies import find_embedded, find_subject, heading_agency, is_self, split_agencies, starts_with_agency
from .body import Paragraph
from .casing import body_name, is_upper_text, title_case
from .deadlines import find_deadline, parse_time_cell
from .layout import Zones

REQUEST_LEVEL = -1  # above every marker: see walk()
_LIST_FOLLOWS = re.compile(r"(?:cụ thể\s+)?(?:như\s+)?sau\s*:\s*$", re.IGNORECASE)


@dataclass
class TaskFound:
    text: str
    start: int
    end: int
    agency: str | None
    role: str | None
    coordinators: list[str] = field(default_factory=list)
    deadline: str | None = None
    recurrence: str | None = None
    report_to: str | None = None


@dataclass
class _Frame:
    level: float
    agency: str | None
    role: str | None
    swallow: bool = False  # "bao gồm:": the items below list contents, not tasks


def _is_closing(text: str) -> bool:
    return any(p.search(text) for p in vocab.agencies().closing)


def _is_section_heading(p: Paragraph) -> bool:
    text = p.text.rstrip()
    if p.kind in ("dash", "plus", "bullet"):
        return False
    letters = [c for c in text if c.isalpha()]
    upper = letters and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    return bool(upper) or (len(text) < 120 and not re.search(r"[.;]$", text) and not find_subject(text))


_INTRO_ONLY = re.compile(
    r"^(?:(?:tiếp tục )?(?:chỉ đạo,?\s+)?(?:tập trung |có trách nhiệm |nghiêm túc )?"
    r"(?:thực hiện|triển khai|tổ chức thực hiện|triển khai thực hiện)"
    r"\s+(?:tốt\s+)?(?:một số|các|những)\s+(?:nội dung|nhiệm vụ|công việc|giải pháp)[^:]*|(?:cụ thể\s+)?như sau)\s*:\s*$",
    re.IGNORECASE,
)


@cache
def _coordination() -> re.Pattern[str]:
    predicates = vocab.alternation([p for p in vocab.agencies().predicates if p not in ("phối hợp",)])
    return re.compile(
        rf"phối hợp(?: chặt chẽ)?(?: với)?\s+(?P<list>.+?)(?=\s+(?:{predicates}|để|trong|theo|nhằm)(?!\w)|[.;:(]|$)"
    )


_REPORT_TO = re.compile(
    r"(?:báo cáo|gửi)(?:(?:\s+[^\s.;,()]+){0,6}?\s+(?:về|cho|lên))?\s+(?P<to>(?:UBND|Ủy ban nhân dân|Chủ tịch|Sở|Phòng|Văn phòng|Ban|Bộ)"
    r"[^.;,()]*?)(?:\s*\((?:qua|thông qua)\s+(?P<via>[^)]*)\))?(?=[.;,(]|\s+(?:trước|để|theo|chậm)|$)"
)


_COORDINATOR_START = re.compile(
    r"(?:các|cơ quan|chính quyền|lực lượng|đơn vị|địa phương|UBND|Ủy ban)(?!\w)", re.IGNORECASE
)


def _coordinators(text: str) -> list[str]:
    """The agencies after "phối hợp với": "... phối hợp với Sở Tài chính và các cơ quan liên quan ..." """
    m = _coordination().search(text)
    if not m:
        return []
    return [
        c
        for c in split_agencies(m.group("list"))
        if len(c.split()) <= 15 and (starts_with_agency(c) or _COORDINATOR_START.match(c))
    ]


_SECTION_OWNER = re.compile(
    r"^(?:nhiệm vụ|trách nhiệm)(?:\s+(?:chủ yếu|trọng tâm|cụ thể|chính|được giao))?\s+của\s+(?P<owner>.+?)\s*:?$",
    re.IGNORECASE,
)


def _section_owner(text: str) -> str | None:
    """The agency a section heading gives its items: "NHIỆM VỤ CHỦ YẾU CỦA BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "Trách nhiệm của các Sở, ngành" (a heading printed in capitals is read as a body's name)."""
    m = _SECTION_OWNER.match(text.strip())
    if not m:
        return None
    owner = m.group("owner")
    if is_upper_text(owner):  # recognised as a name with its capitals, recorded in ordinary spelling
        return body_name(owner) if starts_with_agency(title_case(owner)) else None
    return owner if starts_with_agency(owner) else None


def _report_to(text: str) -> str | None:
    m = _REPORT_TO.search(text)
    if not m:
        return None
    to = m.group("to").strip()
    return f"{to} (qua {m.group('via').strip()})" if m.group("via") else to


def _task(p: Paragraph, text: str, start: int, agency: str | None, role: str | None, doc_year: int | None) -> TaskFound:
    deadline = find_deadline(text, doc_year)
    return TaskFound(
        text=text,
        start=start,
        end=p.end,
        agency=agency,
        role=role if agency else None,
        coordinators=_coordinators(text),
        deadline=deadline.iso if deadline else None,
        recurrence=deadline.recurrence if deadline else None,
        report_to=_report_to(text),
    )


def _inherited(stack: list[_Frame]) -> tuple[str | None, str | None]:
    for frame in reversed(stack):
        if frame.agency:
            return frame.agency, frame.role
    return None, None


# A task table flattened into lines: each item followed by its columns as "label: value" lines
# ("- Cơ quan thực hiện: Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với ...", "- Thời gian thực
# hiện: Quý II/2020"), as law sites print the tables of a programme of action.
_LABELLED = re.compile(
    r"^(?:(?P<who>(?:cơ quan|đơn vị)\s+(?:thực hiện|chủ trì|thực hiện chính|được giao))"
    r"|(?P<when>thời gian(?:\s+thực hiện|\s+hoàn thành)?|thời hạn(?:\s+hoàn thành)?|tiến độ(?:\s+thực hiện)?))"
    r"\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)


def _apply_label(m: re.Match[str], tasks: list[TaskFound], doc_year: int | None) -> None:
    """Give an item's labelled columns to the tasks of that item that lack them."""
    value = m.group("value").strip(" .;")
    if m.group("who"):
        subject = find_subject(value)
        agency = subject.name if subject else value
        for task in tasks:
            if task.agency is None:
                task.agency, task.role = agency, "lead"
                task.coordinators = task.coordinators or _coordinators(value)
    else:
        deadline = parse_time_cell(value, doc_year)
        for task in tasks:
            task.deadline = task.deadline or deadline


def walk(paragraphs: list[Paragraph], doc_year: int | None, issuer: str | None = None) -> list[TaskFound]:
    tasks: list[TaskFound] = []
    stack: list[_Frame] = []
    table: dict[str, int] | None = None
    item_start = 0  # the first task of the current numbered item: labelled columns below it apply to these
    for p in paragraphs:
        if "\t" in p.text or p.kind is None and "\t" in p.text:
            table = _table_row(p, table, tasks, doc_year)
            continue
        table = None
        labelled = _LABELLED.match(p.text.strip())
        if labelled:
            _apply_label(labelled, tasks[item_start:], doc_year)
            continue
        if p.kind in ("roman", "article", "num", "letter", "paren"):
            item_start = len(tasks)
        if _is_closing(p.text) or len(re.findall(r"[^\W\d_]+", p.text)) < 2:
            continue
        if p.kind is not None:
            level = p.level
            while stack and stack[-1].level >= level:
                stack.pop()
        else:
            level = (stack[-1].level + 0.5) if stack else 9.5
        if any(f.swallow for f in stack):
            continue
        if p.kind is not None:
            heading = heading_agency(p.text)
            if (
                heading is not None
                and p.kind not in ("dash", "plus", "bullet")
                or heading is not None
                and len(p.text) < 80
                and p.text.rstrip().endswith(":")
            ):
                stack.append(_Frame(level, heading.name, heading.role))
                rest = p.text.split(":", 1)[1].strip() if ":" in p.text else ""
                if len(rest.split()) > 3:
                    offset = p.text_start + p.text.index(rest[:20])
                    tasks.append(_task(p, rest, offset, heading.name, heading.role, doc_year))
                continue
            if _is_section_heading(p):
                owner = _section_owner(p.text)
                if owner is not None:  # "II. NHIỆM VỤ CHỦ YẾU CỦA BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG"
                    stack.append(_Frame(level, owner, "lead"))
                    continue
                aims = p.text.lower().startswith(tuple(w.lower() for w in vocab.agencies().not_directive))
                stack.append(_Frame(level, None, None, swallow=aims))
                continue
        subject = find_subject(p.text)
        issuer_speaks = subject is not None and is_self(subject.name, issuer)
        if issuer_speaks:
            subject = None  # "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu ...": the issuer speaking, not a task
        if subject is None:
            subject = find_embedded(p.text)
        if subject:
            agency, role = subject.name, subject.role
        elif issuer_speaks:
            agency, role = None, None  # nor a task of the list it closes
        else:
            agency, role = _inherited(stack)
        if p.kind is None and agency and p.text.rstrip().endswith(":"):
            # a plain paragraph that asks someone to do the items below it ("... kính đề nghị Ủy ban nhân dân
            # các tỉnh ... chỉ đạo ..., cụ thể như sau:") heads the whole list, numbered sections included;
            # ending on "như sau:" it is only their heading (gold README, "What counts as a task")
            stack.clear()
            stack.append(_Frame(REQUEST_LEVEL, agency, role))
            if _LIST_FOLLOWS.search(p.text):
                continue
        elif p.kind is not None:
            # an item may have items under it
            frame = _Frame(level, agency, role, swallow=bool(re.search(r"(?:bao gồm|gồm có|gồm)\s*:\s*$", p.text)))
            stack.append(frame)
        body = p.text[subject.end :].strip(" ,") if subject else p.text
        if p.text.rstrip().endswith(":") and _INTRO_ONLY.match(body):
            continue  # "UBND các xã thực hiện các nhiệm vụ sau:" introduces, it is not itself a task
        tasks.append(_task(p, p.text, p.text_start, agency, role, doc_year))
    return tasks


_TABLE_COLUMNS = {
    "text": re.compile(r"nội dung|nhiệm vụ|công việc|hoạt động", re.IGNORECASE),
    "lead": re.compile(r"chủ trì", re.IGNORECASE),
    "coordinators": re.compile(r"phối hợp", re.IGNORECASE),
    "time": re.compile(r"thời gian|thời hạn|tiến độ", re.IGNORECASE),
}


def _table_row(p: Paragraph, columns: dict[str, int] | None, tasks: list[TaskFound], doc_year: int | None):
    """A row of a tab-separated table: the header row sets the columns, later rows are tasks."""
    raw = (p.marker + " " if p.marker else "") + p.text
    cells = [c.strip() for c in raw.split("\t")]
    found: dict[str, int] = {}
    for name, pattern in _TABLE_COLUMNS.items():
        for i, cell in enumerate(cells):
            if len(cell) < 40 and pattern.search(cell) and i not in found.values():
                found[name] = i
                break
    if "lead" in found and "text" in found:
        return found  # a header row
    if columns is None or len(cells) <= max(columns.values()):
        return columns
    text = cells[columns["text"]]
    lead = cells[columns["lead"]]
    if not text or not lead or len(text.split()) < 3:
        return columns
    start = p.start + raw.find(text) if raw.find(text) >= 0 else p.start
    coordinators = split_agencies(cells[columns["coordinators"]]) if "coordinators" in columns else []
    deadline = parse_time_cell(cells[columns["time"]], doc_year) if "time" in columns else None
    tasks.append(
        TaskFound(
            text=text, start=start, end=p.end, agency=lead, role="lead", coordinators=coordinators, deadline=deadline
        )
    )
    return columns


def extract_tasks(zones: Zones, doc_year: int | None, issuer: str | None = None) -> list[TaskFound]:
    """Tasks of the body, and of an annex after the signature: an attached plan read whole, an appendix
    only for its task tables."""
    tasks = walk(zones.paragraphs, doc_year, issuer)
    annex = zones.annex_paragraphs if zones.attached else [p for p in zones.annex_paragraphs if "\t" in p.text]
    return tasks + walk(annex, doc_year, issuer)
