"""HTML -> plain text, one paragraph per line, with the stdlib ``html.parser`` only.

Block elements end a line; inline elements are joined as written. A row of a data table is one
line with its cells separated by tabs (so a task-division table keeps its columns, see
``extraction/tables.py``); merged cells (rowspan) are simply absent from the rows below. Scripts, styles, embedded
objects, form controls, hidden elements, comments and the ``<head>`` are dropped. When the page
has a known content container (gov.cn and provincial CMS templates), only that is kept.
The parser records a flat token list rather than a tree, so nesting depth cannot overflow
the stack, and unbalanced tags are tolerated the way browsers mostly do.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from html.parser import HTMLParser


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


BLOCK = _names("""
address article aside blockquote body caption center dd details dialog dir div dl dt fieldset
figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol
p pre section summary table tbody tfoot thead tr ul
""")
SKIP = _names("""
script style noscript iframe object embed template svg math head select textarea button datalist
canvas audio video applet frameset noframes noembed title
""")
VOID = _names("area base br col embed hr img input link meta param source track wbr")
CELLS = frozenset(("td", "th"))
HEAD_CONTENT = _names("title meta link style script base noscript template")
# start tag -> open elements it closes implicitly (any block start also closes an open <p>)
IMPLIED = {"li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "tr": ("tr", "td", "th"),
           "td": ("td", "th"), "th": ("td", "th"), "option": ("option",)}
# (rank, attribute, value) of known content containers; lower rank wins.
CONTAINERS = (
    (0, "id", "UCAP-CONTENT"),
    (1, "class", "pages_content"),
    (2, "id", "zoom"),
    (3, "class", "TRS_Editor"),
    (4, "class", "Custom_UnionStyle"),
    (5, "class", "article"),
)
MAX_DATA_ROW_TEXT = 4000   # characters: a longer row is page layout (a sidebar beside the document)
_WS = re.compile(r"[ \t\n\r\f]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# Tokens: text (str), or (kind, row) tuples, so no text can be mistaken for markup.
_SOFT = ("soft", -1)    # whitespace with a newline: vanishes between two wide (CJK) characters
_BREAK = ("break", -1)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[str | tuple[str, int]] = []
        self.stack: list[tuple[str, bool, int, int]] = []  # (tag, skips, container rank, row id)
        self.depth: dict[str, int] = {}  # tag -> how many are open (so membership is O(1))
        self.skipping = 0
        self.pre = 0
        self.rows: dict[int, int] = {}  # row id -> number of cells
        self.layout_rows: set[int] = set()  # rows that hold a table or much text: page layout, not data
        self.row_text: dict[int, int] = {}  # row id -> characters of text in it
        self.open_rows: list[int] = []
        self.containers: list[tuple[int, int, int]] = []  # (rank, start token, end token)
        self._open: dict[int, tuple[int, int]] = {}  # stack depth -> (rank, start token)

    # --- structure -------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._in("head") and tag not in HEAD_CONTENT:
            self._close_to("head")
        if tag in VOID:
            if tag in ("br", "hr") and not self.skipping:
                self.tokens.append(_BREAK)
            return
        attrd = {k.lower(): (v or "") for k, v in attrs}
        skips = tag in SKIP or "hidden" in attrd or bool(_HIDDEN_STYLE.search(attrd.get("style", "")))
        self._implied_close(tag)
        row = -1
        if tag == "table" and not self.skipping:
            self.layout_rows.update(self.open_rows)
        if tag == "tr":
            row = len(self.rows)
            self.rows[row] = 0
            self.row_text[row] = 0
            self.open_rows.append(row)
        if tag in CELLS and not self.skipping:
            row = next((r for t, _, _, r in reversed(self.stack) if t == "tr"), -1)
            if row >= 0:
                self.rows[row] += 1
                self.tokens.append(("cell", row))
        rank = -1 if self.skipping else _container_rank(attrd)
        self.stack.append((tag, skips, rank, row))
        self.depth[tag] = self.depth.get(tag, 0) + 1
        if rank >= 0:
            self._open[len(self.stack)] = (rank, len(self.tokens))
        self.skipping += skips
        self.pre += tag in ("pre", "textarea", "listing")
        if tag in BLOCK and not self.skipping:
            self.tokens.append(_BREAK)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)   # <iframe/> must not swallow the rest of the page
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self._close_to(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # </br> is treated as <br> by browsers
            self.handle_starttag("br", [])
        elif self._in(tag):
            self._close_to(tag)
        elif tag == "p" and not self.skipping:  # stray </p> makes an empty paragraph
            self.tokens.append(_BREAK)

    def _in(self, tag: str) -> bool:
        return self.depth.get(tag, 0) > 0

    def _implied_close(self, tag: str) -> None:
        """Close what a browser would: only through inline elements, never out of a block or cell."""
        closes = IMPLIED.get(tag, ()) + (("p",) if tag in BLOCK else ())
        i = len(self.stack)
        floor = max(0, i - 64)   # bounded walk: a wall of open inline tags must not cost O(n^2)
        while i > floor and closes:
            i -= 1
            t = self.stack[i][0]
            if t in closes:
                self._close_to(t)
                i = len(self.stack)
            elif t in BLOCK or t in CELLS or t in SKIP:
                return

    def _close_to(self, tag: str) -> None:
        while self.stack:
            t, skips, rank, row = self.stack.pop()
            self.depth[t] -= 1
            depth = len(self.stack) + 1
            if t in BLOCK and not self.skipping:
                self.tokens.append(_BREAK)
            if t in CELLS and not self.skipping and row >= 0:
                self.tokens.append(("endcell", row))
            if t == "tr" and self.open_rows and self.open_rows[-1] == row:
                self.open_rows.pop()
            if depth in self._open:
                rank, start = self._open.pop(depth)
                self.containers.append((rank, start, len(self.tokens)))
            self.skipping -= skips
            self.pre -= t in ("pre", "textarea", "listing")
            if t == tag:
                break

    # --- text ------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] == "head" and data.strip():
            self._close_to("head")   # text directly in <head> means the head has ended
        if self.skipping:
            return
        if self.open_rows:
            self.row_text[self.open_rows[-1]] += len(data)
        if self.pre:
            for i, part in enumerate(data.replace("\r\n", "\n").split("\n")):
                if i:
                    self.tokens.append(_BREAK)
                self.tokens.append(part)
            return
        pos = 0
        for m in _WS.finditer(data):
            if m.start() > pos:
                self.tokens.append(data[pos:m.start()])
            self.tokens.append(_SOFT if "\n" in m.group() else " ")
            pos = m.end()
        if pos < len(data):
            self.tokens.append(data[pos:])

    def finish(self) -> None:
        while self.stack:
            self._close_to(self.stack[-1][0])


def _container_rank(attrs: dict[str, str]) -> int:
    ranks = [rank for rank, attr, value in CONTAINERS
             if (attr == "id" and attrs.get("id", "").strip() == value)
             or (attr == "class" and value in attrs.get("class", "").split())]
    return min(ranks, default=-1)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def data_rows(rows: dict[int, int], layout: set[int], row_text: dict[int, int]) -> set[int]:
    """Rows rendered as one line of tab-separated cells: several cells, no nested table, and not
    so much text that the row is a page's layout rather than a table of data."""
    return {r for r, n in rows.items() if n > 1 and r not in layout and row_text.get(r, 0) <= MAX_DATA_ROW_TEXT}


def _render(tokens: list, rows: dict[int, int], data: frozenset[int] | set[int] = frozenset()) -> str:
    """Tokens -> text. A data row (see ``data_rows``) is one line, its cells separated by a tab and
    the line breaks inside a cell dropped; any other multi-cell row puts each cell on its own line."""
    out: list[str] = []
    last = ""       # last character written on the current line
    pending = ""    # whitespace waiting for the next visible character
    seen: dict[int, int] = {}
    open_cells: list[int] = []
    for tok in tokens:
        if isinstance(tok, tuple) and tok[0] in ("cell", "endcell"):
            kind, row = tok
            if row in data:
                if kind == "cell":
                    if seen.get(row, 0):
                        out.append("\t")
                        last = pending = ""
                    seen[row] = seen.get(row, 0) + 1
                    open_cells.append(row)
                elif open_cells:
                    open_cells.pop()
                continue
            tok = _BREAK if rows.get(row, 0) > 1 else ""   # a break only in multi-cell rows
        if tok == _BREAK and open_cells:
            tok = _SOFT
        if tok == _BREAK:
            out.append("\n")
            last = pending = ""
        elif tok in (_SOFT, " "):
            if last and not pending:
                pending = tok
        elif tok:
            if pending and not (pending == _SOFT and _wide(last) and _wide(tok[0])):
                out.append(" ")
            pending = ""
            out.append(tok)
            last = tok[-1]
    lines = ("".join(out)).replace("\u00a0", " ").split("\n")
    return "\n".join(line.strip(" ") for line in lines if line.strip())


def _parse(html: str) -> _Parser:
    start = html.rfind("<!--")
    if start >= 0 and html.find("-->", start + 4) < 0:
        html = html[:start]   # an unterminated comment runs to the end of the page
    parser = _Parser()
    parser.feed(html)
    parser.close()
    parser.finish()
    return parser


def html_to_text(html: str) -> str:
    """Visible text of ``html``, one block per line; never raises on malformed markup."""
    try:
        parser = _parse(html)
    except Exception:  # html.parser raises AssertionError on some broken declarations
        try:
            parser = _parse(re.sub(r"<!(?!--)", "&lt;!", html))
        except Exception:
            return _render([unescape(re.sub(r"<[^>]*>", "\n", html))], {})
    tokens, rows = parser.tokens, parser.rows
    data = data_rows(rows, parser.layout_rows, parser.row_text)
    best: list[tuple[int, int]] = []
    for rank in sorted({c[0] for c in parser.containers}):
        spans = sorted((s, e) for r, s, e in parser.containers if r == rank)
        outer = [(s, e) for s, e in spans if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e)
                                                     for s2, e2 in spans)]
        if any(_render(tokens[s:e], rows, data) for s, e in outer):
            best = outer
            break
    if best:
        parts = [_render(tokens[s:e], rows, data) for s, e in best]
        return "\n".join(p for p in parts if p)
    return _render(tokens, rows, data)
