"""Datasette metadata for the archive: every table and column described, from the models."""

from __future__ import annotations

from typing import Any

from models import AdminPlacement, Assignment, DispatchRecord, Signer, Source
from models.schema import descriptions, list_models

from . import store

TABLE_DESCRIPTIONS = {
    "documents": "Văn bản: one row per ingested file, with its header and signer; a file holding the same "
    "document as an earlier one points at it (copy_of), and views and queries count the document once",
    "document_texts": "Nội dung: the full text of each document, searchable with or without diacritics",
    "recipients": "Kính gửi: the addressees of each document",
    "distribution": "Nơi nhận: the distribution list of each document",
    "references": "Văn bản được viện dẫn: documents cited by each document",
    "tasks": "Nhiệm vụ: directive items and the agencies they are assigned to",
    "targets": "Chỉ tiêu: numeric goals, thresholds and budgets",
    "evidence": "Căn cứ trích xuất: the span of text every extracted value came from",
    "errors": "Lỗi: files that could not be read, with the reason",
    "agencies": "Cơ quan: one row per agency, whatever the spelling (abbreviations expanded, placed in the issuer's area)",
    "task_agencies": "Phân công: which agency takes which part (lead, request, coordinate) in which task",
    "deadlines": "Thời hạn: the deadline of each task, with the last day it allows",
    "assignments": "Giao việc: every assignment with agency, role, task, deadline and the document it comes from",
    "open_deadlines": "Hạn xử lý: tasks with a deadline, soonest first, marked open or overdue (as of today)",
    "citations": "Viện dẫn: every citation, with the cited document where the archive holds it",
    "target_list": "Chỉ tiêu: every numeric target with the document that sets it",
    "admin_units": "Đơn vị hành chính: each unit an issuer or agency was placed in as printed then, with today's "
    "(the 2025 reform: 34 provinces, no district level) and how it changed",
    "documents_by_unit": "Văn bản theo đơn vị hành chính: each document with its issuer's units then and now",
}

EXTRA_COLUMNS = {
    "id": "Row id",
    "title": "Tên văn bản: type with số/ký hiệu, the label of the document",
    "year": "Năm ban hành (year of the date)",
    "ingested_at": "When the row was written (UTC)",
    "ocr_pages": "Pages read by OCR (JSON list)",
    "warnings": "What the reader noticed (JSON list)",
    "document_id": "Văn bản (the document this row belongs to)",
    "position": "Order within the document",
    "name": "Tên (entry as printed)",
    "span_start": "Evidence span: first character in the document text",
    "span_end": "Evidence span: one past the last character",
    "field": "Field path of the extracted value (issuer, signer.name, recipients[0], ...)",
    "path": "Đường dẫn tệp (path of the file)",
    "sha256": "SHA-256 of the file's bytes",
    "reason": "Why the file could not be read",
    "failed_at": "When it failed (UTC)",
    "text": "Text",
    "copy_key": "Issuer, số / ký hiệu and date folded: files with the same key hold one document",
    "text_key": "Hash of the text's words: files with the same words hold one document",
    "draft_key": "Issuer, ký hiệu and trích yếu folded: a draft and the document signed from it share it",
    "copy_of": "Bản sao của: the first file of the same document (empty for that first file)",
    "draft_of": "Dự thảo của: the signed document this draft (số left blank) became",
    "search_text": "Title, issuer, trích yếu and text with đ written d: what full-text search reads",
    "task_id": "Nhiệm vụ (the task)",
    "agency_id": "Cơ quan (the agency)",
    "role": "Vai trò: lead (chủ trì), request (đề nghị) or coordinate (phối hợp)",
    "printed": "The agency as printed in the document",
    "deadline": "Thời hạn as stated (ISO 8601, as far as stated)",
    "due_date": "Last day the deadline allows (end of the month or year for a month or a year)",
    "agency": "Cơ quan (canonical name)",
    "task": "Nội dung nhiệm vụ (the task's text)",
    "recurrence": "Định kỳ: a recurring duty instead of a deadline",
    "report_to": "Where the result goes ('báo cáo về ... qua ...')",
    "document": "Văn bản (type and số/ký hiệu)",
    "number": "Số of the document",
    "symbol": "Ký hiệu of the document",
    "document_date": "Ngày ban hành of the document",
    "issuer": "Cơ quan ban hành of the document",
    "agency_as_printed": "The agency as printed in the document",
    "status": "open, or overdue when the last allowed day has passed",
    "citation_key": "Số and ký hiệu folded (number|SYMBOL): how citations find this document",
    "cited_document_id": "Văn bản được viện dẫn (the cited document, where it is in the archive)",
    "citing_document_id": "Văn bản viện dẫn (the citing document)",
    "citing_document": "Văn bản viện dẫn (type and số/ký hiệu)",
    "citing_date": "Ngày ban hành of the citing document",
    "number_symbol": "Số và ký hiệu as cited",
    "cited_type": "Loại văn bản of the cited document, as cited",
    "cited_date": "Ngày ban hành of the cited document, as cited",
    "cited_document": "The cited document, where the archive holds it",
    "cited_issuer": "Issuer of the cited document, where the archive holds it",
    "value": "Giá trị",
    "total": "Tổng (the 16 of '07/16')",
    "unit": "Đơn vị",
    "assigned_via": "Giao qua nhóm: the group the task was given to (empty when given to the agency itself)",
    "kind": "Loại cơ quan (so, ban, phong, ubnd-huyen, ubnd-xa) or, for targets, goal, threshold or budget",
    "kinds": "The kinds of body a group holds ('so,ban' for 'Các sở, ban, ngành')",
    "area": "Đơn vị hành chính the name places the agency in (folded: 'tinh lao cai')",
    "issuer_area": "Đơn vị hành chính of the issuer (folded): a group's members are the bodies of this unit",
    "unit_id": "Đơn vị hành chính (the unit the name or the issuer is placed in, then and now)",
    "province": "Tỉnh / thành phố as printed then",
    "district": "Huyện / quận / thị xã as printed then (abolished in 2025)",
    "commune": "Xã / phường / thị trấn as printed then",
    "province_now": "Tỉnh / thành phố today (after the 2025 reform)",
    "commune_now": "Xã / phường today",
    "unit_status": "How the unit changed: merged, renamed, unchanged, divided; province merged or kept",
    "tasks": "Số nhiệm vụ (number of tasks)",
    "snippet": "Đoạn văn chứa từ tìm (the passage holding the words searched)",
    "reference_id": "Viện dẫn (the citation's row)",
}


