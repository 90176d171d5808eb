"""The Datasette plugin: document pages with highlighted evidence, a dashboard, SQL helpers.

Registered through the ``datasette`` entry point, so any Datasette in this environment loads it.

* ``/-/congvan/document/<id>``: the document's text with every extracted value highlighted and linked
  to the row it came from. Document text is always escaped: a dispatch containing ``<script>`` shows it.
* ``/-/congvan/dashboard``: tasks per agency, deadlines per month, documents per issuer.
* SQL functions for canned queries: ``congvan_fold(text)`` (lower case, no diacritics, đ as d) and
  ``congvan_citation_key(number_symbol)`` ("1487/QĐ-UBND" -> "1487|QDUBND").
* ``/-/login``: the auditors' login (``congvan.auth``), where ``serve`` configured a password hash.

Every page of the plugin asks Datasette's permission machinery for each table it reads, the way Datasette's
own table pages do (view-table, then view-database, then view-instance). Where a password is configured,
an ASGI wrapper also asks view-instance before any route at all answers (Datasette leaves some of its
debug pages unchecked), so a page added later cannot forget the login.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode

from datasette import hookimpl
from datasette.utils import await_me_maybe
from datasette.utils.asgi import NotFound, Request, Response
from markupsafe import Markup, escape

from congvan import auth, store
from pipeline.agencies import fold_key

from . import inputs
from .inputs import MAX_ARGUMENT, citation_key

__all__ = ["MAX_ARGUMENT", "citation_key"]

KINDS = {  # field path prefix -> (css class, Vietnamese label)
    "issuer": ("hdr", "Cơ quan ban hành"),
    "parent_issuer": ("hdr", "Cơ quan chủ quản"),
    "number": ("hdr", "Số"),
    "symbol": ("hdr", "Ký hiệu"),
    "place": ("hdr", "Địa danh"),
    "date": ("hdr", "Ngày ban hành"),
    "doc_type": ("hdr", "Loại văn bản"),
    "abstract": ("hdr", "Trích yếu"),
    "recipients": ("rcp", "Kính gửi"),
    "distribution": ("rcp", "Nơi nhận"),
    "signer": ("sig", "Người ký"),
    "tasks": ("task", "Nhiệm vụ"),
    "references": ("ref", "Viện dẫn"),
    "targets": ("tgt", "Chỉ tiêu"),
}


@hookimpl
def prepare_connection(conn):
    """SQL functions the canned queries use to read what auditors type (``congvan.web.inputs``)."""
    conn.create_function(
        "congvan_fold",
        1,
        lambda text: fold_key(str(text)[:MAX_ARGUMENT]) if text is not None else None,
        deterministic=True,
    )
    conn.create_function("congvan_citation_key", 1, citation_key, deterministic=True)
    conn.create_function("congvan_citation_year", 1, inputs.citation_year, deterministic=True)
    conn.create_function("congvan_agency_match", 2, inputs.agency_matches, deterministic=True)
    conn.create_function("congvan_fts_query", 1, inputs.fts_query, deterministic=True)
    conn.create_function("congvan_fts_phrase", 1, inputs.fts_phrase, deterministic=True)
    conn.create_function("congvan_snippet", 2, inputs.snippet, deterministic=True)


def _database(datasette, name: str | None = None):
    names = [n for n in datasette.databases if n != "_internal"]
    if name and name in names:
        return datasette.get_database(name)
    if not names:
        raise NotFound("no database")
    return datasette.get_database(names[0])


async def ensure_tables_visible(datasette, actor: dict | None, database: str, tables: list[str]) -> None:
    """Raise ``Forbidden`` unless ``actor`` may view each table, asked as Datasette's table page asks:
    the table's own rule first, then the database's, then the instance's."""
    for table in tables:
        await datasette.ensure_permissions(
            actor, [("view-table", (database, table)), ("view-database", database), "view-instance"]
        )


def highlight(text: str, spans: list[dict]) -> Markup:
    """``text`` escaped, with each span wrapped in a <mark> (nested where spans nest) whose label links
    to the span's row. Spans that cross are cut at each other's edges so the HTML stays well formed."""
    bounds = sorted({0, len(text), *[s["start"] for s in spans], *[s["end"] for s in spans]})
    starts_at: dict[int, list[dict]] = {}
    for s in spans:
        starts_at.setdefault(s["start"], []).append(s)
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = sorted((s for s in spans if s["start"] <= a and s["end"] >= b), key=lambda s: (s["start"], -s["end"]))
        for s in active:
            label, anchor = "", ""
            if s["start"] == a and s in starts_at.get(a, []):
                label = f'<a class="tag" href="{escape(s["href"])}">{escape(s["label"])}</a>'
                anchor = f' id="{escape(s["anchor"])}"' if s.get("anchor") else ""
            out.append(f'<mark class="hl hl-{s["css"]}"{anchor} title="{escape(s["label"])}">{label}')
        out.append(str(escape(text[a:b])))
        out.append("</mark>" * len(active))
    return Markup("".join(out))


