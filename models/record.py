"""The dispatch record: the one definition of what congvan extracts.

The JSON Schema (``congvan schema``) and the SQLite tables (``congvan.store``) are both derived from
these models. Field names follow ``shared/gold/README.md`` so a record can be scored as it is.
Every extracted value keeps the character span of the text it came from, in ``evidence``, keyed by the
field's path (``issuer``, ``signer.name``, ``recipients[2]``); spans index into ``text``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Span(BaseModel):
    """Character offsets [start, end) into the record's normalized text."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0, description="First character (0-based)")
    end: int = Field(ge=0, description="One past the last character")


class Signer(BaseModel):
    """Người ký: the signature block at the foot of the document."""

    name: str | None = Field(None, description="Họ tên người ký (signer's full name)")
    position: str | None = Field(None, description="Chức vụ (position), e.g. 'Phó Chủ tịch'")
    authority: str | None = Field(
        None, description="Thẩm quyền ký: the prefix right above the position (TM., KT., Q., TL., TUQ.), or null"
    )


class Reference(BaseModel):
    """Văn bản được viện dẫn: another numbered document cited in this one."""

    doc_type: str | None = Field(None, description="Loại văn bản of the cited document")
    number_symbol: str = Field(description="Số và ký hiệu as cited, e.g. '04/CT-UBND'")
    date: str | None = Field(None, description="Ngày ban hành, ISO 8601 as far as printed")
    issuer: str | None = Field(None, description="Cơ quan ban hành as printed")
    number: str | None = Field(None, description="Số of the cited document")
    symbol: str | None = Field(None, description="Ký hiệu of the cited document")
    year: int | None = Field(None, description="Year of the cited document (from its symbol or date)")
    key: str | None = Field(None, description="Canonical key (number|symbol folded|year): two spellings, one key")
    span: Span | None = Field(None, description="Where the first full citation stands")
    mentions: list[Span] = Field(default_factory=list, description="Later citations and short mentions of it")


class Assignment(BaseModel):
    """One agency's part in a task, with the agency's canonical name (one name per agency)."""

    agency: str = Field(description="Cơ quan: canonical name (abbreviations expanded, placed in the issuer's area)")
    printed: str = Field(description="The agency as printed in the document")
    key: str = Field(description="Registry key: the canonical name folded (lower case, no diacritics)")
    role: str = Field(description="Vai trò: lead (chủ trì), request (đề nghị) or coordinate (phối hợp)")
    level: str | None = Field(None, description="Cấp: tỉnh, huyện, xã, ... where known")
    is_group: bool = Field(False, description="A group of agencies ('UBND các xã', 'Các sở, ban, ngành')")


class Task(BaseModel):
    """Nhiệm vụ: one directive item and the agency it is assigned to."""

    agency: str | list[str] | None = Field(None, description="Cơ quan chủ trì (lead agency or agencies)")
    text: str = Field(description="Nội dung: the item's text")
    deadline: str | None = Field(None, description="Thời hạn: ISO 8601 as far as stated")
    coordinators: list[str] = Field(default_factory=list, description="Cơ quan phối hợp")
    role: str | None = Field(None, description="Vai trò: lead (chủ trì / thực hiện) or request (đề nghị)")
    recurrence: str | None = Field(
        None, description="Định kỳ: a recurring duty ('định kỳ hàng quý'), instead of a deadline"
    )
    report_to: str | None = Field(None, description="Where the result goes ('báo cáo về ... qua ...')")
    assignments: list[Assignment] = Field(default_factory=list, description="Every agency named, with its role")
    span: Span | None = Field(None, description="Where the item stands")


class Target(BaseModel):
    """Chỉ tiêu: a numeric goal, threshold or budget the document sets."""

    value: float = Field(description="Giá trị")
    total: float | None = Field(None, description="Tổng (the 16 of '07/16'), or null")
    unit: str | None = Field(None, description="Đơn vị")
    text: str = Field(description="The phrase the number stands in")
    kind: str | None = Field(None, description="goal, threshold or budget")
    year: int | None = Field(None, description="Target year where stated ('đến hết năm 2025')")
    span: Span | None = Field(None, description="Where the number and its unit stand")