# Canned queries: the questions auditors ask. congvan_fold() and congvan_citation_key() come from the
# congvan Datasette plugin (congvan.web), so "phong tai chinh" finds "Phòng Tài chính - Kế hoạch".
QUERIES: dict[str, dict[str, Any]] = {
    "search_documents": {
        "title": "Tìm văn bản theo nội dung (full-text search)",
        "description": 'Gõ từ cần tìm, có dấu hay không dấu ("dang uy" tìm ra "Đảng ủy"). Văn bản có đủ cụm từ '
        'đứng liền nhau xếp trước, rồi theo mức liên quan; đặt cụm từ trong ngoặc kép ("đảng ủy xã") để chỉ '
        "tìm đúng cụm đó. Words with or without diacritics; documents holding the phrase come first.",
        # the index ranks the phrase's hits (bm25) and stops at 100; the words' hits are ranked only for
        # the rows the phrase leaves free. Ranking every hit of two common words took a quarter of a second
        # at 100,000 documents. The snippet is made for the rows shown
        "sql": """with copies as (select id from documents where copy_of is not null),
phrase as (
  select rowid as id, rank from document_texts_fts
  where document_texts_fts match congvan_fts_phrase(:q) and rowid not in copies
  order by rank limit 100),
words as (
  select rowid as id, rank from document_texts_fts
  where document_texts_fts match congvan_fts_query(:q) and rowid not in (select id from phrase) and rowid not in copies
  order by rank limit (select 100 - count(*) from phrase)),
ranked as (
  select id, 1 as phrase_match, rank from phrase union all select id, 0, rank from words)
select d.id as document_id, d.title as document, d.date as document_date, d.issuer as issuer,
       congvan_snippet(t.text, :q) as snippet
from ranked join documents d on d.id = ranked.id join document_texts t on t.document_id = ranked.id
order by ranked.phrase_match desc, ranked.rank""",
    },
    "agency_tasks": {
        "title": "Nhiệm vụ của một cơ quan (all tasks of one agency)",
        "description": 'Mọi việc giao cho một cơ quan: gõ tên như thường viết ("Sở NN&MT", "UBND tỉnh Quảng Ngãi", '
        '"nông nghiệp môi trường Lào Cai"), có dấu hay không. Every assignment of an agency whose name holds '
        "all the words typed (abbreviations expanded).",
        # the few hundred agencies are matched first (a Python function per agency, not per assignment);
        # the first 1,000 of their assignments (what Datasette shows) are chosen from covering indexes on
        # task_agencies (a group's in the issuing unit of its member: agency_id, issuer_area), and only
        # those are joined to their tasks and documents
        "sql": """with typed as (select id, kind, area from agencies where congvan_agency_match(agency, :agency)),
direct as (
  select id, null as via, due_date, document_date from task_agencies
  where agency_id in (select id from typed)
    and document_id not in (select id from documents where copy_of is not null)),
member as (select distinct kind, area from typed where kind != '' and area != ''),
groups as (
  select distinct g.id, g.agency, m.area from agencies g join member m
  on g.is_group and g.kinds != '' and instr(',' || g.kinds || ',', ',' || m.kind || ',') > 0),
grouped as (
  select ta.id, groups.agency as via, ta.due_date, ta.document_date
  from groups
  join task_agencies ta on ta.agency_id = groups.id and ta.issuer_area = groups.area
  where ta.document_id not in (select id from documents where copy_of is not null)),
chosen as (
  select id, via from (select * from direct union all select * from grouped)
  order by due_date is null, due_date, document_date
  limit 1000)
select a.agency as agency, ta.role as role, chosen.via as assigned_via, t.text as task, t.deadline as deadline,
       ta.due_date as due_date, t.recurrence as recurrence, d.title as document, d.date as document_date,
       d.issuer as issuer, d.id as document_id, t.id as task_id
from chosen
join task_agencies ta on ta.id = chosen.id
join agencies a on a.id = ta.agency_id
join tasks t on t.id = ta.task_id
join documents d on d.id = ta.document_id
order by ta.due_date is null, ta.due_date, ta.document_date""",
    },
    "deadlines_between": {
        "title": "Hạn xử lý trong khoảng ngày (deadlines in a date range)",
        "description": "Nhiệm vụ có hạn trong khoảng hai ngày: gõ 01/01/2025 và 30/06/2025 (hoặc 2025-01-01, "
        "06/2025). Tasks whose deadline falls between two dates.",
        "sql": """select due_date, deadline, status, agency, task, document, issuer, document_id, task_id
from open_deadlines where :start != '' and :end != '' and due_date between :start and :end order by due_date""",
    },
    "overdue_as_of": {
        "title": "Nhiệm vụ quá hạn tính đến ngày (overdue tasks as of a date)",
        "description": "Nhiệm vụ mà ngày cuối cùng được phép đã qua trước ngày gõ vào, ví dụ 30/06/2025. "
        "Tasks whose last allowed day is before the date given.",
        "sql": """select due_date, deadline, agency, task, document, issuer, document_id, task_id,
       cast(julianday(:as_of) - julianday(due_date) as integer) as days_overdue
from open_deadlines where :as_of != '' and due_date < :as_of order by due_date""",
    },
    "documents_citing": {
        "title": "Văn bản viện dẫn một số hiệu (documents citing a given số hiệu)",
        "description": 'Văn bản nhắc tới một số hiệu, gõ như trong văn bản: "Quyết định số 05/2025/QĐ-UBND" hay '
        '"1487/QĐ-UBND" (năm ghi kèm thì chỉ lấy năm đó). Documents that cite a number and symbol.',
        "sql": """select c.citing_document_id as document_id, c.citing_document, c.citing_date, c.number_symbol,
       c.cited_date, c.cited_document_id, c.cited_document, r.id as reference_id
from citations c join [references] r on r.id = c.id
where r.citation_key = congvan_citation_key(:number_symbol)
  and (congvan_citation_year(:number_symbol) is null or r.year is null
       or r.year = congvan_citation_year(:number_symbol))
order by c.citing_date""",
    },
    "now_in_province": {
        "title": "Văn bản và nhiệm vụ của nơi nay là một tỉnh (documents of what is now a province)",
        "description": 'Gõ tên tỉnh hôm nay ("Lào Cai"): mọi văn bản do cơ quan ở các tỉnh, huyện, xã nay thuộc tỉnh '
        "đó ban hành, kể cả trước năm 2025 (Yên Bái nay thuộc Lào Cai), với số nhiệm vụ. Documents whose issuer "
        "stands in what is now the province typed, before and after the 2025 reform.",
        "sql": """select d.id as document_id, d.title as document, d.date as document_date, d.issuer as issuer,
       u.province as province, u.district as district, u.province_now as province_now, u.status as unit_status,
       (select count(*) from tasks t where t.document_id = d.id) as tasks
from admin_units u join documents d on d.unit_id = u.id and d.copy_of is null
where congvan_agency_match(u.province_now, :province)
order by d.date desc""",
    },
    "former_district": {
        "title": "Văn bản do cơ quan cấp huyện cũ ban hành (documents issued in a former district)",
        "description": 'Gõ tên huyện cũ ("Phong Thổ"): mọi văn bản do UBND huyện và các phòng, ban của huyện đó ban '
        "hành, với nơi nay thuộc về. Everything issued by the district's bodies, with today's unit.",
        "sql": """select d.id as document_id, d.title as document, d.date as document_date, d.issuer as issuer,
       u.district as district, u.province as province, u.province_now as province_now, u.commune_now as commune_now
from admin_units u join documents d on d.unit_id = u.id and d.copy_of is null
where congvan_agency_match(u.district, :district)
order by d.date desc""",
    },
    "targets_by_year_and_unit": {
        "title": "Chỉ tiêu theo năm và đơn vị (targets by year and unit)",
        "description": "Targets for a target year and a unit (leave one empty for all).",
        "sql": """select year, unit, kind, value, total, text, document, issuer, document_id
from target_list
where (:year = '' or year = cast(:year as integer)) and (:unit = '' or unit = :unit)
order by year, unit, value desc""",
    },
    "documents_by_issuer_and_month": {
        "title": "Văn bản theo cơ quan ban hành và tháng (documents by issuer and month)",
        "description": "Văn bản của một cơ quan (gõ tên như thường viết) ban hành trong một tháng (06/2025).",
        # the month narrows through the date index before the issuer is matched
        "sql": """select id as document_id, title as document, date, issuer, abstract from documents
where :month != '' and date >= :month || '-01' and date < :month || '-99' and copy_of is null
  and congvan_agency_match(issuer, :issuer)
order by date""",
    },
}


