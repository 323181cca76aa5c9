"""Article bodies: Markdown shown with inert links, and Markdown files with front matter.

- :func:`inert_markdown` - the body as Markdown in which nothing is a link: ``[text](url)``
  becomes ``text（url）``, images become a bracketed note, and every remaining bracket, angle
  bracket and bare address is escaped or put in a code span, so no renderer (CommonMark with
  autolinks, raw HTML or linkify) makes anything clickable. An operator on a shared terminal
  must never open an address from an article by accident, and an article cannot smuggle markup.
- :func:`parse_front_matter` - split a Markdown file into its ``key: value`` header and body.
"""

from __future__ import annotations

import re

from hotline_tui.domain.errors import ValidationError

__all__ = ["FrontMatter", "inert_markdown", "parse_front_matter"]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
# [text](dest "title") and ![alt](dest): text without brackets, dest without spaces.
_LINK = re.compile(
    r"(!?)\[([^\[\]]*)\]\(\s*<?([^()\s<>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
# Addresses a linkify pass would turn into links: schemes, www., e-mail addresses.
_BARE = re.compile(
    r"(?:[a-z][a-z0-9+.-]{1,15}://|www\.|mailto:)[^\s<>`\u3000-\u303f\uff08\uff09\uff0c]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)
_ESCAPE = re.compile(r"([\[\]<>])")
# Punctuation that ends a sentence rather than an address ("见 http://a.cn/x)。").
_TRAILING = ".,;:!?)]}'\"。，；：！？）"


def _code(text: str) -> str:
    """``text`` as an inline code span (literal in every renderer, never linkified)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _inert_plain(text: str) -> str:
    """Neutralise a stretch of inline text that holds no code span."""
    parts: list[str] = []
    last = 0
    for match in _LINK.finditer(text):
        parts.append(_escape_rest(text[last : match.start()]))
        image, label, dest = match.groups()
        label_text = _escape_rest(label.strip())
        shown = (f"［图片：{label_text}］" if label_text else "［图片］") if image else label_text
        parts.append(f"{shown}（{_code(dest)}）" if dest else shown)
        last = match.end()
    parts.append(_escape_rest(text[last:]))
    return "".join(parts)


def _escape_rest(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in _BARE.finditer(text):
        address = match.group().rstrip(_TRAILING)
        out.append(_ESCAPE.sub(r"\\\1", text[last : match.start()]))
        out.append(_code(address))
        last = match.start() + len(address)
    out.append(_ESCAPE.sub(r"\\\1", text[last:]))
    return "".join(out)


def _inert_line(line: str) -> str:
    out: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(line):
        out.append(_inert_plain(line[last : match.start()]))
        out.append(match.group())  # code is literal already
        last = match.end()
    out.append(_inert_plain(line[last:]))
    return "".join(out)


def inert_markdown(body: str) -> str:
    """``body`` with every link, image, autolink, bare address and HTML tag made inert text.

    Fenced code blocks are kept as they are (their content is literal in Markdown).
    """
    lines: list[str] = []
    fence: str | None = None
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            lines.append(line)
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            lines.append(line)
            continue
        lines.append(_inert_line(line))
    return "\n".join(lines)


# --- front matter ----------------------------------------------------------------------------

_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*(.*)$")
_LIST_SPLIT = re.compile(r"\s*[,，、;；]\s*")


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _inline_list(value: str) -> list[str]:
    inner = value.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    return [_scalar(item) for item in _LIST_SPLIT.split(inner) if _scalar(item)]


FrontMatter = dict[str, str | list[str]]


def parse_front_matter(text: str) -> tuple[FrontMatter, str, dict[str, int]]:
    """``(fields, body, lines)`` of a Markdown file that may start with front matter.

    Front matter is the block between a first line ``---`` and the next ``---``: lines
    ``key: value``, lists as ``key: [a, b]``, ``key: a、b`` or ``- item`` lines under ``key:``.
    A value is never evaluated (this is not a YAML loader). ``lines`` gives each key's 1-based
    line, to name it in errors. Raises ValidationError ``validation.front_matter`` with the line.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, {}
    fields: FrontMatter = {}
    key_lines: dict[str, int] = {}
    current: str | None = None
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip()
        if line.strip() in ("---", "..."):
            return fields, "\n".join(lines[number:]), key_lines
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        stripped = line.strip()
        if stripped.startswith("- ") and current is not None:
            existing = fields.get(current)
            items = existing if isinstance(existing, list) else []
            item = _scalar(stripped[2:])
            if item:
                items.append(item)
            fields[current] = items
            continue
        match = _KEY.match(stripped)
        if match is None:
            raise ValidationError("validation.front_matter", line=number, text=stripped[:60])
        key, value = match.group(1).lower().replace("-", "_"), match.group(2)
        current = key
        key_lines[key] = number
        if value.strip().startswith("["):
            fields[key] = _inline_list(value)
        elif value.strip():
            fields[key] = _scalar(value)
        else:
            fields[key] = []
    raise ValidationError("validation.front_matter", line=len(lines), text="---")
