"""HTML input: pages as portals, law sites and converters publish dispatches, through the same layout
stage as every other format.

Real documents: the DOCX originals of dev batch 1 saved as web pages by LibreOffice (read in place from
../shared and converted at test time) must give the record their DOCX gives; snippets of real headers in
the markup portals use (header as a table, lists, chrome around) give the values the gold rules give.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import SHARED, require, require_tool

from parsers import ParseError, read_document
from parsers.html import html_text
from pipeline import record_from_parsed, record_from_text

DEV_FILES = SHARED / "corpus" / "dev" / "files"
DOCX = ["003", "011", "017", "028", "037", "043"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dev DOCX originals saved as HTML by LibreOffice, as a portal's editor would publish them."""
    require(DEV_FILES, "the dev originals")
    soffice = shutil.which("soffice")
    require_tool(soffice is not None, "LibreOffice is not installed: it saves the DOCX as HTML (make install-system)")
    out = tmp_path_factory.mktemp("html")
    for stem in DOCX:
        shutil.copy(DEV_FILES / f"{stem}.docx", out)
    subprocess.run(
        [str(soffice), "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", "html"]
        + [f"{stem}.docx" for stem in DOCX],
        cwd=out,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


@pytest.mark.parametrize("stem", DOCX)
def test_a_docx_saved_as_html_gives_the_same_record(exported: Path, stem: str) -> None:
    page = read_document(exported / f"{stem}.html")
    assert page.format == "html"
    html, docx = record_from_parsed(page), record_from_parsed(read_document(exported / f"{stem}.docx"))
    for name in ("issuer", "number", "symbol", "place", "date", "doc_type", "abstract", "recipients", "signer"):
        assert getattr(html, name) == getattr(docx, name), name
    assert [(t.agency, t.deadline) for t in html.tasks] == [(t.agency, t.deadline) for t in docx.tasks]


# (real snippet as a page lays it out, field, expected value)
HEADER_TABLE = """<html><head><meta charset="utf-8"><title>Công văn</title>
<script>var menu = "Trang chủ";</script><style>.x{color:red}</style></head><body>
<nav><ul><li>Trang chủ</li><li>Văn bản</li></ul></nav>
<div class="breadcrumb">Trang chủ &gt; Văn bản chỉ đạo điều hành</div>
<div class="content-doc"><table><tr><td><b>ỦY BAN NHÂN DÂN<br>HUYỆN PHONG THỔ</b></td>
<td><b>CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập – Tự do – Hạnh phúc</b></td></tr>
<tr><td>Số: 1520/UBND-NN<br>V/v triển khai thực hiện Chỉ thị số 04/CT-UBND ngày 17/4/2024 của UBND tỉnh Lai Châu</td>
<td><i>Phong Thổ, ngày 20 tháng 5 năm 2024</i></td></tr></table>
<p>Kính gửi:</p><ul><li>Thành viên Ban chỉ đạo Chương trình MTQG huyện Phong Thổ, giai đoạn 2021 – 2025;</li>
<li>Đảng ủy, HĐND, UBND các xã.</li></ul>
<p>Thực hiện Chỉ thị số 04/CT-UBND ngày 17/4/2024 của UBND tỉnh Lai Châu, UBND huyện yêu cầu:</p>
<ol><li>Phòng Nông nghiệp và Phát triển nông thôn chủ trì tham mưu kế hoạch, báo cáo trước ngày 30/6/2024.</li>
<li>UBND các xã rà soát, đăng ký xã đạt chuẩn nông thôn mới năm 2024.</li></ol>
<table><tr><td><b><i>Nơi nhận:</i></b><br>- Như trên;<br>- Lưu: VT.</td>
<td><b>TM. ỦY BAN NHÂN DÂN<br>KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH</b><br><br><b>Lò Văn Minh</b></td></tr></table>
</div><footer>Cổng thông tin điện tử huyện Phong Thổ. Bản quyền thuộc UBND huyện.</footer>
<div class="related"><a href="#">Văn bản liên quan: Quyết định 99/QĐ-UBND</a></div></body></html>"""

HEADER_FIELDS = [
    ("issuer", "Ủy ban nhân dân huyện Phong Thổ"),
    ("number", "1520"),
    ("symbol", "UBND-NN"),
    ("place", "Phong Thổ"),
    ("date", "2024-05-20"),
    ("doc_type", "Công văn"),
    ("abstract", "Triển khai thực hiện Chỉ thị số 04/CT-UBND ngày 17/4/2024 của UBND tỉnh Lai Châu"),
]


@pytest.mark.parametrize(("field", "expected"), HEADER_FIELDS)
def test_header_laid_out_as_an_html_table(field: str, expected: str) -> None:
    record = record_from_text(html_text(HEADER_TABLE))
    assert getattr(record, field) == expected


def test_page_chrome_is_dropped_and_lists_keep_their_markers() -> None:
    text = html_text(HEADER_TABLE)
    for chrome in ("var menu", "color:red", "Trang chủ", "Bản quyền", "99/QĐ-UBND"):
        assert chrome not in text
    record = record_from_text(text)
    assert record.recipients == [
        "Thành viên Ban chỉ đạo Chương trình MTQG huyện Phong Thổ, giai đoạn 2021 – 2025",
        "Đảng ủy, HĐND, UBND các xã",
    ]
    assert [(t.agency, t.deadline) for t in record.tasks if t.agency] == [
        ("Phòng Nông nghiệp và Phát triển nông thôn", "2024-06-30"),
        ("UBND các xã", None),
    ]
    assert record.signer.name == "Lò Văn Minh" and record.signer.authority == "KT."


def test_a_task_table_in_html_is_read_row_by_row() -> None:
    page = (
        "<p>UBND huyện giao nhiệm vụ cụ thể như sau:</p><table>"
        "<tr><th>TT</th><th>Nội dung công việc</th><th>Cơ quan chủ trì</th><th>Cơ quan phối hợp</th>"
        "<th>Thời gian hoàn thành</th></tr>"
        "<tr><td>1</td><td>Rà soát, đánh giá các tiêu chí nông thôn mới</td><td>Phòng Nông nghiệp và Môi trường</td>"
        "<td>UBND các xã</td><td>Tháng 6/2025</td></tr></table>"
    )
    text = html_text(page)
    assert "Rà soát, đánh giá các tiêu chí nông thôn mới\tPhòng Nông nghiệp và Môi trường" in text


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese pages wrote it: letters precomposed where the code page has them, tone
    marks as combining characters."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += (base + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return out


def test_a_page_in_a_legacy_code_page_is_decoded_as_it_declares(tmp_path: Path) -> None:
    path = tmp_path / "cv.htm"
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"></head>'
    page += "<body><p>Kính gửi: Sở Công Thương</p></body></html>"
    path.write_bytes(cp1258(page))
    assert "Kính gửi: Sở Công Thương" in read_document(path).text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html><body><nav>Trang ch\xe1\xbb\xa7</nav><script>x()</script></body></html>", "no text could be read"),
        (b"<html>\x00\x00\x00binary", "binary content in an HTML file"),
    ],
)
def test_a_page_without_a_document_is_refused_with_its_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(content)
    with pytest.raises(ParseError, match=reason):
        read_document(path)