class DocumentZones(BaseModel):
    """Where the parts of the document lie (Nghị định 30/2020, Điều 8): the spans the layout stage found."""

    header: Span | None = Field(None, description="Phần đầu: from the issuer to trích yếu and Kính gửi")
    body: Span | None = Field(None, description="Nội dung: between the header and Nơi nhận")
    signature: Span | None = Field(None, description="Chữ ký: from the signing authority to the name")
    distribution: Span | None = Field(None, description="Nơi nhận: the label and its entries")
    annex: Span | None = Field(None, description="Phụ lục or a plan issued with the document, after the signature")


class AdminPlacement(BaseModel):
    """Đơn vị hành chính: the issuer's units as printed at the time, and today's (after the 2025 reform)."""

    province: str | None = Field(None, description="Tỉnh / thành phố as printed then ('Tỉnh Yên Bái')")
    district: str | None = Field(None, description="Huyện / quận / thị xã as printed then (abolished in 2025)")
    commune: str | None = Field(None, description="Xã / phường / thị trấn as printed then")
    province_now: str | None = Field(None, description="Tỉnh / thành phố today ('Tỉnh Lào Cai')")
    commune_now: str | None = Field(None, description="Xã / phường today, where the commune is known")
    status: str | None = Field(
        None,
        description="merged, renamed, unchanged, divided (the commune); province merged or province kept; "
        "central (a central body); not named (no unit printed)",
    )


class Source(BaseModel):
    """Where a record came from."""

    path: str = Field(description="Đường dẫn tệp (path of the file as ingested)")
    name: str = Field(description="Tên tệp (file name)")
    sha256: str = Field(description="SHA-256 of the file's bytes")
    format: str = Field(description="Reader used: txt, md, html, docx, pdf, doc")
    pages: int | None = Field(None, description="Số trang (page count), where the format has pages")
    ocr_pages: list[int] = Field(default_factory=list, description="Pages read by OCR")
    warnings: list[str] = Field(default_factory=list, description="What the reader noticed")


class DispatchRecord(BaseModel):
    """Văn bản: one administrative document, as extracted."""

    doc_type: str | None = Field(None, description="Loại văn bản: Công văn, Kế hoạch, Quyết định, ...")
    issuer: str | None = Field(None, description="Cơ quan ban hành (issuing body), written out in full")
    parent_issuer: str | None = Field(None, description="Cơ quan chủ quản (governing body above the issuer)")
    number: str | None = Field(None, description="Số, without leading zeros; null when left blank")
    symbol: str | None = Field(None, description="Ký hiệu, e.g. 'UBND-NN', 'KH-UBND'")
    place: str | None = Field(None, description="Địa danh of the date line")
    date: str | None = Field(None, description="Ngày ban hành, ISO 8601 as far as printed (2024-05-17, 2024-05, 2024)")
    abstract: str | None = Field(None, description="Trích yếu: the V/v text or the title under the type name")
    recipients: list[str] = Field(default_factory=list, description="Kính gửi entries")
    distribution: list[str] = Field(default_factory=list, description="Nơi nhận entries")
    signer: Signer = Field(default_factory=Signer, description="Người ký")
    references: list[Reference] = Field(default_factory=list, description="Văn bản được viện dẫn")
    tasks: list[Task] = Field(default_factory=list, description="Nhiệm vụ được giao")
    targets: list[Target] = Field(default_factory=list, description="Chỉ tiêu")
    evidence: dict[str, Span] = Field(default_factory=dict, description="Span of every extracted value, by field path")
    zones: DocumentZones = Field(default_factory=DocumentZones, description="Where the document's parts lie")
    unit: AdminPlacement = Field(default_factory=AdminPlacement, description="Đơn vị hành chính of the issuer")
    text: str = Field("", description="Nội dung: the normalized text all spans index into")
    source: Source | None = Field(None, description="Tệp nguồn")
    pipeline_version: str = Field(description="Version of the extraction pipeline that made this record")

    def evidence_text(self, field_path: str) -> str | None:
        """The text a field was extracted from, or None if it has no span."""
        span = self.evidence.get(field_path)
        return None if span is None else self.text[span.start : span.end]
