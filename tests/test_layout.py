"""The layout stage: the pipeline's components declare what they read and assign, and the zones they
find are the one body every extractor reads (real seed documents and real snippets)."""

from __future__ import annotations

import pytest
from conftest import CORPUS

from pipeline import nlp, record_from_text
from pipeline.extract import run
from pipeline.layout import Zones

SEEDS = sorted(CORPUS.glob("*.txt"))


def test_every_component_declares_what_it_reads_and_assigns() -> None:
    pipeline = nlp()
    analysis = pipeline.analyze_pipes(pretty=False)
    assert not any(analysis["problems"].values()), analysis["problems"]
    for name in pipeline.pipe_names:
        meta = pipeline.get_pipe_meta(name)
        assert meta.assigns, f"{name} assigns nothing"
        if name != "congvan_lines":
            assert meta.requires, f"{name} reads nothing declared"


def test_a_component_out_of_order_is_reported() -> None:
    """spaCy checks the order from requires/assigns: tasks before the zones is a problem it names."""
    import spacy

    pipeline = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    pipeline.add_pipe("congvan_lines")
    pipeline.add_pipe("congvan_tasks")
    problems = pipeline.analyze_pipes(pretty=False)["problems"]
    assert "doc._.cv_zones" in problems["congvan_tasks"]


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_tasks_and_targets_lie_in_the_body_or_an_annex(path) -> None:
    record = record_from_text(path.read_text(encoding="utf-8"))
    zones = record.zones
    assert zones.header is not None and zones.body is not None
    assert zones.header.end < zones.body.start
    inside = [(zones.body.start, zones.body.end)]
    if zones.annex is not None:
        inside.append((zones.annex.start, zones.annex.end))
    for item in [*record.tasks, *record.targets]:
        assert item.span is not None
        assert any(a <= item.span.start < b for a, b in inside), item.text
    for name, span in record.evidence.items():
        if name.startswith("distribution["):
            assert zones.distribution is not None and zones.distribution.start <= span.start


# (real snippet, the body's first words, the annex read whole or not)
ZONES = [
    (  # Kính gửi list: the body starts after its last entry
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 1520/UBND-NLN\nLào Cai, ngày 12 tháng 5 năm 2025\n"
        "V/v tăng cường công tác phòng cháy rừng\nKính gửi:\n- Sở Nông nghiệp và Môi trường;\n"
        "- UBND các huyện, thị xã, thành phố.\n"
        "Để chủ động phòng cháy, chữa cháy rừng, UBND tỉnh yêu cầu:\n"
        "1. Sở Nông nghiệp và Môi trường chủ trì kiểm tra các khu rừng.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Thành Sinh\n",
        "Để chủ động phòng cháy",
        False,
    ),
    (  # a decision whose plan is issued with it: the plan after the signature is read whole
        "ỦY BAN NHÂN DÂN\nHUYỆN BẢO THẮNG\nSố: 435/QĐ-UBND\nBảo Thắng, ngày 03 tháng 3 năm 2023\n"
        "QUYẾT ĐỊNH\nBan hành Kế hoạch thực hiện Chương trình chuyển đổi số năm 2023\n"
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện Chương trình.\n"
        "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\nCHỦ TỊCH\nTrần Văn Hùng\n"
        "KẾ HOẠCH\n(Ban hành kèm theo Quyết định số 435/QĐ-UBND ngày 03/3/2023 của UBND huyện)\n"
        "1. Phòng Văn hóa và Thông tin chủ trì hướng dẫn chuyển đổi số.\n",
        "Điều 1. Ban hành kèm theo",
        True,
    ),
]


@pytest.mark.parametrize(("text", "body_starts", "attached"), ZONES)
def test_zones_of_real_layouts(text: str, body_starts: str, attached: bool) -> None:
    doc = run(text)
    zones: Zones = doc._.cv_zones
    assert text[zones.body_start :].startswith(body_starts)
    assert text[zones.body_end :].startswith("Nơi nhận")
    assert zones.attached is attached
    record = record_from_text(text)
    if attached:  # the plan's item is a task, read from the annex
        assert any(t.agency == "Phòng Văn hóa và Thông tin" for t in record.tasks)


def test_a_plan_after_the_signature_is_an_annex_not_the_header() -> None:
    """A công văn sending a plan: the plan's title below the signature does not become the document's
    type or trích yếu, nor push the header over the dispatch's own items."""
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 1520/UBND-NLN\nV/v triển khai kế hoạch phòng cháy rừng\n"
        "Lào Cai, ngày 12 tháng 5 năm 2025\nKính gửi: Sở Nông nghiệp và Môi trường.\n"
        "1. Sở Nông nghiệp và Môi trường chủ trì kiểm tra các khu rừng, báo cáo trước ngày 30/6/2025.\n"
        "2. Công an tỉnh phối hợp tuần tra.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Thành Sinh\n\n"
        "KẾ HOẠCH\nPhòng cháy, chữa cháy rừng năm 2025\n(Ban hành kèm theo Công văn số 1520/UBND-NLN)\n"
        "1. Ủy ban nhân dân các xã tổ chức trực 24/24 giờ.\n"
    )
    record = record_from_text(text)
    assert (record.doc_type, record.abstract) == ("Công văn", "Triển khai kế hoạch phòng cháy rừng")
    assert [(t.agency, t.deadline) for t in record.tasks if t.agency] == [
        ("Sở Nông nghiệp và Môi trường", "2025-06-30"),
        ("Công an tỉnh", None),
        ("Ủy ban nhân dân các xã", None),
    ]
    zones = record.zones
    assert zones.body and text[zones.body.start : zones.body.end].endswith("phối hợp tuần tra.")
    assert zones.signature and text[zones.signature.start : zones.signature.end] == (
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Thành Sinh"
    )
    assert zones.distribution and text[zones.distribution.start : zones.distribution.end].endswith("Lưu: VT.")
    assert zones.annex and text[zones.annex.start :].startswith("KẾ HOẠCH")  # the blank line is not the annex


# A numbered paragraph typed "1.<tab>text" in Word (python-docx keeps the tab): a list marker, not a table
TAB_MARKERS = "I.\tNHIỆM VỤ\n1.\tSở Y tế:\na)\tChủ trì kiểm tra an toàn thực phẩm, báo cáo trước ngày 30/6/2024.\n"


def test_a_marker_followed_by_a_tab_is_a_marker() -> None:
    record = record_from_text(TAB_MARKERS)
    assert [(t.agency, t.deadline) for t in record.tasks if t.agency] == [("Sở Y tế", "2024-06-30")]
