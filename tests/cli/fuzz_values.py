"""Values for fuzzing the command line: Hypothesis strategies per parameter type.

Strings mix the test world's names (so a command gets past its lookups) with nasty text: NUL and
other control characters, a lone surrogate (what Python makes of a byte that is not UTF-8 in
``argv``), markup, CJK, empty and very long text, dates such as 0000-00-00 and 9999-12-31, huge
numbers. Files are the formats the imports read (calendar JSON and iCalendar, reference and rule
CSVs, knowledge base CSV and Markdown, synonym lists, query lists) with nasty text or bytes put in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

DATA = Path(__file__).resolve().parents[1] / "data" / "calendars"

WORLD = [
    # users, roles, departments, areas, categories (tests/world.py)
    *("op", "disp", "h1", "h2", "h3", "sup", "adm", "admin", "operator", "handler"),
    *("M01", "M02", "M03", "S01", "C1", "D1", "D2", "S1", "T001", "T003", "T011"),
    # vocabularies the commands take
    *("consult", "complaint", "help", "投诉", "normal", "urgent", "critical", "紧急"),
    *("person", "enterprise", "anonymous", "micro", "small"),
    *("pending_dispatch", "in_progress", "closed", "to_sign", "returned", "hotline"),
    *("overdue", "near_due", "sign_overdue", "visit_due"),
    *("draft", "review", "published", "retired", "helpful", "outdated", "wrong"),
    *("not_our_duty", "resolved", "unresolved", "satisfied", "unsatisfied", "unreachable"),
    *("13800138000", "010-12345678", "110105194912310029", "91350100M000100Y43"),
    *("营业执照", "社保 缴费", "yyzz", "09:00-17:00", "5wd", "8wh", "24h", "15d", "0.2"),
    *("2026-03-02", "2026-03-02 09:00", "2099-01-04"),
]

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "M0\x001",
    "\x1b[31m红\x1b[0m",
    "\x07\x08\x7f\x85",
    "\u202etxt.exe",
    "\ufeffBOM",
    "\udcff",
    "行一\n行二\r\n行三\u2028",
    "[b]粗体[/b]",
    "[link=https://example.invalid]点[/link]",
    "{field}",
    "%s%n",
    "../../etc/passwd",
    "中" * 4001,
    "x" * 70_000,
    "0000-00-00",
    "9999-12-31",
    "9999-12-31 16:00",
    "9999-12-31 23:59",
    "0001-01-01",
    "0001-01-01 00:00",
    "2026-02-30",
    "2026-13-01",
    "99999-01-01",
    "notadate",
    "2026-03-02T09:00:00+08:00",
    "0",
    "-1",
    "1",
    "2",
    str(2**31),
    str(2**63),
    str(2**64),
    str(10**30),
    "-" + str(10**30),
    "1e309",
    "nan",
    "inf",
    "0wd",
    "-1wd",
    "1.5wd",
    "99999999999999999999wd",
    "wd",
    "25:61-99:99",
    "17:00-09:00",
    "00:00-24:00",
]

INTS = ["0", "-1", "1", "2", "3", "5", str(2**31), str(2**63), str(10**30), "-" + str(10**30)]
FLOATS = ["0", "-1", "0.5", "1", "30", "1e308", "1e-300", "nan", "inf", "-inf"]


def texts() -> st.SearchStrategy[str]:
    """Any string an option or argument might be given."""
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=12),
        st.builds(lambda a, b: a + b, st.sampled_from(WORLD), st.sampled_from(NASTY)),
        st.sampled_from(WORLD),
    )


def ints() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(INTS), st.integers(-5, 40).map(str), texts())


def floats() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(FLOATS), texts())


def plain_texts() -> st.SearchStrategy[str]:
    """A value that gets a command past its parsing: a name, code or phrase of the world."""
    return st.sampled_from(WORLD)


def plain_ints() -> st.SearchStrategy[str]:
    return st.sampled_from(["1", "2", "3", "5", "30"])


def plain_floats() -> st.SearchStrategy[str]:
    return st.sampled_from(["1", "30", "60"])


# --- files ---------------------------------------------------------------------------------------

TEMPLATES: dict[str, bytes] = {
    "2099.json": (DATA / "2099.json").read_bytes(),
    "2099.ics": (DATA / "2099.ics").read_bytes(),
    "feed.ics": (DATA / "feed-2098-2099.ics").read_bytes(),
    "rules.csv": (DATA / "rules.csv").read_bytes(),
    "areas.csv": "code,name,parent_code,level,short_name\nZ1,新区,C1,district,新\n".encode(),
    "depts.csv": "code,name,kind,area_code\nZ01,测试市新局,municipal,D1\n".encode(),
    "categories.csv": "一级分类,二级分类,三级分类,code\n新类,子类,孙类,N001\n".encode(),
    "catalogue.csv": "category,dept_code,area_code\nT001,M02,D1\n城乡建设/住房,M02,\n".encode(),
    "kb.csv": (
        "id,question,answer,department,category,tags,effective_from,expires_on\n"
        "k1,营业执照如何办理？,到政务服务中心办理。,M01,T001,执照,2026-01-01,2099-12-31\n"
    ).encode(),
    "article.md": (
        "---\ntitle: 居住证怎么办？\ndepartment: M01\ntags: 居住证, 证件\n"
        "effective_from: 2026-01-01\n---\n请携带身份证到窗口办理。\n"
    ).encode(),
    "synonyms.txt": "营业执照 执照 yyzz\n社保、社会保险\n".encode(),
    "queries.txt": "营业执照\n社保 缴费\n(AND OR\n".encode(),
}

INJECTIONS: list[bytes] = [
    b"\x00",
    b"a\x00b",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b'"',
    b",,,,",
    b"\n\n",
    b"\x1b]52;c;aGk=\x07",
    "[b]粗[/b]".encode(),
    b"0000-00-00",
    b"9999-12-31",
    b"99991231",
    str(10**30).encode(),
    ("中" * 5000).encode(),
]


@dataclass(frozen=True)
class FileArg:
    """A path to give a command: ``content`` written to ``name``, or a folder, or nothing."""

    kind: str  # "file", "folder" (holding ``name`` with ``content``), "missing" or "nul"
    name: str = "input.txt"
    content: bytes = b""

    def materialise(self, folder: Path, index: int) -> str:
        """Create what this value stands for under ``folder``; return the path to pass."""
        place = folder / f"arg{index}"
        place.mkdir(parents=True, exist_ok=True)
        if self.kind == "missing":
            return str(place / "absent" / self.name)
        if self.kind == "nul":
            return str(place / "a\x00b.json")
        target = place / self.name
        target.write_bytes(self.content)
        return str(place) if self.kind == "folder" else str(target)


def _inject(template: str, at: int, injection: bytes, replace: bool) -> FileArg:
    content = TEMPLATES[template]
    cut = at % (len(content) + 1)
    end = cut + len(injection) if replace else cut
    return FileArg("file", template, content[:cut] + injection + content[end:])


def plain_files() -> st.SearchStrategy[FileArg]:
    """A well-formed file of one of the formats the commands read."""
    return st.sampled_from(sorted(TEMPLATES)).map(
        lambda name: FileArg("file", name, TEMPLATES[name])
    )


def files() -> st.SearchStrategy[FileArg]:
    """A path argument: a well-formed import file with something nasty put in, raw bytes, a
    folder of Markdown, a missing path, or a path with a NUL in it."""
    templates = st.sampled_from(sorted(TEMPLATES))
    injected = st.builds(
        _inject, templates, st.integers(0, 4000), st.sampled_from(INJECTIONS), st.booleans()
    )
    raw = st.builds(FileArg, st.just("file"), st.sampled_from(sorted(TEMPLATES)), st.binary())
    folder = st.sampled_from(
        [FileArg("folder", "article.md", TEMPLATES["article.md"]), FileArg("folder", "x.txt")]
    )
    odd = st.sampled_from([FileArg("missing"), FileArg("nul")])
    return st.one_of(injected, raw, folder, odd, plain_files())
