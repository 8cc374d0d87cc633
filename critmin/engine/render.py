"""Rendering executed notebooks into the report: HTML fragments, the pages, the PDF.

nbconvert (our template `templates/critmin/fragment.html.j2`, extending 'lab') turns each executed
notebook into an HTML fragment of its prose and outputs only: no code, no prompts, no parameter
cells, no stderr, no scripts. Fragments are then placed in our own page shell (inline CSS, no
external resource): index.html holds every analysis section, minerals/<slug>.html one profile each,
and report.pdf (WeasyPrint, A4) the same content paged.

Conventions for notebooks:
- cells tagged `headline` also appear under "Headline findings" at the top of index.html;
- cells tagged `remove-cell` are left out of the report;
- links in outputs are relative to the report root (`data/x.csv`, `index.html#anchor`,
  `minerals/gallium.html`); pages in sub-directories get them rewritten;
- images carry alt text in their output metadata (`{'image/svg+xml': {'alt': ...}}` or
  `IPython.display.Image(..., alt=...)`);
- heading anchors are `<section>--<heading-slug>`, section = notebook name without its number
  (`20_import_dependence` -> `import-dependence`)."""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from critmin.engine.execute import INJECTED_TAG, PARAMS_TAG

TEMPLATES = Path(__file__).parent / "templates"
PAGE_DIR = TEMPLATES / "critmin"
# headline: shown in its section and under "Headline findings"; headline-only: only there.
HEADLINE_TAG, HEADLINE_ONLY_TAG, REMOVE_TAG = "headline", "headline-only", "remove-cell"

# --- sanitizing HTML that comes from notebook outputs ------------------------------------------

_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
         "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
         "h6", "hr", "i", "img", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong",
         "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"}
_COMMON_ATTRS = {"class", "id", "title", "style", "colspan", "rowspan", "align", "lang"}
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.S | re.I)
_CSS_PROPS = ["text-align", "vertical-align", "font-weight", "font-style", "color",
              "background-color", "white-space", "width", "min-width", "max-width", "height"]


def _allowed_attr(tag: str, name: str, value: str) -> bool:
    if name in _COMMON_ATTRS:
        return True
    if tag == "a" and name == "href":
        return not value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
    if tag == "td" and name == "data-label":  # a stacked table's column name, shown by CSS on a phone
        return True
    if tag == "img":
        return name in {"alt", "width", "height"} or (name == "src" and value.startswith("data:image/"))
    return False


@lru_cache(maxsize=1)
def _cleaner():
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    return bleach.sanitizer.Cleaner(
        tags=_TAGS, attributes=_allowed_attr, protocols={"http", "https", "mailto", "data"},
        strip=False, strip_comments=True, css_sanitizer=CSSSanitizer(allowed_css_properties=_CSS_PROPS))


def sanitize(markup: str) -> str:
    """Allow-list HTML: anything else (a <script> in a country name, say) is escaped as text.

    <style> blocks (pandas adds one to every DataFrame) are dropped: the report has its own CSS."""
    return _cleaner().clean(_STYLE_BLOCK.sub("", str(markup)))


# --- notebook -> fragment ------------------------------------------------------------------------

@dataclass
class Fragment:
    """One notebook rendered: raw nbconvert HTML plus what the pages need to know about it."""
    name: str                  # run name, e.g. '20_import_dependence'
    slug: str                  # section anchor
    title: str
    body: str                  # nbconvert output, before anchors and links are fixed per page
    headline: str = ""
    warnings: list = field(default_factory=list)


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def section_slug(notebook_stem: str) -> str:
    """'20_import_dependence' -> 'import-dependence'."""
    return slugify(re.sub(r"^\d+[_-]*", "", notebook_stem))


def _tags(cell) -> list:
    return cell.get("metadata", {}).get("tags", [])


def prepare(nb, label: str):
    """Drop the cells a reader must not see and stderr outputs; return (nb, headline nb, warnings)."""
    import copy

    nb = copy.deepcopy(nb)
    hidden = {PARAMS_TAG, INJECTED_TAG, REMOVE_TAG}
    nb.cells = [c for c in nb.cells if not hidden & set(_tags(c))]
    warnings = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.outputs:
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                first = out.get("text", "").strip().splitlines()[:1]
                warnings.append(f"{label}: stderr not shown in the report: {first[0] if first else ''}")
                continue
            data = out.get("data", {})
            for mime in ("image/svg+xml", "image/png", "image/jpeg"):
                meta = out.get("metadata", {})
                if mime in data and not (meta.get(mime, {}).get("alt") or meta.get("alt")):
                    warnings.append(f"{label}: an image has no alt text")
                    break
            kept.append(out)
        cell.outputs = kept
    headline = copy.deepcopy(nb)
    headline.cells = [c for c in nb.cells if {HEADLINE_TAG, HEADLINE_ONLY_TAG} & set(_tags(c))]
    nb.cells = [c for c in nb.cells if HEADLINE_ONLY_TAG not in _tags(c)]
    return nb, headline, warnings


@lru_cache(maxsize=1)
def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="critmin",
                            template_file="fragment.html.j2", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_filter("sanitize", sanitize)
    return exporter


def _export(nb) -> str:
    body, _ = _exporter().from_notebook_node(nb)
    return body.strip() + "\n"


_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)


def fragment(nb, name: str, label: str, slug: str | None = None) -> Fragment:
    """Render one executed notebook (name: run name; label: path shown in messages; slug: the
    section anchor, by default from the name; a mineral page passes its mineral slug)."""
    reader_nb, headline_nb, warnings = prepare(nb, label)
    body = _export(reader_nb)
    slug = slug or section_slug(name)
    m = _H1.search(body)
    title = _text(m.group(1)) if m else slug.replace("-", " ").capitalize()
    headline = _export(headline_nb) if headline_nb.cells else ""
    return Fragment(name, slug, title, body, headline, warnings)


# --- per-page fixes: anchors, heading levels, relative links -------------------------------------

_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
_ANCHOR_LINK = re.compile(r'<a\b[^>]*class="anchor-link"[^>]*>.*?</a>', re.S)
_HREF = re.compile(r'\bhref="([^"]*)"')
_A_TAG = re.compile(r"<a\b[^>]*>")
_CLASS = re.compile(r'\bclass="([^"]*)"')


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", _ANCHOR_LINK.sub("", markup))).strip()


def place(body: str, prefix: str, demote: int = 0, depth: int = 0, links: dict | None = None,
          up: int = 0):
    """Fix a fragment for the page it goes in; return (html, [(level, id, text)]).

    prefix: heading ids become prefix + slug (unique within the fragment); demote: heading levels
    to shift down (a notebook's h1 is an h2 inside index.html); depth: directory depth of the page,
    for links relative to the report root; links: exact href rewrites (used by the PDF); up: the
    fragment was written for a page that deep (a mineral page's '../data/x.csv' is 'data/x.csv'
    in the PDF, which sits at the report root)."""
    headings, seen, renamed = [], {}, {}

    def heading(m):
        level = min(int(m.group(1)) + demote, 6)
        old = re.search(r'\bid="([^"]*)"', m.group(2))
        inner = _ANCHOR_LINK.sub("", m.group(3)).strip()
        text = _text(inner)
        base = prefix + slugify(text) if prefix else slugify(text)
        n = seen.get(base, 0)
        seen[base] = n + 1
        new = base if n == 0 else f"{base}-{n + 1}"
        if old:
            renamed.setdefault(html.unescape(old.group(1)), new)
        headings.append((level, new, text))
        return f'<h{level} id="{new}">{inner}</h{level}>'

    out = _HEADING.sub(heading, body)

    def href(m):
        url = html.unescape(m.group(1))
        for _ in range(up):
            url = url[3:] if url.startswith("../") else url
        if url.startswith("#") and url[1:] in renamed:
            url = "#" + renamed[url[1:]]
        elif links and url in links:
            url = links[url]
        elif links and url.split("#")[0] in links and "#" in url:
            url = links[url.split("#")[0]].split("#")[0] + "#" + url.split("#", 1)[1]
        elif depth and not re.match(r"^(#|/|\.\./|[a-zA-Z][a-zA-Z0-9+.-]*:)", url):
            url = "../" * depth + url
        return f'href="{html.escape(url, quote=True)}"', url.split("#")[0].endswith(".csv")

    def tag(m):
        """One <a> tag: its href fixed; a link to a CSV gets the class csv-link (merged into the
        tag's class, one attribute: print.css shows such a link's path after it)."""
        text, is_csv = m.group(0), False
        found = _HREF.search(text)
        if found:
            new_href, is_csv = href(found)
            text = text[:found.start()] + new_href + text[found.end():]
        if is_csv:
            cls = _CLASS.search(text)
            if cls is None:
                text = text[:-1] + ' class="csv-link">'
            elif "csv-link" not in cls.group(1).split():
                text = text[:cls.start()] + f'class="{cls.group(1)} csv-link"' + text[cls.end():]
        return text

    return _A_TAG.sub(tag, out), headings


# --- pages ---------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _pages():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(PAGE_DIR)), autoescape=True,
                              keep_trailing_newline=True, trim_blocks=False)


def _css(print_only: bool = False) -> str:
    screen = (PAGE_DIR / "report.css").read_text(encoding="utf-8")
    paged = (PAGE_DIR / "print.css").read_text(encoding="utf-8")
    return paged if print_only else screen + "\n" + paged


@dataclass
class Site:
    """Everything the pages show besides the notebooks."""
    title: str
    subtitle: str
    parameters: list          # [{'name', 'value', 'doc'}]
    releases: list            # [{'title', 'publisher', 'doi', 'landing_page', 'licence', 'attribution', 'files'}]
    checksums: list           # [{'path', 'bytes', 'sha256'}]
    chart_data: list          # ['data/x.csv', ...]
    mineral_names: dict       # slug -> display name
    dated: str = ""           # data cut-off and build date, under the title
    citation: dict = field(default_factory=dict)  # {'text', 'licence', 'message'} (CITATION.cff, LICENSE)


def _index_context(site: Site, sections, appendix, minerals, print_version: bool,
                   link_minerals=None, front=()) -> dict:
    links = None
    if print_version:
        slugs = link_minerals if link_minerals is not None else [m.slug for m in minerals]
        links = {f"minerals/{s}.html": f"#mineral-{s}" for s in slugs}
        links["index.html"] = "#contents"
    secs = []
    for f in sections:
        body, heads = place(f.body, f"{f.slug}--", demote=1, links=links)
        subs = [{"id": i, "text": t} for lvl, i, t in heads if lvl == 3]
        first = next((t for lvl, i, t in heads if lvl == 2), f.title)
        secs.append({"slug": f.slug, "title": first, "html": body, "subheadings": subs})
    apps = [{"slug": f.slug, "html": place(f.body, f"{f.slug}--", demote=2, links=links)[0]}
            for f in appendix]
    fronts = [{"slug": f.slug, "title": f.title, "html": place(f.body, f"{f.slug}--", demote=1, links=links)[0]}
              for f in front]
    headlines = "".join(place(f.headline, f"headline-{f.slug}--", demote=2, links=links)[0]
                        for f in sections + appendix if f.headline)
    mins = [{"href": links[f"minerals/{m.slug}.html"] if links else f"minerals/{m.slug}.html",
             "name": site.mineral_names.get(m.slug, m.slug)} for m in minerals]
    # print: the first mineral page of the build opens with the "Mineral profiles" heading, the
    # same whether the page is made alone (an early PDF part) or with the others
    order = (link_minerals if link_minerals is not None else [m.slug for m in minerals]) if print_version else []
    names = ", ".join(site.mineral_names.get(s, s) for s in order)
    printed = [{"slug": f"mineral-{m.slug}", "name": site.mineral_names.get(m.slug, m.slug),
                "opens_profiles": order[:1] == [m.slug], "all_names": names,
                "html": place(m.body, f"mineral-{m.slug}--", demote=1, links=links, up=1)[0]}
               for m in minerals] if print_version else []
    return dict(page_title=site.title, title=site.title, subtitle=site.subtitle, sections=secs,
                front=fronts,
                appendix=apps, headlines=headlines, minerals=mins, print_minerals=printed,
                releases=site.releases, parameters=site.parameters, checksums=site.checksums,
                chart_data=site.chart_data, prefix="", css=_css(), print_version=print_version,
                dated=site.dated, citation=site.citation, fingerprint=fingerprint(site.checksums))


def fingerprint(checksums: list) -> str:
    """One SHA-256 over every input's path and SHA-256: two builds with the same fingerprint read
    the same inputs."""
    import hashlib

    lines = "".join(f"{c['path']} {c['sha256']}\n" for c in sorted(checksums, key=lambda c: c["path"]))
    return hashlib.sha256(lines.encode()).hexdigest()


def index_html(site: Site, sections, appendix, minerals, print_version=False,
               link_minerals=None, front=()) -> str:
    """index.html, or with print_version the whole report as one page for the PDF (mineral pages
    included, links between pages made links within it). link_minerals: the slugs of every mineral
    page of the build, when only some of the fragments are passed (a PDF part made early)."""
    ctx = _index_context(site, sections, appendix, minerals, print_version, link_minerals, front)
    return _pages().get_template("index.html.j2").render(**ctx)


def mineral_html(site: Site, frag: Fragment, prev: str | None = None, next: str | None = None) -> str:
    """A mineral's page; prev / next: the slugs of the mineral pages before and after it."""
    body, _ = place(frag.body, "", depth=1)
    name = site.mineral_names.get(frag.slug, frag.slug)
    link = lambda s: {"href": f"{s}.html", "name": site.mineral_names.get(s, s)} if s else None  # noqa: E731
    return _pages().get_template("mineral.html.j2").render(
        page_title=f"{name} — {site.title}", title=site.title, subtitle=site.subtitle,
        html=body, css=_css(), prev=link(prev), next=link(next))
