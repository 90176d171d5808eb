"""The Datasette plugin: document pages with highlighted evidence, a dashboard, SQL helpers.

Registered through the ``datasette`` entry point, so any Datasette in this environment loads it.

* ``/-/congvan/document/<id>``: the document's text with every extracted value highlighted and linked
  to the row it came from. Document text is always escaped: a dispatch containing ``<script>`` shows it.
* ``/-/congvan/dashboard``: tasks per agency, deadlines per month, documents per issuer.
* SQL functions for canned queries: ``congvan_fold(text)`` (lower case, no diacritics, đ as d) and
  ``congvan_citation_key(number_symbol)`` ("1487/QĐ-UBND" -> "1487|QDUBND").
"""
from __future__ import annotations

import re

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from congvan import store
from pipeline.agencies import fold_key

KINDS = {  # field path prefix -> (css class, Vietnamese label)
    "issuer": ("hdr", "Cơ quan ban hành"), "parent_issuer": ("hdr", "Cơ quan chủ quản"),
    "number": ("hdr", "Số"), "symbol": ("hdr", "Ký hiệu"), "place": ("hdr", "Địa danh"),
    "date": ("hdr", "Ngày ban hành"), "doc_type": ("hdr", "Loại văn bản"), "abstract": ("hdr", "Trích yếu"),
    "recipients": ("rcp", "Kính gửi"), "distribution": ("rcp", "Nơi nhận"), "signer": ("sig", "Người ký"),
    "tasks": ("task", "Nhiệm vụ"), "references": ("ref", "Viện dẫn"), "targets": ("tgt", "Chỉ tiêu"),
}


def citation_key(number_symbol: str | None) -> str | None:
    """ "1487/QĐ-UBND" (or "14/2022/NQ-HĐND") as the store keys it, so variant spellings match."""
    m = re.match(r"\s*(\d+)\s*(?:/\s*\d{4})?\s*[/-]\s*(.+?)\s*$", number_symbol or "")
    return store.citation_key(m.group(1), re.sub(r"^\d{4}/", "", m.group(2))) if m else None


@hookimpl
def prepare_connection(conn):
    conn.create_function("congvan_fold", 1, lambda text: fold_key(text) if text is not None else None,
                         deterministic=True)
    conn.create_function("congvan_citation_key", 1, citation_key, deterministic=True)


def _database(datasette, name: str | None = None):
    names = [n for n in datasette.databases if n != "_internal"]
    if name and name in names:
        return datasette.get_database(name)
    if not names:
        raise NotFound("no database")
    return datasette.get_database(names[0])


def highlight(text: str, spans: list[dict]) -> Markup:
    """``text`` escaped, with each span wrapped in a <mark> (nested where spans nest) whose label links
    to the span's row. Spans that cross are cut at each other's edges so the HTML stays well formed."""
    bounds = sorted({0, len(text), *[s["start"] for s in spans], *[s["end"] for s in spans]})
    starts_at: dict[int, list[dict]] = {}
    for s in spans:
        starts_at.setdefault(s["start"], []).append(s)
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:]):
        active = sorted((s for s in spans if s["start"] <= a and s["end"] >= b),
                        key=lambda s: (s["start"], -s["end"]))
        for s in active:
            label = ""
            if s["start"] == a and s in starts_at.get(a, []):
                label = f'<a class="tag" href="{escape(s["href"])}">{escape(s["label"])}</a>'
            out.append(f'<mark class="hl hl-{s["css"]}" title="{escape(s["label"])}">{label}')
        out.append(str(escape(text[a:b])))
        out.append("</mark>" * len(active))
    return Markup("".join(out))


async def document_page(datasette, request):
    db = _database(datasette, request.args.get("db"))
    doc_id = int(request.url_vars["id"])
    rows = (await db.execute("select * from documents where id = ?", [doc_id])).rows
    if not rows:
        raise NotFound(f"no document {doc_id}")
    doc = dict(rows[0])
    base = datasette.urls.database(db.name)
    spans: list[dict] = []
    fields: list[dict] = []
    for row in (await db.execute(
            "select id, field, span_start, span_end, text from evidence where document_id = ? order by span_start",
            [doc_id])).rows:
        prefix = re.split(r"[.\[]", row["field"])[0]
        css, label = KINDS.get(prefix, ("hdr", prefix))
        href = f"{base}/evidence/{row['id']}"
        spans.append({"start": row["span_start"], "end": row["span_end"], "css": css, "label": row["field"], "href": href})
        fields.append({"field": row["field"], "label": label, "text": row["text"], "href": href})
    for table, css, label_sql in (("tasks", "task", "coalesce(agency, '')"), ("references", "ref", "number_symbol"),
                                  ("targets", "tgt", "text")):
        for row in (await db.execute(
                f"select id, span_start, span_end, {label_sql} as label from [{table}] where document_id = ? "
                "and span_start is not null", [doc_id])).rows:
            spans.append({"start": row["span_start"], "end": row["span_end"], "css": css,
                          "label": f"{KINDS[table][1]}: {row['label']}"[:80], "href": f"{base}/{table}/{row['id']}"})
    text = doc["text"] or ""
    spans = [s for s in spans if 0 <= s["start"] < s["end"] <= len(text)]
    return Response.html(await datasette.render_template(
        "congvan_document.html",
        {"doc": doc, "body": highlight(text, spans), "fields": fields, "database": db.name,
         "row_url": f"{base}/documents/{doc_id}", "counts": {k: sum(s["css"] == v[0] for s in spans) for k, v in KINDS.items()}},
        request=request,
    ))


async def dashboard(datasette, request):
    db = _database(datasette, request.args.get("db"))
    queries = {
        "Nhiệm vụ theo cơ quan (tasks per agency)": (
            "select agency as label, count(*) as n from assignments where role != 'coordinate' "
            "group by agency order by n desc limit 20", "assignments", "agency"),
        "Hạn xử lý theo tháng (deadlines per month)": (
            "select substr(due_date, 1, 7) as label, count(*) as n from deadlines group by label order by label",
            None, None),
        "Văn bản theo cơ quan ban hành (documents per issuer)": (
            "select coalesce(issuer, '(không rõ)') as label, count(*) as n from documents group by issuer "
            "order by n desc limit 20", "documents", "issuer"),
    }
    charts = []
    base = datasette.urls.database(db.name)
    for title, (sql, table, column) in queries.items():
        rows = [dict(r) for r in (await db.execute(sql)).rows]
        top = max([r["n"] for r in rows] or [1])
        for r in rows:
            r["width"] = round(100 * r["n"] / top, 1)
            r["href"] = f"{base}/{table}?{column}={r['label']}" if table else None
        charts.append({"title": title, "rows": rows})
    return Response.html(await datasette.render_template(
        "congvan_dashboard.html", {"charts": charts, "database": db.name}, request=request))


@hookimpl
def register_routes():
    return [
        (r"^/-/congvan/document/(?P<id>\d+)$", document_page),
        (r"^/-/congvan/dashboard$", dashboard),
    ]


@hookimpl
def menu_links(datasette, actor):
    return [{"href": datasette.urls.path("/-/congvan/dashboard"), "label": "Bảng tổng hợp (dashboard)"}]


@hookimpl
def render_cell(value, column, table, database, datasette, row):
    """Document titles link to the highlighted document page."""
    if table == "documents" and column == "title" and row is not None and "id" in row.keys():
        href = datasette.urls.path(f"/-/congvan/document/{row['id']}?db={database}")
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    return None
