"""Kính gửi, nơi nhận and the signature block, table style."""

from __future__ import annotations

import pytest

from parsers.normalize import normalize_text
from pipeline import record_from_text


def extract(text: str):
    return record_from_text(normalize_text(text))


RECIPIENTS = [
    (
        "Kính gửi:\n\n- Thành viên Ban chỉ đạo Chương trình MTQG huyện Phong Thổ, giai đoạn 2021 – 2025;\n\n"
        "- UBMTQ Việt Nam huyện và các Đoàn thể;\n- Đảng ủy, HĐND, UBND các xã.\n\nThực hiện Chỉ thị số 04/CT-UBND",
        [
            "Thành viên Ban chỉ đạo Chương trình MTQG huyện Phong Thổ, giai đoạn 2021 – 2025",
            "UBMTQ Việt Nam huyện và các Đoàn thể",
            "Đảng ủy, HĐND, UBND các xã",
        ],
    ),
    ("Kính gửi: Sở Công Thương.\nUỷ ban nhân dân tỉnh nhận được Văn bản số 2265/BCT-ATMT", ["Sở Công Thương"]),
    (
        "Kính gửi: Sở Công thương tỉnh Lào Cai\nSở Nông nghiệp và Môi trường nhận được Công văn số 4170/SCT-CN\n"
        "1. Thông tin về dự án\n- Tên dự án: Cụm công nghiệp Báo Đáp.",
        ["Sở Công thương tỉnh Lào Cai"],
    ),
    # an item wrapped over lines by pdftotext
    (
        "Kính gửi:\n- Các Sở, ngành: Công Thương, Nội vụ, Công\nan tỉnh, Bộ Chỉ huy Quân sự tỉnh;\n- UBND các xã, phường;\n"
        "- Tổ chức, doanh nghiệp hoạt động trong lĩnh\nvực vật liệu nổ công nghiệp.\nCông tác quản lý nhà nước",
        [
            "Các Sở, ngành: Công Thương, Nội vụ, Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh",
            "UBND các xã, phường",
            "Tổ chức, doanh nghiệp hoạt động trong lĩnh vực vật liệu nổ công nghiệp",
        ],
    ),
    # DOCX: label in its own cell, a tab-only line before the list
    (
        "         Kính gửi:\n\t\n- Các sở, ban, ngành thuộc UBND tỉnh;\n- Công an tỉnh.\n\nTrong thời gian qua",
        ["Các sở, ban, ngành thuộc UBND tỉnh", "Công an tỉnh"],
    ),
    ("THÔNG BÁO\nKết luận của Chủ tịch\nNgày 03/01/2025, Chủ tịch chủ trì họp", []),
]


@pytest.mark.parametrize("text, expected", RECIPIENTS)
def test_recipients(text: str, expected: list[str]) -> None:
    record = extract(text)
    assert record.recipients == expected
    for i, name in enumerate(expected):
        span = record.evidence[f"recipients[{i}]"]
        assert name.split()[0] in record.text[span.start : span.end]


SIGNER = [
    ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nCHỦ TỊCH\n\nTrần Bảo Trung", ("Trần Bảo Trung", "Chủ tịch", None)),
    (
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nPhong Vĩnh Cường",
        ("Phong Vĩnh Cường", "Phó Chủ tịch", "KT."),
    ),
    (
        "Nơi nhận:\n- Như trên;\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Tuấn Anh",
        ("Nguyễn Tuấn Anh", "Chủ tịch", "TM."),
    ),
    (
        "Nơi nhận:\n- CT, PCT UBND tỉnh;\n- Lưu: VT, KTTHh5.\n\nTL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\n"
        "PHÓ CHÁNH VĂN PHÒNG\n\nNguyễn Phước Bình",
        ("Nguyễn Phước Bình", "Phó Chánh Văn phòng", "KT."),
    ),
    # DOCX: nơi nhận and signature side by side in one table row
    (
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, KT(Nho).\tKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\n \nNguyễn Thành Sinh",
        ("Nguyễn Thành Sinh", "Phó Chủ tịch", "KT."),
    ),
    # pdftotext -layout: the columns padded with spaces, nơi nhận lines between prefix and position
    (
        "Nơi nhận:                                               KT. CHỦ TỊCH\n- Như trên;\n"
        "- Bộ Nông nghiệp và Môi trường (để báo cáo);            PHÓ CHỦ TỊCH\n- Lưu: VT, KT(Thủy, Nho).\n\n"
        "                                                      Nguyễn Thành Sinh",
        ("Nguyễn Thành Sinh", "Phó Chủ tịch", "KT."),
    ),
    (
        "Nơi nhận:\n- Như trên;\n\nKT. GIÁM ĐỐC\nP. GIÁM ĐỐC\n\nPhạm Bình Minh",
        ("Phạm Bình Minh", "Phó Giám đốc", "KT."),
    ),
    (
        "Nơi nhận:\n- Như trên;\n\nKT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\n\nVương Thành Chung",
        ("Vương Thành Chung", "Phó Cục trưởng", "KT."),
    ),
    ("Văn bản không có chữ ký.", (None, None, None)),
]


@pytest.mark.parametrize("text, expected", SIGNER)
def test_signer(text: str, expected: tuple) -> None:
    signer = extract(text).signer
    assert (signer.name, signer.position, signer.authority) == expected


def test_distribution_list() -> None:
    record = extract(
        "Nơi nhận:\n- Như trên;\n- Chủ tịch, PCT. UBND huyện;\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\n"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nPhong Vĩnh Cường"
    )
    assert record.distribution == ["Như trên", "Chủ tịch, PCT. UBND huyện", "Lưu: VT"]
