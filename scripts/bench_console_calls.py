"""The console on real work, for ``bench_console.py``: three calls typed end to end, the start of
each role's console, and two editors typing the same Chinese in the same pseudo-terminal.

The calls are the ones the console was tried on as a new operator would (keys in, bytes and times
out), one after another in one console as ``op1``:

1. a consult answered from the knowledge base: phone, name, description, the knowledge line, F9
   (the suggestions), F10 (answered from the article);
2. a complaint for two departments: category and area from their pick lists, the dispatch
   catalogue's lead, a co-handler from its list, F10 (dispatched: 待签收);
3. an anonymous confidential report (举报, 保密 是), dispatched to the catalogue's lead.

A step is keys sent one at a time (text typed one character at a time, each answer settled and
measured), then, if it names a screen, the wait for the text that shows it: its time is counted
from the step's last key. The keys follow the intake form's field order: a step whose screen never
comes says so (the form changed; adjust the steps) and the call stops there.
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench_pty import Terminal, console_argv, mean, terminal_env

__all__ = [
    "CALLS",
    "HOMES",
    "CallResult",
    "Step",
    "is_chinese",
    "run_calls",
    "start_times",
    "type_in_editor",
]

TAB, RIGHT, ENTER = "\t", "\x1b[C", "\r"
F9, F10 = "\x1b[20~", "\x1b[21~"
SCREEN_WITHIN = 20.0  # seconds a screen is waited for before the call is given up
KB_PAUSE = 1.0  # the knowledge line follows a pause in the typing (0.5 s) and a search


@dataclass(frozen=True)
class Step:
    keys: tuple[str, ...] = ()
    text: str = ""  # typed after the keys, one character at a time
    screen: str = ""  # what the step brings up, and the text that shows it is there
    marker: str = ""
    quiet: float = 0.25  # a key's answer is over when nothing was written for this long
    pick: bool = False  # typed into a pick list (its list drops and follows the typing)


def keys(*sent: str, screen: str = "", marker: str = "") -> Step:
    return Step(keys=sent, screen=screen, marker=marker)


def typed(text: str, screen: str = "", marker: str = "") -> Step:
    return Step(text=text, screen=screen, marker=marker)


def picked(text: str, screen: str, marker: str) -> Step:
    return Step(text=text, screen=screen, marker=marker, pick=True)


def phone(prefix: str) -> str:
    """A number that never called (its history line reads 无历史来电)."""
    return prefix + "".join(random.choices("0123456789", k=8))


def consult() -> list[Step]:
    return [
        typed(phone("139"), "来电历史", "无历史来电"),
        keys(TAB, TAB),
        typed("王先生"),
        keys(*[TAB] * 9),  # type, urgency, confidential, channel, call-back, category, area…
        typed("想问个体户营业执照怎么办理", "知识库提示", "知识库 F9"),
        keys(F9, screen="知识库建议", marker="知识库建议"),
        keys(F10, screen="已答复保存", marker="已按知识库文章"),
    ]


def complaint() -> list[Step]:
    return [
        typed(phone("137"), "来电历史", "无历史来电"),
        keys(TAB, TAB),
        typed("李女士"),
        keys(TAB, RIGHT, RIGHT),  # 投诉
        keys(*[TAB] * 5),  # urgency, confidential, channel, call-back, category
        picked("餐饮油烟", "分类列表", "环境保护/大气污染/餐饮油烟"),
        keys(ENTER, screen="派单目录建议", marker="派单目录建议"),
        keys(TAB),
        picked("东湖", "区划列表", "东湖区（东湖）"),
        keys(ENTER, TAB),
        typed("东湖路88号"),
        keys(TAB),
        typed("楼下餐馆油烟直排，噪声也大，多次反映未解决"),
        keys(TAB, TAB, TAB),  # disposition (派单), lead (the catalogue's), co-handlers
        picked("市监", "协办单位列表", "青川市市场监督管理局（市监局）"),
        keys(ENTER),
        keys(F10, screen="已派单保存", marker="待签收）"),
    ]


def report() -> list[Step]:
    return [
        typed(phone("136"), "来电历史", "无历史来电"),
        keys(TAB, RIGHT, RIGHT),  # 匿名
        keys(TAB, RIGHT, RIGHT, RIGHT),  # 举报 (an anonymous caller has no name field)
        keys(TAB, TAB, RIGHT),  # urgency, then 保密 是
        keys(TAB, TAB, TAB),  # channel, call-back, category
        picked("无证食品经营", "分类列表", "市场监管/食品安全/无证食品经营"),
        keys(ENTER, screen="派单目录建议", marker="派单目录建议"),
        keys(TAB, TAB, TAB),  # area, address, description
        typed("举报某小区内无证加工熟食，请为举报人保密"),
        keys(F10, screen="已派单保存", marker="待签收）"),
    ]


CALLS = {"咨询，知识库答复": consult, "投诉，两个单位": complaint, "匿名保密举报": report}


def is_chinese(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


@dataclass
class CallResult:
    name: str
    total_bytes: int = 0
    chinese: list[int] = field(default_factory=list)  # bytes in answer to each Chinese char
    chinese_lists: list[int] = field(default_factory=list)  # … typed into a pick list
    other: list[int] = field(default_factory=list)  # … to each other key
    screens: list[tuple[str, float | None]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def reached_all(self) -> bool:
        return all(when is not None for _, when in self.screens)


def run_call(term: Terminal, name: str, steps: Sequence[Step]) -> CallResult:
    result = CallResult(name)
    start, began = term.total, time.monotonic()
    for step in steps:
        sent = time.monotonic()
        for key in step.keys:
            sent = time.monotonic()
            result.other += term.measure([key], quiet=step.quiet)
        for char in step.text:
            sent = time.monotonic()
            (size,) = term.measure([char], quiet=step.quiet)
            if not is_chinese(char):
                result.other.append(size)
            else:
                (result.chinese_lists if step.pick else result.chinese).append(size)
        if step.screen:
            when = term.wait_shown(step.marker, since=sent, timeout=SCREEN_WITHIN)
            result.screens.append((step.screen, None if when is None else when - sent))
            if when is None:
                break
            term.settle(quiet=step.quiet)
    result.total_bytes = term.total - start
    result.seconds = time.monotonic() - began
    return result


def run_calls(low: bool, db: str | None, warm_up: float) -> list[CallResult]:
    """The three calls, one after another, in one console as op1."""
    with tempfile.TemporaryDirectory() as drafts:
        env = terminal_env({"HOTLINE_CONSOLE_DRAFTS_DIR": drafts})
        term = Terminal(console_argv("op1", low, db), env)
        try:
            if term.wait_for("来电号码".encode(), timeout=30) is None:
                raise SystemExit("the intake screen never appeared")
            # The pick lists and the word segmenter load once the operator pauses.
            time.sleep(warm_up)
            term.settle(quiet=0.5)
            return [run_call(term, name, make()) for name, make in CALLS.items()]
        finally:
            term.close()


# ---------------------------------------------------------------------- start

# Each role's home, and the text that shows it usable: the form, the queue's row count.
HOMES = {"op1": "来电号码", "disp1": "待派单：", "dept1": "待签收："}
REFERENCE = "import textual.app"


def reference_seconds() -> float:
    """The wall time of a Python that loads Textual's application framework and exits: what
    any Textual console pays before its first paint, on this host, now."""
    began = time.monotonic()
    subprocess.run([sys.executable, "-c", REFERENCE], check=True)
    return time.monotonic() - began


def start_times(
    low: bool, db: str | None, runs: int
) -> dict[str, tuple[list[float], list[float], list[float]]]:
    """For each role: wall seconds from launch to its usable home, the console's processor
    seconds by then, and the reference measured just before each start (fresh processes).

    One unmeasured start per user comes first, as a shift's second start has it: the console
    remembers an operator's home beside their draft and paints the intake form before the
    login (``hotline_tui/ui/remembered_home.py``); the first start ever waits for the login."""
    found: dict[str, tuple[list[float], list[float], list[float]]] = {}
    for user, marker in HOMES.items():
        walls, cpus, refs = [], [], []
        with tempfile.TemporaryDirectory() as drafts:
            env = terminal_env({"HOTLINE_CONSOLE_DRAFTS_DIR": drafts})
            for run in range(runs + 1):
                if run:
                    refs.append(reference_seconds())
                term = Terminal(console_argv(user, low, db), env)
                try:
                    when = term.wait_for(marker.encode(), timeout=60)
                    if not run:
                        term.settle(quiet=1.0, timeout=30)  # the login done, the home remembered
                        continue
                    cpus.append(term.cpu_seconds())
                    walls.append(float("nan") if when is None else when - term.started)
                finally:
                    term.close()
        found[user] = (walls, cpus, refs)
    return found


# ---------------------------------------------------------------------- editors

EDITOR_TEXT = "楼下餐馆油烟直排噪声也大"


def type_in_editor(name: str) -> list[int] | None:
    """Bytes written by ``vim`` or ``nano`` in answer to each Chinese character typed, in the
    same pseudo-terminal; None if the editor is not installed."""
    program = shutil.which(name)
    if program is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        target = str(Path(folder) / "x.txt")
        if name == "vim":
            argv = [program, "-u", "NONE", "-N", "-n", "-i", "NONE", target]
        else:
            argv = [program, "--ignorercfiles", target]
        term = Terminal(argv, terminal_env())
        try:
            term.settle(quiet=0.5)
            if name == "vim":
                term.measure(["i"])
            return term.measure(list(EDITOR_TEXT))
        finally:
            term.close()


def print_calls(label: str, results: Sequence[CallResult], vim: list[int] | None) -> None:
    print(f"\n== three calls, {label} (op1; goal ≤ 150 B per Chinese character)")
    for result in results:
        print(
            f"{result.name}: {result.total_bytes} B in {result.seconds:.1f} s; Chinese typed: "
            f"{len(result.chinese)} in text fields, {mean(result.chinese):.0f} B each (max "
            f"{max(result.chinese, default=0)}), {len(result.chinese_lists)} in pick lists, "
            f"{mean(result.chinese_lists):.0f} B each; {mean(result.other):.0f} B per other key"
        )
        for screen, when in result.screens:
            shown = "NEVER (the steps are out of step with the form)" if when is None else ""
            print(f"    {screen:<8}{shown or f'{when:6.3f} s after its key'}")
    fields = [size for result in results for size in result.chinese]
    lists = [size for result in results for size in result.chinese_lists]
    line = f"all calls, per Chinese character: {mean(fields):.0f} B in text fields"
    if vim:
        line += f" ({mean(fields) / mean(vim):.1f}× vim's {mean(vim):.0f} B)"
    line += f", {mean(fields + lists):.0f} B with the pick lists' (goal ≤ 150"
    print(line + (", ≤ 3× vim)" if "low" in label else ")"))


def print_starts(
    label: str, found: dict[str, tuple[list[float], list[float], list[float]]]
) -> None:
    print(f"\n== start to the usable home, {label} (goal ≤ 1.0 s on a quiet host)")
    print(f"reference: python -c '{REFERENCE}', run just before each start")
    for user, (walls, cpus, refs) in found.items():
        wall, ref = statistics.median(walls), statistics.median(refs)
        runs = ", ".join(f"{w:.2f}" for w in walls)
        print(
            f"{user:<6} {HOMES[user]:<6} {wall:6.3f} s (runs {runs})"
            f"  reference {ref:5.3f} s  ratio {wall / ref:4.1f}  "
            f"console processor time {statistics.median(cpus):5.3f} s"
        )