def metadata(database: str = "congvan") -> dict[str, Any]:
    """Datasette metadata for a database named ``database`` (Datasette names it after the file)."""
    doc_columns = EXTRA_COLUMNS | descriptions(DispatchRecord) | descriptions(Signer, "signer_") | descriptions(Source)
    tables: dict[str, Any] = {
        "documents": {
            "description": TABLE_DESCRIPTIONS["documents"],
            "label_column": "title",
            "sort_desc": "date",
            "facets": ["doc_type", "issuer", "year", "signer_position"],
            "fts_table": f"{store.TEXTS}_fts",
            "fts_pk": "id",
            "columns": {c: doc_columns.get(c, "") for c in store.document_columns()},
        },
        store.TEXTS: {
            "description": TABLE_DESCRIPTIONS[store.TEXTS],
            "columns": {c: EXTRA_COLUMNS.get(c, doc_columns.get(c, "")) for c in store.TEXT_COLUMNS},
        },
        "errors": {
            "description": TABLE_DESCRIPTIONS["errors"],
            "sort_desc": "failed_at",
            "columns": {c: EXTRA_COLUMNS[c] for c in ("path", "name", "sha256", "reason", "failed_at")},
        },
        "evidence": {
            "description": TABLE_DESCRIPTIONS["evidence"],
            "facets": ["field"],
            "columns": {c: EXTRA_COLUMNS[c] for c in ("id", "document_id", "field", "span_start", "span_end", "text")},
        },
    }
    for table in store.LIST_TABLES.values():
        tables[table] = {
            "description": TABLE_DESCRIPTIONS[table],
            "facets": ["name"],
            "columns": {
                c: EXTRA_COLUMNS[c] for c in ("id", "document_id", "position", "name", "span_start", "span_end")
            },
        }
    tables["agencies"] = {
        "description": TABLE_DESCRIPTIONS["agencies"],
        "label_column": "agency",
        "sort": "agency",
        "facets": ["level", "is_group"],
        "columns": {"id": EXTRA_COLUMNS["id"]}
        | {k: v for k, v in descriptions(Assignment).items() if k not in ("printed", "role")}
        | {k: EXTRA_COLUMNS[k] for k in store.AGENCY_PLACES},
    }
    tables["task_agencies"] = {
        "description": TABLE_DESCRIPTIONS["task_agencies"],
        "facets": ["role"],
        "columns": {
            c: EXTRA_COLUMNS[c]
            for c in (
                "id",
                "task_id",
                "agency_id",
                "document_id",
                "role",
                "printed",
                "due_date",
                "document_date",
                "issuer_area",
            )
        },
    }
    tables["deadlines"] = {
        "description": TABLE_DESCRIPTIONS["deadlines"],
        "sort": "due_date",
        "columns": {c: EXTRA_COLUMNS[c] for c in ("id", "task_id", "document_id", "deadline", "due_date")},
    }
    tables["assignments"] = {
        "description": TABLE_DESCRIPTIONS["assignments"],
        "facets": ["agency", "role", "issuer"],
        "columns": {
            c: EXTRA_COLUMNS.get(c, "")
            for c in (
                "id",
                "agency",
                "role",
                "task",
                "deadline",
                "due_date",
                "recurrence",
                "report_to",
                "document",
                "number",
                "symbol",
                "document_date",
                "issuer",
                "document_id",
                "task_id",
                "agency_as_printed",
            )
        },
    }
    tables["open_deadlines"] = {
        "description": TABLE_DESCRIPTIONS["open_deadlines"],
        "facets": ["status", "agency"],
        "columns": {
            c: EXTRA_COLUMNS.get(c, "")
            for c in (
                "due_date",
                "deadline",
                "status",
                "agency",
                "task",
                "document",
                "issuer",
                "document_date",
                "document_id",
                "task_id",
            )
        },
    }
    tables["citations"] = {
        "description": TABLE_DESCRIPTIONS["citations"],
        "facets": ["cited_type"],
        "columns": {
            c: EXTRA_COLUMNS.get(c, "")
            for c in (
                "id",
                "citing_document_id",
                "citing_document",
                "citing_date",
                "number_symbol",
                "cited_type",
                "cited_date",
                "cited_document_id",
                "cited_document",
                "cited_issuer",
            )
        },
    }
    tables["admin_units"] = {
        "description": TABLE_DESCRIPTIONS["admin_units"],
        "label_column": "province",
        "facets": ["province_now", "status"],
        "columns": {"id": EXTRA_COLUMNS["id"], "key": "The unit's names folded: how two spellings are one unit"}
        | {k: v for k, v in descriptions(AdminPlacement).items()},
    }
    tables["documents_by_unit"] = {
        "description": TABLE_DESCRIPTIONS["documents_by_unit"],
        "facets": ["province_now", "province", "district"],
        "columns": {
            c: EXTRA_COLUMNS.get(c, "")
            for c in (
                "document_id",
                "document",
                "document_date",
                "issuer",
                "province_now",
                "commune_now",
                "province",
                "district",
                "commune",
                "unit_status",
            )
        },
    }
    tables["target_list"] = {
        "description": TABLE_DESCRIPTIONS["target_list"],
        "facets": ["unit", "kind", "year"],
        "columns": {
            c: EXTRA_COLUMNS.get(c, "")
            for c in (
                "id",
                "value",
                "total",
                "unit",
                "kind",
                "year",
                "text",
                "document",
                "issuer",
                "document_date",
                "document_id",
            )
        }
        | {"year": "Năm mục tiêu (target year, where stated)"},
    }
    for name, model in list_models(DispatchRecord).items():
        cols = EXTRA_COLUMNS | descriptions(model)
        tables[name] = {
            "description": TABLE_DESCRIPTIONS[name],
            "columns": {c: cols.get(c, "") for c in store.child_columns(model)},
        }
    tables["tasks"]["label_column"] = "text"
    tables["tasks"]["facets"] = ["role", "agency"]
    summary_columns = {
        "agency_id": "Mã cơ quan (agencies.id)",
        "agency": "Cơ quan (agency)",
        "due_date": "Hạn xử lý (due date)",
        "month": "Tháng của hạn xử lý (month of the due date)",
        "issuer": "Cơ quan ban hành (issuer)",
        "n": "Số lượng, mỗi văn bản một lần (count, each document once)",
    }
    for name in store.SUMMARIES:  # the dashboard's counts (store.refresh_summaries), not a table to browse
        tables[name] = {
            "hidden": True,
            "description": "Số đếm cho trang tổng quan, tính lại sau mỗi lần nạp (the dashboard's counts, "
            "recounted at the end of every ingest)",
            "columns": summary_columns,
        }
    return {
        "title": "congvan: Vietnamese state dispatches",
        "description": "Công văn, kế hoạch, chỉ thị, quyết định and thông báo turned into structured, traceable records.",
        "license": "GPL-3.0-or-later",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }
