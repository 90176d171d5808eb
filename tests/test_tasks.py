"""Tasks, agencies, roles and deadlines, table style, on real sentences."""

from __future__ import annotations

import pytest

from parsers.normalize import normalize_text
from pipeline import record_from_text
from pipeline.agencies import canonical, find_subject, heading_agency, split_agencies
from pipeline.deadlines import find_deadline, parse_time_cell

DEADLINES = [
    ("gửi về UBND huyện (qua phòng Nông nghiệp & PTNT) trước ngày 10/02/2024.", 2024, "2024-02-10"),
    ("và báo cáo Uỷ ban nhân dân tỉnh trước ngày 15/4/2026.", 2026, "2026-04-15"),
    ("trình UBND tỉnh xem xét, quyết định trước ngày 15/9/2025.", 2025, "2025-09-15"),
    ("báo cáo kết quả về Sở Tài chính chậm nhất ngày 30/11/2024.", 2024, "2024-11-30"),
    ("hoàn thành chậm nhất đến ngày 01 tháng 7 năm 2028.", 2026, "2028-07-01"),
    ("hoàn thành đúng thời hạn trước ngày 01 tháng 7 năm 2028 theo quy định", 2026, "2028-07-01"),
    ("xong trước ngày 20/12/2024", 2024, "2024-12-20"),
    ("tổ chức thực hiện trong tháng 10/2024", 2024, "2024-10"),
    ("hoàn thành trong quý III năm 2025", 2025, "2025-09"),
    ("hoàn thành trong quý IV/2026", 2026, "2026-12"),
    ("báo cáo UBND tỉnh trước ngày 15/9.", 2025, "2025-09-15"),  # year from the document's date
    ("để đăng ký với Ban tổ chức Hội nghị trước ngày 07/11/2024.", 2024, "2024-11-07"),
    ("Ngày 29/6/2026, Bộ trưởng Bộ Xây dựng ban hành Quyết định", 2026, None),  # an event, not a deadline
    ("đến trước ngày Luật Phòng cháy, chữa cháy có hiệu lực thi hành", 2026, None),
    ("trong giai đoạn 2021-2025", 2024, None),  # a period
]


@pytest.mark.parametrize("text, year, expected", DEADLINES)
def test_deadline(text: str, year: int, expected: str | None) -> None:
    found = find_deadline(text, year)
    assert (found.iso if found else None) == expected


RECURRENCES = [
    ("báo cáo kết quả thực hiện đột xuất và định kỳ hàng quý về Văn phòng Điều phối NTM huyện", "định kỳ hàng quý"),
    ("Các Sở, ngành, địa phương định kỳ hàng năm (trước ngày 10/12) hoặc đột xuất báo cáo", "định kỳ hàng năm"),
    ("báo cáo trước ngày 30/6 hằng năm", "hằng năm"),
    ("tổng hợp, báo cáo UBND tỉnh hằng tháng", "hằng tháng"),
    ("thường xuyên kiểm tra, đôn đốc", None),  # "regularly" is no schedule
]


@pytest.mark.parametrize("text, recurrence", RECURRENCES)
def test_recurring_duties_have_no_deadline(text: str, recurrence: str | None) -> None:
    found = find_deadline(text, 2025)
    assert found is None or found.iso is None
    assert (found.recurrence if found else None) == recurrence


TIME_CELLS = [
    ("Quý III, IV/2026", "2026-12"),
    ("2024 - 2025", "2025"),
    ("Thường xuyên", None),
    ("Tháng 6/2026", "2026-06"),
    ("Năm 2026", "2026"),
    ("01/01/2030", "2030-01-01"),
    ("Trước 30/5/2026", "2026-05-30"),
]


@pytest.mark.parametrize("cell, expected", TIME_CELLS)
def test_task_table_time_column(cell: str, expected: str | None) -> None:
    assert parse_time_cell(cell, 2026) == expected


SUBJECTS = [
    ("Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính", "Sở Kế hoạch và Đầu tư", "lead"),
    ("Giao Sở Công Thương chủ trì, phối hợp với các cơ quan, đơn vị, địa phương", "Sở Công Thương", "lead"),
    ("Đề nghị Chủ đầu tư tổ chức khảo sát khối lượng cần thực hiện bồi thường", "Chủ đầu tư", "request"),
    ("Sở Xây dựng tăng cường kiểm tra việc sử dụng vật liệu xây dựng", "Sở Xây dựng", "lead"),
    (
        "Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi tiếp thu các ý kiến tại cuộc họp",
        "Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi",
        "lead",
    ),
    ("Các cơ quan, đơn vị gửi danh sách đại biểu tham dự Hội nghị", "Các cơ quan, đơn vị", "lead"),
    ("Uỷ quyền cho Giám đốc Sở Công Thương thực hiện một số nhiệm vụ", "Giám đốc Sở Công Thương", "lead"),
    ("Chủ đầu tư phối hợp với Sở Nông nghiệp và Môi trường", "Chủ đầu tư", "lead"),
    ("Tham mưu UBND huyện kiện toàn Tổ giúp việc Ban chỉ đạo", None, None),  # no subject: the heading's
    ("Tổ chức đánh giá thực trạng 57 tiêu chí thành phần", None, None),  # "Tổ chức" the verb
    ("Ban hành các văn bản chỉ đạo, điều hành Chương trình năm 2024", None, None),  # "Ban hành" the verb
    ("Sở Nông nghiệp và Môi trường nhận được Công văn số 4170/SCT-CN ngày 14/7/2026", None, None),
]


@pytest.mark.parametrize("text, agency, role", SUBJECTS)
def test_subject_agency_and_role(text: str, agency: str | None, role: str | None) -> None:
    subject = find_subject(text)
    assert (subject.name if subject else None, subject.role if subject else None) == (agency, role)


HEADINGS = [
    (
        "Phòng Nông nghiệp và Phát triển nông thôn (Cơ quan thường trực Chương trình MTQG xây dựng Nông thôn mới)",
        "Phòng Nông nghiệp và Phát triển nông thôn",
        "lead",
    ),
    ("Phòng Tài chính - Kế hoạch huyện", "Phòng Tài chính - Kế hoạch huyện", "lead"),
    ("1.3. Phòng Tài chính – Kế hoạch"[5:], "Phòng Tài chính – Kế hoạch", "lead"),
    (
        "Đề nghị Ủy ban Mặt trận Tổ quốc, Hội Nông dân, Đoàn Thanh niên, Hội Liên hiệp phụ nữ các cấp",
        "Ủy ban Mặt trận Tổ quốc, Hội Nông dân, Đoàn Thanh niên, Hội Liên hiệp phụ nữ các cấp",
        "request",
    ),
    ("Chủ tịch UBND các huyện, thị xã, thành phố:", "Chủ tịch UBND các huyện, thị xã, thành phố", "lead"),
    (
        "Trách nhiệm của các tổ chức, doanh nghiệp hoạt động trong lĩnh vực có liên quan đến VLNCN, TCTN",
        "các tổ chức, doanh nghiệp hoạt động trong lĩnh vực có liên quan đến VLNCN, TCTN",
        "lead",
    ),
    (
        "Các thành viên Ban chỉ đạo Chương trình MTQG huyện Phong Thổ, giai đoạn 2021 – 2025 (được giao phụ trách các tiêu chí)",
        "Các thành viên Ban chỉ đạo Chương trình MTQG huyện Phong Thổ, giai đoạn 2021 – 2025",
        "lead",
    ),
    ("Mục đích", None, None),
    ("Công tác tuyên truyền, phổ biến pháp luật về khoáng sản", None, None),
    ("Đối với các xã đã được công nhận đạt chuẩn nông thôn mới", None, None),
]


@pytest.mark.parametrize("text, agency, role", HEADINGS)
def test_heading_agency(text: str, agency: str | None, role: str | None) -> None:
    heading = heading_agency(text)
    assert (heading.name if heading else None, heading.role if heading else None) == (agency, role)


NORMALIZATION = [
    # the same agency written several ways is one agency
    (
        "Phòng Nông nghiệp và PTNT",
        "Ủy ban nhân dân huyện Tam Đường",
        "Phòng Nông nghiệp và Phát triển nông thôn huyện Tam Đường",
    ),
    ("Phòng NN&PTNT", "Ủy ban nhân dân huyện Tam Đường", "Phòng Nông nghiệp và Phát triển nông thôn huyện Tam Đường"),
    (
        "phòng Nông nghiệp & PTNT",
        "Ủy ban nhân dân huyện Tam Đường",
        "Phòng Nông nghiệp và Phát triển nông thôn huyện Tam Đường",
    ),
    (
        "Phòng Tài chính – Kế hoạch huyện",
        "Ủy ban nhân dân huyện Phong Thổ",
        "Phòng Tài chính - Kế hoạch huyện Phong Thổ",
    ),
    ("Phòng TC-KH", "Ủy ban nhân dân huyện Phong Thổ", "Phòng Tài chính - Kế hoạch huyện Phong Thổ"),
    ("Uỷ ban nhân dân các xã", "Ủy ban nhân dân huyện Phong Thổ", "Ủy ban nhân dân các xã"),  # a group stays a group
    ("Các sở, ban, ngành tỉnh", "Ủy ban nhân dân tỉnh Lào Cai", "Các sở, ban, ngành tỉnh"),
    ("Công an tỉnh", "Ủy ban nhân dân tỉnh Lào Cai", "Công an tỉnh Lào Cai"),
    ("Sở Công Thương", "Ủy ban nhân dân tỉnh Lào Cai", "Sở Công Thương tỉnh Lào Cai"),
    ("Sở Công Thương tỉnh Quảng Ngãi", "Ủy ban nhân dân tỉnh Lào Cai", "Sở Công Thương tỉnh Quảng Ngãi"),
    ("UBMTTQ Việt Nam huyện", None, "Ủy ban Mặt trận Tổ quốc Việt Nam huyện"),
]


@pytest.mark.parametrize("printed, issuer, expected", NORMALIZATION)
def test_agency_normalization(printed: str, issuer: str | None, expected: str) -> None:
    assert canonical(normalize_text(printed), issuer).name == expected


def test_case_and_tone_marks_make_one_key() -> None:
    keys = {
        canonical(normalize_text(n), "Ủy ban nhân dân huyện Tam Đường").key
        for n in ("Phòng Nông nghiệp và PTNT", "PHÒNG NÔNG NGHIỆP VÀ PTNT", "Phòng Nông Nghiệp và Phát triển nông thôn")
    }
    assert len(keys) == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Công an tỉnh, các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân dân các xã, phường",
            ["Công an tỉnh", "các sở, ban, ngành, đoàn thể tỉnh", "Ủy ban nhân dân các xã, phường"],
        ),
        ("Sở Nông nghiệp và Môi trường", ["Sở Nông nghiệp và Môi trường"]),
        ("Sở Văn hóa, Thể thao và Du lịch, Sở Y tế", ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]),
    ],
)
def test_split_agencies(text: str, expected: list[str]) -> None:
    assert split_agencies(text) == expected


DISPATCH = """ỦY BAN NHÂN DÂN
HUYỆN TAM ĐƯỜNG
Số: /UBND-NN
Tam Đường, ngày 05 tháng 10 năm 2024
V/v triển khai nhiệm vụ
Kính gửi: Các cơ quan, đơn vị huyện.
Để triển khai thực hiện, Chủ tịch Ủy ban nhân dân huyện yêu cầu các cơ quan, đơn vị thực hiện một số nhiệm vụ sau:
1. Phòng Nông nghiệp và PTNT
- Chủ trì, phối hợp với Phòng Tài chính - Kế hoạch, UBND các xã rà soát các tiêu chí, báo cáo UBND huyện trước ngày 04/11/2024.
- Tổng hợp kết quả thực hiện, báo cáo định kỳ hàng quý về UBND huyện (qua Văn phòng HĐND và UBND huyện).
2. Ủy ban nhân dân các xã thực hiện các nhiệm vụ sau:
- Xây dựng kế hoạch thực hiện trong tháng 10/2024.
3. Đề nghị Ủy ban MTTQ Việt Nam huyện tuyên truyền, vận động Nhân dân tham gia.
4. Giao Phòng Tài chính – Kế hoạch chủ trì thẩm định dự toán, hoàn thành trong quý IV năm 2024.
Chủ tịch UBND huyện yêu cầu Thủ trưởng các cơ quan, đơn vị có liên quan nghiêm túc triển khai thực hiện./.
Nơi nhận:
- Như trên;
- Lưu: VT.
CHỦ TỊCH
Nguyễn Văn An
"""


def test_tasks_of_a_dispatch() -> None:
    record = record_from_text(normalize_text(DISPATCH))
    assigned = [t for t in record.tasks if t.agency]
    got = [(t.agency, t.role, t.text[:30], t.deadline, t.recurrence) for t in assigned]
    assert got == [
        ("Phòng Nông nghiệp và PTNT", "lead", "Chủ trì, phối hợp với Phòng Tà", "2024-11-04", None),
        ("Phòng Nông nghiệp và PTNT", "lead", "Tổng hợp kết quả thực hiện, bá", None, "định kỳ hàng quý"),
        ("Ủy ban nhân dân các xã", "lead", "Xây dựng kế hoạch thực hiện tr", "2024-10", None),
        ("Ủy ban MTTQ Việt Nam huyện", "request", "Đề nghị Ủy ban MTTQ Việt Nam h", None, None),
        ("Phòng Tài chính – Kế hoạch", "lead", "Giao Phòng Tài chính – Kế hoạc", "2024-12", None),
    ]
    # the preamble is kept as general content, with no agency
    assert record.tasks[0].agency is None and record.tasks[0].text.startswith("Để triển khai")
    first = assigned[0]
    assert first.coordinators == ["Phòng Tài chính - Kế hoạch", "UBND các xã"]
    assert [(a.agency, a.role) for a in first.assignments] == [
        ("Phòng Nông nghiệp và Phát triển nông thôn huyện Tam Đường", "lead"),
        ("Phòng Tài chính - Kế hoạch huyện Tam Đường", "coordinate"),
        ("Ủy ban nhân dân các xã", "coordinate"),
    ]
    assert assigned[1].report_to == "UBND huyện (qua Văn phòng HĐND và UBND huyện)"
    # every task keeps its evidence span
    for task in record.tasks:
        assert record.text[task.span.start : task.span.end].endswith(task.text[-10:])


# Rows of the task table of a real provincial plan (dev/files/003.docx: TT / Tên nhiệm vụ / Sở, ngành chủ
# trì tham mưu / Đơn vị phối hợp thực hiện / Thời gian thực hiện): (first words, lead, coordinators, deadline)
PLAN_TABLE_ROWS = [
    (
        "Rà soát, điều chỉnh, cập nhật bổ sung phương án quản lý",
        "Sở Nông nghiệp và Môi trường",
        ["Các Sở, ban, ngành", "các cơ quan, đơn vị, địa phương liên quan"],
        "2026-05",
    ),
    (
        "Tổ chức quán triệt sâu rộng Chỉ thị của Ban Thường vụ",
        "Các Sở, ban, ngành; UBND các xã, phường",
        ["Các Sở, ban, ngành", "các cơ quan, đơn vị, địa phương liên quan"],
        "2026-06",
    ),
]


@pytest.mark.parametrize(("start", "lead", "coordinators", "deadline"), PLAN_TABLE_ROWS)
def test_task_table_columns_give_lead_coordinators_and_deadline(
    start: str, lead: str, coordinators: list[str], deadline: str
) -> None:
    from conftest import SHARED, require

    from pipeline import extract_file

    record = extract_file(require(SHARED / "corpus" / "dev" / "files" / "003.docx", "a plan with a task table"))
    (task,) = [t for t in record.tasks if t.text.startswith(start) and t.agency == lead]
    assert task.coordinators == coordinators and task.deadline == deadline
    coordinating = [a.printed for a in task.assignments if a.role == "coordinate"]
    assert coordinating and set(coordinating) <= set(coordinators)  # a body that also leads keeps its lead


CLOSING = [  # the formula that asks for problems to be reported is not a task (gold README), from four sources
    "Trong quá trình thực hiện, có khó khăn, vướng mắc, kịp thời báo cáo Thường trực Ủy ban nhân dân huyện.",
    "Trong quá trình tổ chức thực hiện, nếu có vướng mắc cần sửa đổi, bổ sung đề nghị các đơn vị báo cáo.",
    "Quá trình thực hiện nếu có khó khăn, vướng mắc các cơ quan, đơn vị, địa phương báo cáo về UBND tỉnh.",
    "Trong quá trình thực hiện nếu có khó khăn, vướng mắc, phải kịp thời báo cáo Ủy ban nhân dân tỉnh.",
]


def closed_with(sentence: str):
    """The dispatch's record with ``sentence`` in place of its closing formula."""
    text = DISPATCH.replace(
        "Chủ tịch UBND huyện yêu cầu Thủ trưởng các cơ quan, đơn vị có liên quan nghiêm túc triển khai thực hiện./.",
        sentence,
    )
    assert sentence in text
    return record_from_text(normalize_text(text))


@pytest.mark.parametrize("closing", CLOSING)
def test_the_report_problems_formula_is_not_a_task(closing: str) -> None:
    record = closed_with(closing)
    assert not [t for t in record.tasks if t.text.startswith(closing[:30])]
    assert len([t for t in record.tasks if t.agency]) == 5  # the dispatch's own five stay


LEAD_AFTER_PROBLEMS = [  # a sentence that gives the problems to an agency to lead is a task (a reviewer's cases)
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, giao Phòng Nội vụ chủ trì tổng hợp, báo cáo UBND "
    "huyện trước ngày 30/11/2024.",
    "Trong quá trình thực hiện, Phòng Văn hóa và Thông tin chủ trì theo dõi, đôn đốc, nếu có khó khăn, vướng "
    "mắc báo cáo UBND huyện.",
]


@pytest.mark.parametrize("sentence", LEAD_AFTER_PROBLEMS)
def test_problems_given_to_an_agency_to_lead_stay_a_task(sentence: str) -> None:
    record = closed_with(sentence)
    assert [t for t in record.tasks if t.text.startswith(sentence[:30]) and t.agency]
