"""Markdown seeds: optional YAML (``---``) or TOML (``+++``) front matter, then a Markdown body.

Front matter gives the metadata (title, date, updated, author, editor, source, tags, id,
summary, canonical url, language, lead image); the body is rendered with markdown-it-py and then made
safe by the same nh3 step the HTML parser uses (``sanitize.sanitise_html``), so raw HTML in
Markdown is allowed in but scripts, handlers and ``javascript:`` links never come out.

It must not guess metadata from body text (that is the plain-text parser's job) and must
not read YAML with anything but a safe loader.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import SeedError
from ..model import Article
from .clean import clean_line
from .dates import ImpossibleDate, to_zone
from .images import absolute_image, image_type
from .people import normalise_people
from .sanitize import html_paragraphs, sanitise_html

# CommonMark plus GFM tables and strikethrough; raw HTML is parsed, then nh3 decides.
_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# markdown-it would print a refused link (javascript:…) as its literal source text; let it
# build the link and leave the one safety decision to nh3, which keeps only the link text.
_MD.validateLink = lambda url: True  # type: ignore[method-assign]

# Opening fence -> (format, closing fence). YAML may also close with '...'.
_FENCES = {
    "---": ("YAML", re.compile(r"^(?:---|\.\.\.)[ \t]*$")),
    "+++": ("TOML", re.compile(r"^\+\+\+[ \t]*$")),
}

# Accepted spellings of each field, compared after lower-casing and '-' -> '_'.
_ALIASES = {
    "title": ("title", "headline", "标题", "標題"),
    "published": ("date", "published", "pubdate", "publishdate", "publish_date", "date_published",
                  "published_at", "created", "发布时间", "發布時間"),
    "updated": ("updated", "lastmod", "modified", "last_modified", "date_modified", "updated_at",
                "更新时间"),
    "author": ("author", "authors", "byline", "作者"),
    "editor": ("editor", "editors", "编辑", "編輯", "责任编辑", "責任編輯"),
    "source": ("source", "来源", "來源"),
    "tags": ("tags", "tag", "keywords"),  # categories are sections, not tags
    "id": ("id", "uid", "guid", "uuid"),
    "summary": ("summary", "description", "excerpt", "abstract", "摘要"),
    "url": ("url", "canonical", "canonical_url", "canonicalurl", "link", "permalink"),
    "language": ("language", "lang", "locale"),
    "image": ("image", "images", "cover", "cover_image", "featured_image", "feature_image",
              "thumbnail", "og_image", "lead_image", "banner", "封面", "图片", "圖片"),
    "image_type": ("image_type", "image_mime"),
}


class _StringLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's when present: ~10x faster) that keeps every scalar a string
    (only null stays null).

    YAML 1.1 would turn `id: 0815` into 533, `title: no` into False and `2023-02-30` into a
    crash; metadata is text, and dates.to_zone reads date strings with our own rules.
    """


_StringLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter mapping, body). No front matter -> ({}, text). Raises SeedError."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    fence = lines[start].strip()
    if fence not in _FENCES:
        return _fenceless_front_matter(lines, start) or ({}, text)
    kind, end_re = _FENCES[fence]
    end = next((i for i in range(start + 1, len(lines)) if end_re.match(lines[i])), None)
    if end is None:
        raise SeedError(f"the {kind} front matter opened on line {start + 1} is never closed "
                        f"(no closing {fence} line)")
    raw = "\n".join(lines[start + 1:end])
    data = _load_yaml(raw, start + 1) if kind == "YAML" else _load_toml(raw, start + 1)
    return data, "\n".join(lines[end + 1:])


# Hexo writes front matter without the opening '---': 'title: …' lines, then '---'.
_YAML_LINE = re.compile(r"^(?:[A-Za-z_][\w-]*:(?:\s|$)|\s+\S|-\s|#)")
# Pandoc title block: '% Title', '% Author; Author', '% Date' as the first lines.
_PANDOC = re.compile(r"^%[ \t]?(.*)$")


def _fenceless_front_matter(lines: list[str], start: int) -> tuple[dict[str, Any], str] | None:
    if _PANDOC.match(lines[start]):
        block = []
        for line in lines[start:start + 3]:
            if not (m := _PANDOC.match(line)):
                break
            block.append(m.group(1).strip())
        keys = ("title", "author", "date")
        fm = {k: v.replace(";", "、") if k == "author" else v
              for k, v in zip(keys, block, strict=False) if v}
        return fm, "\n".join(lines[start + len(block):])
    end = next((i for i in range(start, min(len(lines), start + 60))
                if re.match(r"^---[ \t]*$", lines[i])), None)
    if end is None or end == start or not all(
            _YAML_LINE.match(ln) for ln in lines[start:end] if ln.strip()):
        return None
    try:
        data = _load_yaml("\n".join(lines[start:end]), start)
    except SeedError:
        return None  # not front matter after all: leave the text to Markdown
    return (data, "\n".join(lines[end + 1:])) if data.get("title") else None