DOCUMENT_TABLES = ["documents", "document_texts", "admin_units", "evidence", "tasks", "references", "targets"]
DASHBOARD_TABLES = ["assignments", "deadlines", "documents"]


async def document_page(datasette, request):
    db = _database(datasette, request.args.get("db"))
    await ensure_tables_visible(datasette, request.actor, db.name, DOCUMENT_TABLES)
    doc_id = int(request.url_vars["id"])
    rows = (await db.execute("select * from documents where id = ?", [doc_id])).rows
    if not rows:
        raise NotFound(f"no document {doc_id}")
    doc = dict(rows[0])
    units = (await db.execute("select * from admin_units where id = ?", [doc.get("unit_id")])).rows
    unit = dict(units[0]) if units else {}
    # "UBND huyện Phong Thổ (nay thuộc Tỉnh Lai Châu)": where the issuer stands today
    if unit.get("province_now"):
        now = unit["province_now"]
        doc["unit_now"] = f"nay là {unit['commune_now']}, {now}" if unit.get("commune_now") else f"nay thuộc {now}"
    texts = (await db.execute("select text from document_texts where document_id = ?", [doc_id])).rows
    doc["text"] = texts[0]["text"] if texts else ""
    first = doc.get("copy_of") or doc_id
    # the files that hold this document (its .txt, scan, signed PDF), and the drafts of it or what it drafts
    files = [
        dict(r)
        for r in (
            await db.execute(
                "select id, name, path, format, pages, ingested_at from documents where id = ? or copy_of = ? "
                "order by id",
                [first, first],
            )
        ).rows
    ]
    related = [
        dict(r)
        for r in (
            await db.execute(
                "select id, title, name, date, case when id = ? then 'signed' else 'draft' end as kind "
                "from documents where (id = ? or draft_of = ?) and id != ? and copy_of is null order by id",
                [doc.get("draft_of"), doc.get("draft_of") or -1, first, first],
            )
        ).rows
    ]
    base = datasette.urls.database(db.name)
    spans: list[dict] = []
    fields: list[dict] = []
    for row in (
        await db.execute(
            "select id, field, span_start, span_end, text from evidence where document_id = ? order by span_start",
            [doc_id],
        )
    ).rows:
        prefix = re.split(r"[.\[]", row["field"])[0]
        css, label = KINDS.get(prefix, ("hdr", prefix))
        href = f"{base}/evidence/{row['id']}"
        spans.append(
            {"start": row["span_start"], "end": row["span_end"], "css": css, "label": row["field"], "href": href}
        )
        fields.append({"field": row["field"], "label": label, "text": row["text"], "href": href})
    for table, css, label_sql in (
        ("tasks", "task", "coalesce(agency, '')"),
        ("references", "ref", "number_symbol"),
        ("targets", "tgt", "text"),
    ):
        for row in (
            await db.execute(
                f"select id, span_start, span_end, {label_sql} as label from [{table}] where document_id = ? "
                "and span_start is not null",
                [doc_id],
            )
        ).rows:
            spans.append(
                {
                    "start": row["span_start"],
                    "end": row["span_end"],
                    "css": css,
                    "label": f"{KINDS[table][1]}: {row['label']}"[:80],
                    "href": f"{base}/{table}/{row['id']}",
                    "anchor": f"{table}-{row['id']}",  # what links from query results point at
                }
            )
    text = doc["text"] or ""
    spans = [s for s in spans if 0 <= s["start"] < s["end"] <= len(text)]
    return Response.html(
        await datasette.render_template(
            "congvan_document.html",
            {
                "doc": doc,
                "body": highlight(text, spans),
                "fields": fields,
                "database": db.name,
                "row_url": f"{base}/documents/{doc_id}",
                "files": files,
                "related": related,
                "page_url": lambda i: datasette.urls.path(f"/-/congvan/document/{i}?db={db.name}"),
                "counts": {k: sum(s["css"] == v[0] for s in spans) for k, v in KINDS.items()},
            },
            request=request,
        )
    )


async def dashboard(datasette, request):
    """Open and overdue tasks per agency, deadlines per month (each month's bar lists its tasks), documents
    per issuer; every document counted once whatever the number of its files."""
    db = _database(datasette, request.args.get("db"))
    await ensure_tables_visible(datasette, request.actor, db.name, DASHBOARD_TABLES)
    base = datasette.urls.database(db.name)

    def link(table: str, **params: str) -> str:
        return f"{base}/{table}?{urlencode(params)}"

    charts = []
    # counted at the end of the last write session (store.refresh_summaries); an archive not written since
    # summaries exist counts the same now, the summaries' own queries standing in for their tables
    counted = set(await db.table_names()) >= set(store.SUMMARIES)
    summaries = (
        "" if counted else "with " + ", ".join(f"{name} as ({sql})" for name, sql in store.SUMMARIES.items()) + " "
    )
    agency_sql = summaries + (
        "select top.agency as label, coalesce(sum(case when s.due_date >= date('now') then s.n end), 0) as open, "
        "coalesce(sum(case when s.due_date < date('now') then s.n end), 0) as overdue, "
        "coalesce(sum(case when s.due_date is null then s.n end), 0) as undated, top.n as n "
        "from (select agency_id, agency, n from summary_agency order by n desc limit 20) top "
        "join summary_agency_due s on s.agency_id = top.agency_id "
        "group by top.agency_id order by top.n desc, top.agency"
    )
    month_sql = summaries + "select month as label, n from summary_month where month is not null order by month"
    issuer_sql = summaries + "select issuer as label, n from summary_issuer order by n desc limit 20"
    rows = (await db.execute(agency_sql)).rows
    top = max([r["n"] for r in rows] or [1])
    charts.append(
        {
            "title": "Nhiệm vụ theo cơ quan: còn hạn, quá hạn (tasks per agency: open, overdue)",
            "split": True,
            "rows": [
                {
                    "label": r["label"],
                    "href": link("assignments", agency=r["label"]),
                    "parts": [
                        {
                            "kind": "open",
                            "n": r["open"] + r["undated"],
                            "width": round(100 * (r["open"] + r["undated"]) / top, 1),
                            "title": "còn hạn hoặc không ghi hạn (open or no deadline)",
                            "href": None,
                        },
                        {
                            "kind": "overdue",
                            "n": r["overdue"],
                            "width": round(100 * r["overdue"] / top, 1),
                            "title": "quá hạn (overdue)",
                            "href": link("open_deadlines", agency=r["label"], status="overdue"),
                        },
                    ],
                }
                for r in rows
            ],
        }
    )
    for title, sql, href in (
        (
            "Hạn xử lý theo tháng (deadlines per month)",
            month_sql,
            lambda label: link("open_deadlines", due_date__startswith=label),
        ),
        (
            "Văn bản theo cơ quan ban hành (documents per issuer)",
            issuer_sql,
            lambda label: link("documents", issuer=label, copy_of__isnull="1"),
        ),
    ):
        rows = (await db.execute(sql)).rows
        top = max([r["n"] for r in rows] or [1])
        charts.append(
            {
                "title": title,
                "rows": [
                    {
                        "label": vietnamese_date(r["label"]) if "month" in title else r["label"],
                        "href": href(r["label"]),
                        "parts": [
                            {
                                "kind": "all",
                                "n": r["n"],
                                "width": round(100 * r["n"] / top, 1),
                                "title": "",
                                "href": None,
                            }
                        ],
                    }
                    for r in rows
                ],
            }
        )
    from datetime import date

    return Response.html(
        await datasette.render_template(
            "congvan_dashboard.html",
            {"charts": charts, "database": db.name, "today": date.today().strftime("%d/%m/%Y")},
            request=request,
        )
    )


def password_hash(datasette) -> auth.PasswordHash | None:
    """The configured hash (``serve`` puts it in the plugin's configuration), parsed; None: no login.

    Read and parsed once per Datasette: the ASGI wrapper asks on every request."""
    if not hasattr(datasette, "_congvan_password_hash"):
        value = (datasette.plugin_config("congvan") or {}).get("password_hash")
        datasette._congvan_password_hash = auth.parse_hash(value) if value else None
    return datasette._congvan_password_hash


def _client(request: Request) -> str:
    client = request.scope.get("client")
    return str(client[0]) if client else "unknown"


# Where a login may send the browser back to: a path on this site. No scheme, no "//" or "/\\" (which
# browsers read as another host), no spaces or control characters (header splitting).
SAFE_NEXT = re.compile(r"/(?![/\\])[^\s\\]*")


def safe_next(value: str | None) -> str:
    return value if value and SAFE_NEXT.fullmatch(value) else "/"


async def login(datasette, request):
    """The login form, and its check: throttled per client, the hash checked off the event loop.

    Each attempt is counted as a failure before the password is checked and forgiven when it proves
    right, so a burst of parallel guesses cannot all slip in while the first ones are being checked.
    The form's CSRF token must match its cookie here too (asgi-csrf lets a request with no cookies
    through, and a login is exactly what another site would forge)."""
    stored = password_hash(datasette)
    error, status = None, 200
    next_path = safe_next(request.args.get("next"))
    if request.method == "POST":
        form = await request.post_vars()
        next_path = safe_next(form.get("next"))
        client = _client(request)
        throttle = datasette._congvan_throttle
        wait = throttle.wait_s(client)
        token = form.get("csrftoken") or ""
        if stored is None:
            error, status = "Không có tài khoản nào được cấu hình (no login is configured).", 403
        elif not token or token != request.cookies.get("ds_csrftoken"):
            error, status = "Phiên đăng nhập không hợp lệ, hãy tải lại trang (invalid form; reload the page).", 403
        elif wait > 0:
            error, status = f"Quá nhiều lần sai mật khẩu: thử lại sau {wait:.0f} giây (too many failures; wait).", 429
        else:
            throttle.failed(client)  # counted now, forgiven below if right
            if form.get("username", "") == auth.USER and await auth.check_password(form.get("password", ""), stored):
                throttle.succeeded(client)
                response = Response.redirect(datasette.urls.path(next_path))
                response.set_cookie(
                    "ds_actor", datasette.sign({"a": {"id": auth.USER}}, "actor"), httponly=True, samesite="lax"
                )
                return response
            error, status = "Sai tên đăng nhập hoặc mật khẩu (wrong user name or password).", 403
    response = Response.html(
        await datasette.render_template(
            "congvan_login.html", {"error": error, "next": next_path, "user": auth.USER}, request=request
        )
    )
    response.status = status
    return response


@hookimpl
def startup(datasette):
    """A malformed hash stops the server at start, with the reason (``ValueError``), not at first login.

    Also: Datasette 0.65's default error handler prints every error with rich, local variables included,
    whenever rich is importable (spaCy brings it), and rich refuses outside an ``except`` block, so an
    unknown path answered 500 instead of 404. Without rich the same handler answers with the right
    status and prints a plain traceback for real server errors only. (Imported here, not at the top:
    importing Datasette's handler module loads the plugins, this one included, half-made.)"""
    import datasette.handle_exception as datasette_errors

    datasette_errors.rich = None
    password_hash(datasette)
    datasette._congvan_throttle = auth.Throttle()


# Paths that answer without a login: the login itself, leaving, and the static files its page uses.
OPEN_PATHS = re.compile(r"^/(?:-/login|-/logout|-/static/.*|-/static-plugins/.*|-/congvan/congvan\.css|favicon\.ico)$")


# Canned query parameters that hold dates, and how a partial date reads there ("06/2025" as an end is 30/06)
DATE_INPUTS = {
    "overdue_as_of": {"as_of": "end"},
    "deadlines_between": {"start": "start", "end": "end"},
    "documents_by_issuer_and_month": {"month": "month"},
}
QUERY_PATH = re.compile(r"^/[^/]+/(?P<query>[^/.]+)(?:\.json)?$")


def read_dates(scope) -> tuple[dict, str | None]:
    """The request with its date parameters in ISO form, or the message that refuses it: a date typed
    the Vietnamese way ("30/06/2025") is read as such, never compared as text with ISO dates."""
    m = QUERY_PATH.match(scope.get("path", ""))
    kinds = DATE_INPUTS.get(m.group("query")) if m else None
    if not kinds or not scope.get("query_string"):
        return scope, None
    pairs = parse_qsl(scope["query_string"].decode("utf-8", "replace"), keep_blank_values=True)
    out = []
    for name, value in pairs:
        kind = kinds.get(name)
        if kind and value.strip():
            try:
                value = inputs.parse_month(value) if kind == "month" else inputs.parse_date(value, end=kind == "end")
            except inputs.InputError as exc:
                return scope, str(exc)
        out.append((name, value))
    return dict(scope, query_string=urlencode(out).encode("ascii")), None


async def refuse(scope, send, message: str) -> None:
    """A 400 answer with the reason, as JSON for the API and as a page for a browser."""
    if scope.get("path", "").endswith(".json"):
        response = Response.json({"ok": False, "error": message, "status": 400}, status=400)
    else:
        body = f"<!DOCTYPE html><meta charset='utf-8'><title>Không đọc được</title><h1>400</h1><p>{escape(message)}</p>"
        body += "<p><a href='javascript:history.back()'>Quay lại (back)</a></p>"
        response = Response.html(body, status=400)
    await response.asgi_send(send)


def searched_as_stored(scope: dict) -> dict:
    """A table's search (``_search``) with đ written d, as the indexed ``search_text`` holds it."""
    query = scope.get("query_string", b"")
    if b"_search" not in query:
        return scope
    pairs = parse_qsl(query.decode("utf-8", "replace"), keep_blank_values=True)
    folded = [(k, store.fold_d(v) if k.startswith("_search") else v) for k, v in pairs]
    return dict(scope, query_string=urlencode(folded).encode("ascii"))


def uncounted(scope: dict) -> dict:
    """A page without its total (``_nocount``) where the total costs seconds at archive scale: a view (it
    joins millions of assignments or deadlines), a filtered page of a table with millions of rows
    ("tasks?role=lead" counted a million rows without an index), and a full-text search (every hit of two
    common words, half the archive, counted again after finding them). Their rows, their facets (bounded by
    ``facet_time_limit_ms``) and the dashboard's counts remain; an unfiltered table is counted (SQLite
    counts a whole table from its smallest index)."""
    m = QUERY_PATH.match(scope.get("path", ""))
    if not m:
        return scope
    query = scope.get("query_string", b"")
    name = m.group("query")
    keys = [k for k, _ in parse_qsl(query.decode("utf-8", "replace"))]
    filtered = any(not k.startswith("_") for k in keys)
    searched = any(k.startswith("_search") for k in keys)  # two common words match half the archive
    if name not in store.VIEWS and not (filtered and name in store.child_tables()) and not searched:
        return scope
    if b"_nocount=" in query:
        return scope
    return dict(scope, query_string=query + (b"&" if query else b"") + b"_nocount=1")


@hookimpl
def asgi_wrapper(datasette):
    """With a password configured, ask view-instance before any route answers; then read the dates typed
    into canned queries (``read_dates``)."""

    def wrap(app):
        async def dated(scope, receive, send):
            if scope["type"] == "http":
                scope, problem = read_dates(scope)
                if problem:
                    return await refuse(scope, send, problem)
                scope = searched_as_stored(uncounted(scope))
            return await app(scope, receive, send)

        async def guarded(scope, receive, send):
            if scope["type"] != "http" or OPEN_PATHS.match(scope.get("path", "")) or not password_hash(datasette):
                return await dated(scope, receive, send)
            from datasette.plugins import pm

            request = Request(scope, receive)
            actor = None
            for candidate in pm.hook.actor_from_request(datasette=datasette, request=request):
                actor = await await_me_maybe(candidate)
                if actor:
                    break
            if await datasette.permission_allowed(actor, "view-instance", default=True):
                return await dated(scope, receive, send)
            path = scope.get("path", "/")
            if scope.get("method") == "GET" and not path.endswith(".json"):
                target = (
                    datasette.urls.path("-/login")
                    + "?next="
                    + quote(
                        path + ("?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else ""),
                        safe="",
                    )
                )
                response = Response.redirect(target)
            else:
                response = Response.text("403: login required", status=403)
            await response.asgi_send(send)

        return guarded

    return wrap


# Errors that Datasette 0.65 answers with 500 although the request, not the server, is at fault.
USER_ERRORS = re.compile(r"^(?:Cannot sort|Cannot use _sort|Python int too large)")


@hookimpl
def handle_exception(datasette, request, exception):
    """A parameter out of range ("id__gt=99999999999999999999") or an unknown sort column is a bad
    request (400), not a server error: answered before Datasette's default handler, whose 500 would
    send an auditor, a monitor or a scanner looking for a fault that is not there."""
    from datasette.views.base import DatasetteError

    if not isinstance(exception, (DatasetteError, OverflowError)) or not USER_ERRORS.match(str(exception)):
        return None

    async def inner():
        info = {"ok": False, "error": str(exception), "status": 400, "title": "Bad request"}
        if request.path.endswith(".json"):
            return Response.json(info, status=400)
        template = datasette.jinja_env.select_template(["400.html", "error.html"])
        return Response.html(
            await template.render_async(
                dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(), menu_links=lambda: [])
            ),
            status=400,
        )

    return inner


# Datasette lists every column's description above a table: with thirty columns that pushed the rows below
# the fold. The list stays, in a box of a few lines that scrolls.
STYLE = """
dl.column-descriptions { max-height: 7.5em; overflow: auto; border: 1px solid #ddd; padding: .3em .6em;
  font-size: .85em; }
td.col-snippet mark { background: #ffe08a; padding: 0 .1em; }
"""


async def stylesheet(datasette, request):
    return Response(STYLE, content_type="text/css; charset=utf-8", headers={"cache-control": "max-age=3600"})


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/congvan/congvan.css")]


@hookimpl
def register_routes():
    # ids are SQLite integers: more than 18 digits cannot be one, and is simply not found
    return [
        (r"^/-/congvan/document/(?P<id>\d{1,18})$", document_page),
        (r"^/-/congvan/dashboard$", dashboard),
        (r"^/-/congvan/congvan\.css$", stylesheet),
        (r"^/-/login$", login),
    ]


@hookimpl
def menu_links(datasette, actor):
    return [{"href": datasette.urls.path("/-/congvan/dashboard"), "label": "Bảng tổng hợp (dashboard)"}]


# Values shown in Vietnamese where auditors read them (the stored values stay as queries use them)
VALUE_LABELS = {
    "role": {"lead": "chủ trì", "coordinate": "phối hợp", "request": "đề nghị"},
    "status": {"overdue": "quá hạn", "open": "còn hạn"},
    "kind": {"goal": "mục tiêu", "threshold": "ngưỡng", "budget": "kinh phí"},
}
DATE_COLUMNS = {"date", "due_date", "deadline", "document_date", "citing_date", "cited_date"}
# columns that name a document, and the column of the same row holding its id
DOCUMENT_LINKS = {
    "document": "document_id",
    "title": "id",
    "citing_document": "document_id",
    "cited_document": "cited_document_id",
    "document_id": "document_id",
    "citing_document_id": "citing_document_id",
    "cited_document_id": "cited_document_id",
}
# tables whose rows are documents (the title links with the row's own id)
DOCUMENT_TABLES_BY_ID = {"documents"}


def vietnamese_date(value: str) -> str:
    """2025-06-30 as 30/06/2025, 2025-06 as 06/2025 (a year stays as it is)."""
    parts = value.split("-")
    return "/".join(reversed(parts)) if len(parts) in (2, 3) and all(p.isdigit() for p in parts) else value


def _row_value(row, name: str):
    try:
        return row[name] if row is not None and name in row.keys() else None
    except (IndexError, KeyError, AttributeError):
        return None


@hookimpl
def render_cell(value, column, table, database, datasette, row):
    """Documents and tasks link to the document page (a task to its highlighted span); the words a search
    found are marked in its snippet; roles, statuses and kinds read in Vietnamese, dates as dd/mm/yyyy,
    numbers with Vietnamese separators."""
    if value is None:
        return None
    if column == "snippet" and isinstance(value, str):
        marked = str(escape(value)).replace(inputs.MARK_OPEN, "<mark>").replace(inputs.MARK_CLOSE, "</mark>")
        return Markup(marked)
    id_column = DOCUMENT_LINKS.get(column)
    if column == "title" and table not in DOCUMENT_TABLES_BY_ID:
        id_column = None
    if column == "task" and _row_value(row, "document_id") is not None:
        doc_id, task_id = _row_value(row, "document_id"), _row_value(row, "task_id")
        anchor = f"#tasks-{task_id}" if task_id is not None else ""
        href = datasette.urls.path(f"/-/congvan/document/{doc_id}?db={database}{anchor}")
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if id_column is not None:
        doc_id = _row_value(row, id_column)
        if isinstance(doc_id, int):
            href = datasette.urls.path(f"/-/congvan/document/{doc_id}?db={database}")
            label = value if not column.endswith("_id") else f"Văn bản {doc_id}"
            return Markup(f'<a href="{escape(href)}">{escape(label)}</a>')
    labels = VALUE_LABELS.get(column)
    if labels and value in labels:
        return labels[value]
    if column in DATE_COLUMNS and isinstance(value, str):
        return vietnamese_date(value)
    if column in ("value", "total") and isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return None
