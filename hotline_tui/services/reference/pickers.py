"""Pick lists for intake: categories, departments and areas that match what an operator types.

An operator types Chinese (营业执照), full pinyin (yingyezhizhao), pinyin initials (yyzz), a
short name (市监局, or its initials sjj) or a code. A category is also found by the words callers
use for it (噪音 for 噪声污染, 物管 for 物业管理): the synonym lists in force
(:func:`hotline_tui.services.kb.insights.synonym_groups`: the city's imported lists, else the
built-in ones), the same that widen a knowledge-base search. :func:`build_index` reads the reference
tables once and computes every item's keys; :meth:`PickIndex.search` ranks the items in memory
(a few hundred items: microseconds, so a console may call it per keystroke without a worker).

pypinyin and its dictionaries load on the first :func:`build_index` call, never at import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.reference import catalogue as reference

__all__ = [
    "PickIndex",
    "PickItem",
    "PickerSet",
    "aliases",
    "build_index",
    "build_pickers",
    "category_items",
    "keys_for",
]

Kind = Literal["category", "department", "area"]


@dataclass(frozen=True)
class PickItem:
    """One choice: its code, what the operator reads, and the lower-case keys it matches."""

    kind: str
    code: str
    name: str
    short_name: str
    detail: str  # category path, department code, area parent
    keys: tuple[str, ...] = ()
    leaf: bool = True

    @property
    def label(self) -> str:
        short = f"（{self.short_name}）" if self.short_name and self.short_name != self.name else ""
        return f"{self.name}{short}"


def _pinyin(text: str) -> tuple[str, str]:
    """Full pinyin (no tones, joined) and initials of ``text``; other characters kept."""
    from pypinyin import Style, lazy_pinyin  # heavy: loaded by the first index build only

    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return full, initials


def keys_for(*names: str) -> tuple[str, ...]:
    """Every key a name matches: itself, its full pinyin and its pinyin initials."""
    keys: list[str] = []
    for name in names:
        if not name:
            continue
        full, initials = _pinyin(name)
        for key in (name.lower(), full, initials):
            if key and key not in keys:
                keys.append(key)
    return tuple(keys)


@dataclass
class PickIndex:
    """Items of one kind with their keys, searched in memory."""

    items: list[PickItem] = field(default_factory=list)

    def search(self, query: str, limit: int = 8, *, leaves_only: bool = False) -> list[PickItem]:
        """The best matches of ``query``: exact code or key, then prefixes, then substrings."""
        q = "".join(query.split()).lower()
        if not q:
            return []
        scored: list[tuple[int, int, int, PickItem]] = []
        for position, item in enumerate(self.items):
            if leaves_only and not item.leaf:
                continue
            score = _score(item, q)
            if score:
                scored.append((-score, len(item.name), position, item))
        scored.sort(key=lambda entry: entry[:3])
        return [entry[3] for entry in scored[:limit]]

    def get(self, code: str) -> PickItem | None:
        for item in self.items:
            if item.code == code:
                return item
        return None


def _score(item: PickItem, q: str) -> int:
    if item.code.lower() == q:
        return 100
    best = 0
    for rank, key in enumerate(item.keys):
        # Keys of the name come before keys of the short name and the path: a tie prefers them.
        bonus = max(0, 5 - rank)
        if key == q:
            best = max(best, 90 + bonus)
        elif key.startswith(q):
            best = max(best, 70 + bonus)
        elif q in key:
            best = max(best, 40 + bonus)
    return best


@dataclass(frozen=True)
class PickerSet:
    categories: PickIndex
    departments: PickIndex
    areas: PickIndex


def build_index(items: Iterable[PickItem]) -> PickIndex:
    return PickIndex(list(items))


def aliases(text: str, groups: Sequence[Sequence[str]]) -> list[str]:
    """``text`` said with other words of a synonym group: each word of a group found in it
    replaced by each of the others (噪声污染 → 噪音污染)."""
    found: list[str] = []
    for group in groups:
        for word in group:
            if not word or word not in text:
                continue
            for other in group:
                alias = text.replace(word, other)
                if other != word and alias != text and alias not in found:
                    found.append(alias)
    return found


def category_items(
    views: Sequence[reference.CategoryView], synonyms: Sequence[Sequence[str]] = ()
) -> list[PickItem]:
    """The categories' pick items: keys of the name, short name and path, then (after them, so
    a tie prefers the category's own words) of the same said with synonyms."""
    parents = {v.parent_code for v in views if v.parent_code}
    items = []
    for v in views:
        keys = keys_for(v.name, v.short_name) + tuple(k for k in (v.path.lower(),) if k)
        said = [a for text in (v.name, v.short_name) if text for a in aliases(text, synonyms)]
        extra = keys_for(*said) + tuple(a.lower() for a in aliases(v.path, synonyms))
        keys += tuple(k for k in dict.fromkeys(extra) if k not in keys)
        items.append(
            PickItem(
                "category", v.code, v.name, v.short_name, v.path, keys, leaf=v.code not in parents
            )
        )
    return items


def build_pickers(hl: Hotline, actor: Actor) -> PickerSet:
    """Read the reference tables and build the three pick lists (once per console session)."""
    # Imported here: kb_insights brings the knowledge index's analysis along.
    from hotline_tui.services.kb.insights import synonym_groups

    categories = reference.list_categories(hl, actor)
    departments = [d for d in reference.list_departments(hl, actor) if d.active]
    areas = reference.list_areas(hl, actor)
    area_names = {a.code: a.name for a in areas}
    return PickerSet(
        categories=build_index(category_items(categories, synonym_groups(hl))),
        departments=build_index(
            PickItem(
                "department",
                d.code,
                d.name,
                d.short_name,
                d.code,
                keys_for(d.name, d.short_name),
            )
            for d in departments
        ),
        areas=build_index(
            PickItem(
                "area",
                a.code,
                a.name,
                a.short_name,
                area_names.get(a.parent_code or "", ""),
                keys_for(a.name, a.short_name),
            )
            for a in areas
        ),
    )