MAX_YAML_DEPTH = 20


def _check_yaml_events(raw: str) -> None:
    """Refuse what could make loading cost more than reading: aliases (a few hundred bytes
    of anchors and aliases expand to gigabytes) and deep nesting. Front matter needs neither."""
    depth = 0
    for event in yaml.parse(raw, Loader=_StringLoader):
        if isinstance(event, yaml.AliasEvent):
            raise SeedError("the YAML front matter uses an alias (*name); seedfeed does not "
                            "expand aliases: write the value out")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise SeedError(f"the YAML front matter nests deeper than {MAX_YAML_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _load_yaml(raw: str, offset: int) -> dict[str, Any]:
    try:
        _check_yaml_events(raw)
        data = yaml.load(raw, Loader=_StringLoader)  # noqa: S506 - a SafeLoader subclass: safe
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        # libyaml marks an unclosed construct at the end of input: name its last line instead
        last = raw.count("\n")
        where = f" at line {min(mark.line, last) + offset + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise SeedError(f"the YAML front matter is invalid{where}: {problem}") from e
    return _mapping(data, "YAML")


def _load_toml(raw: str, offset: int) -> dict[str, Any]:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as e:
        # tomllib counts lines from the first line inside the fence; report file lines.
        msg = re.sub(r"line (\d+)", lambda m: f"line {int(m[1]) + offset}", str(e))
        raise SeedError(f"the TOML front matter is invalid: {msg}") from e
    return _mapping(data, "TOML")


def _mapping(data: object, kind: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SeedError(f"the {kind} front matter is not a list of key: value fields")
    fm = {str(k).strip().lower().replace("-", "_"): v for k, v in data.items()}
    # Hugo 'params:', Zola '[extra]' and '[taxonomies]' nest the site's own fields
    # (author, source, tags); top-level keys win over nested ones.
    for nest in ("params", "extra", "taxonomies"):
        if isinstance(fm.get(nest), dict):
            for k, v in _mapping(fm[nest], kind).items():
                fm.setdefault(k, v)
    return fm


_FLAGS = {"true", "false", "yes", "no", "on", "off"}


def _field(fm: dict[str, Any], name: str) -> Any:
    # Jekyll's 'published: false' is a flag, not a date; see _check_not_draft
    return next((fm[k] for k in _ALIASES[name] if fm.get(k) not in (None, "", [])
                 and not (name == "published" and str(fm[k]).lower() in _FLAGS)), None)


def _check_not_draft(fm: dict[str, Any]) -> None:
    """A seed its author marked unfinished (Hugo/Hexo/Zola 'draft: true', Jekyll
    'published: false') is not published: the static-site generators the file came from would
    not publish it either, and an unfinished article in a public feed cannot be taken back.
    It is rejected with a reason (not ignored silently) so that `check` shows why it is missing.
    """
    draft = str(fm.get("draft", "")).strip().lower() in ("true", "yes", "on")
    if draft or str(fm.get("published", "")).strip().lower() in ("false", "no", "off"):
        key = "draft: true" if draft else "published: false"
        raise SeedError(f"the front matter marks it unfinished ({key}); it is published once "
                        f"that line is removed")


def _text(value: Any) -> str | None:
    """A scalar, a list of scalars or {name: …} objects as one clean line."""
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = "、".join(filter(None, (_text(v) for v in value)))
    if value is None or isinstance(value, (dict, list)):
        return None
    return clean_line(str(value)) or None


def _tags(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else re.split(r"[,，、;；]", _text(value) or "")
    return tuple(dict.fromkeys(t for t in (_text(i) for i in items) if t))


def _url(value: Any) -> str | None:
    url = _text(value)
    parts = urlsplit(url or "")
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _image_ref(value: Any) -> str | None:
    """An image address from `image: URL`, a list of them (Hugo's `images`: the first) or a
    table of one (`cover: {image: URL}`, `{src: …}`, `{url: …}`)."""
    if isinstance(value, list):
        value = next(iter(value), None)
    if isinstance(value, dict):
        value = next((value[k] for k in ("image", "src", "url", "path") if value.get(k)), None)
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else None


def _date(fm: dict[str, Any], name: str, zone: tzinfo, warnings: list[str]) -> datetime | None:
    value = _field(fm, name)
    if value is None:
        return None
    try:
        found = to_zone(value, zone)
    except ImpossibleDate as e:
        warnings.append(f"ignored the front matter {name} date: {e}")
        return None
    if found is None:
        warnings.append(f"could not read the front matter {name} date {value!r}")
    return found


def _inline_text(token: Token) -> str:
    return "".join(c.content for c in token.children or () if c.type in ("text", "code_inline"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


# Hugo shortcodes: {{< figure … >}}, {{% notice %}} … {{% /notice %}}. Their markup is the
# theme's, not the article's: the tags go, the text between a pair stays.
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.DOTALL)
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
# CommonMark's flanking rule leaves '**“引号”**的' literal (punctuation inside, a letter
# outside); Jekyll and Hugo users expect bold, so a pair left over in one text run is bold.
_LEFT_BOLD = re.compile(r"\*\*(?=\S)([^*\n]*?\S)\*\*")


def _drop_shortcodes(body: str) -> str:
    """Shortcode tags removed outside fenced code, where they are shown as written."""
    out, fence = [], None
    for chunk in re.split(r"(?m)^(?= {0,3}(?:```|~~~))", body):
        m = _FENCE.match(chunk)
        if fence is None and m:
            fence = m.group(1)[0] * 3
        elif fence is not None and m and m.group(1).startswith(fence):
            fence = None  # the closing fence; what follows it on later lines is text
            head, _, rest = chunk.partition("\n")
            out.append(head + "\n" + _SHORTCODE.sub("", rest))
            continue
        out.append(chunk if fence is not None else _SHORTCODE.sub("", chunk))
    return "".join(out)


def _bold_leftovers(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        for child in token.children:
            if child.type != "text" or "**" not in child.content:
                children.append(child)
                continue
            pos = 0
            for m in _LEFT_BOLD.finditer(child.content):
                children.append(_text_token(child.content[pos:m.start()]))
                children += [Token("strong_open", "strong", 1, markup="**"),
                             _text_token(m.group(1)), Token("strong_close", "strong", -1, markup="**")]
                pos = m.end()
            children.append(_text_token(child.content[pos:]))
        token.children = [c for c in children if c.type != "text" or c.content]


def _text_token(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _take_leading_h1(tokens: list[Token], title: str | None) -> tuple[list[Token], str | None]:
    """Drop an opening `# Heading` that repeats the title; with no title it becomes the title."""
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        heading = clean_line(_inline_text(tokens[1]))
        if title is None or _norm(heading) == _norm(title):
            return tokens[3:], title or heading or None
    return tokens, title


def parse_markdown(text: str, zone: tzinfo) -> Article:
    """Parse one Markdown seed. Raises SeedError on bad front matter, no title or no body."""
    fm, body = split_front_matter(text)
    _check_not_draft(fm)
    parsed = _MD.parse(_drop_shortcodes(body))
    _bold_leftovers(parsed)
    tokens, title = _take_leading_h1(parsed, _text(_field(fm, "title")))
    if not title:
        raise SeedError("no title: the front matter has no title and the body does not open "
                        "with a '# heading'")
    url = _url(_field(fm, "url"))
    content_html = sanitise_html(_MD.renderer.render(tokens, _MD.options, {}), url)
    paragraphs = html_paragraphs(content_html)
    if not paragraphs:
        raise SeedError(f"the article has a title ({title!r}) but no body text")
    warnings: list[str] = []
    published = _date(fm, "published", zone, warnings)
    if published is None:
        warnings.append("no publication date in the front matter")
    return Article(
        title=title,
        paragraphs=paragraphs,
        content_html=content_html,
        published=published,
        updated=_date(fm, "updated", zone, warnings),
        source=_text(_field(fm, "source")),
        author=normalise_people(_text(_field(fm, "author"))),
        editor=normalise_people(_text(_field(fm, "editor"))),
        language=_text(_field(fm, "language")),
        tags=_tags(_field(fm, "tags")),
        summary=_text(_field(fm, "summary")),
        declared_id=_text(_field(fm, "id")),
        url=url,
        image=absolute_image(_image_ref(_field(fm, "image")), url),
        image_type=image_type(_text(_field(fm, "image_type"))),
        warnings=tuple(warnings),
    )