FIXTURES = Path(__file__).parent / "fixtures" / "html"


def test_a_law_site_page_keeps_the_document_and_drops_the_site() -> None:
    """vbpl.vn's full-text page (tests/fixtures/html/SOURCES.md): a SharePoint page whose one <form> holds
    menus, tabs, dialogs and the document; the header is two tables, the signer a third."""
    page = read_document(FIXTURES / "vbpl-hien-phap-2013.html")
    lines = page.text.split("\n")
    assert lines[:5] == [
        "QUỐC HỘI",
        "Số: Không số",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 28 tháng 11 năm 2013",
    ]
    assert lines[-3:] == ["Chủ tịch Quốc hội", "(Đã ký)", "Nguyễn Sinh Hùng"]
    for chrome in ("Mục lục văn bản", "Gửi phản hồi", "Tải về", "This div, which you should delete", "__VIEWSTATE"):
        assert chrome not in page.text
    record = record_from_parsed(page)
    assert (record.issuer, record.place, record.date, record.doc_type) == (
        "Quốc hội",
        "Hà Nội",
        "2013-11-28",
        "Hiến pháp",
    )
    assert record.number is None  # "Không số": no number printed


# Shapes of pages that lost text before (review of the reader): (page, what must be read, what must not)
PAGES = [
    (  # Word's "Save as Web Page": the annex is a section of its own after the signature
        "<div class=WordSection1><p>ỦY BAN NHÂN DÂN TỈNH LÀO CAI</p><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>"
        "<p>Kính gửi: Sở Y tế.</p><p>Nơi nhận:</p><p>TM. ỦY BAN NHÂN DÂN</p><p>Nguyễn Văn A</p></div>"
        "<div class=WordSection2><p>PHỤ LỤC</p><table><tr><td>1</td><td>Sở Y tế</td></tr></table></div>",
        ["Nguyễn Văn A", "PHỤ LỤC", "1\tSở Y tế"],
        [],
    ),
    (  # an ASP.NET page's one <form> holding a Party document (no quốc hiệu)
        "<form id=aspnetForm><nav>Trang chủ</nav><div><p>ĐẢNG CỘNG SẢN VIỆT NAM</p><p>Kính gửi: các chi bộ.</p>"
        "<p>Nơi nhận: - Như trên.</p></div></form>",
        ["ĐẢNG CỘNG SẢN VIỆT NAM", "Kính gửi: các chi bộ."],
        ["Trang chủ"],
    ),
    (  # a wrapper whose class names chrome but holds the signature
        "<div><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Kính gửi: Sở Tài chính.</p></div>"
        "<div class='vb-footer'><p>Nơi nhận:</p><p>KT. CHỦ TỊCH</p><p>Trần Văn B</p></div>"
        "<div class='footer'>Bản quyền</div>",
        ["Nơi nhận:", "KT. CHỦ TỊCH", "Trần Văn B"],
        ["Bản quyền"],
    ),
    (  # hidden text, a numbered list that continues, <pre>
        "<p style='display: none'>ẩn đi</p><ol start=3><li>Sở Tài chính</li><li>Sở Nội vụ</li></ol>",
        ["3. Sở Tài chính", "4. Sở Nội vụ"],
        ["ẩn đi"],
    ),
    (  # a task table with an agency over two rows: each row keeps its columns
        "<table><tr><th>TT</th><th>Nội dung</th><th>Cơ quan chủ trì</th><th>Thời gian</th></tr>"
        "<tr><td>1</td><td>Rà soát các tiêu chí</td><td rowspan=2>Sở Y tế</td><td>Quý I/2025</td></tr>"
        "<tr><td>2</td><td>Kiểm tra an toàn thực phẩm</td><td>Quý II/2025</td></tr></table>",
        ["2\tKiểm tra an toàn thực phẩm\tSở Y tế\tQuý II/2025"],
        [],
    ),
]


@pytest.mark.parametrize(("page", "kept", "dropped"), PAGES)
def test_page_shapes(page: str, kept: list[str], dropped: list[str]) -> None:
    text = html_text(page)
    for line in kept:
        assert line in text.split("\n"), (line, text)
    for words in dropped:
        assert words not in text


def test_thousands_of_unclosed_tags_are_read() -> None:
    page = "<p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>" + "<p><font face=Times>Sở Y tế kiểm tra " * 3000
    assert html_text(page).count("Sở Y tế kiểm tra") == 3000


def test_a_utf16_page_with_its_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes("<html><body><p>Kính gửi: Sở Công Thương</p></body></html>".encode("utf-16"))
    assert "Kính gửi: Sở Công Thương" in read_document(path).text
