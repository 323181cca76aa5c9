"""Building a whole index at once, fast: segmentation in worker processes, postings in memory.

Whoosh's general writer sends every posting through a sorting pool on disk and looks up each
document's field length again while writing; for a full build that is most of the time. Here a
build is one new segment written in one pass: the documents are segmented (in parallel worker
processes when there are many), their postings are kept in memory per term (two compact integer
arrays), and at commit the terms are written in order through Whoosh's own codec, so the result
is an ordinary Whoosh index that any Whoosh reader opens and the incremental writer updates.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.system import emptybytes, pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from hotline_tui.domain.text import configure_segmenter, prepare_segmenter
from kb_index.documents import analyse_many, field_values
from kb_index.schema import TOKEN_FIELDS, AnalysedDoc, IndexDoc, make_schema

__all__ = ["BuildStats", "build_index", "directory_size"]

PARALLEL_FROM = 1500  # below this, starting worker processes costs more than it saves
CHUNK = 200


@dataclass(frozen=True)
class BuildStats:
    documents: int
    seconds: float
    analyse_seconds: float
    bytes: int
    workers: int


class _Postings:
    """One term's postings: document numbers and frequencies, in document order."""

    __slots__ = ("docs", "freqs")

    def __init__(self) -> None:
        self.docs = array("I")
        self.freqs = array("I")


class _BulkWriter(SegmentWriter):  # type: ignore[misc]
    """A Whoosh segment writer for one fresh segment, fed with already segmented documents."""

    def __init__(self, ix: Any) -> None:
        super().__init__(ix)
        self._terms: dict[str, dict[bytes, _Postings]] = {}
        self._lengths: dict[str, array[int]] = {}
        self._text_fields = set(TOKEN_FIELDS)

    def add_analysed(self, analysed: AnalysedDoc) -> None:
        docnum = self.docnum
        schema = self.schema
        values = field_values(analysed)
        pdw = self.perdocwriter
        pdw.start_doc(docnum)
        for name in sorted(values):
            fieldobj = schema[name]
            value = values[name]
            length = 0
            if name in self._text_fields:
                counts = Counter(analysed.tokens[name])
                length = sum(counts.values())
                terms = self._terms.setdefault(name, {})
                for token, freq in counts.items():
                    key = token.encode("utf-8")
                    postings = terms.get(key)
                    if postings is None:
                        postings = terms[key] = _Postings()
                    postings.docs.append(docnum)
                    postings.freqs.append(freq)
                # The stored length is a byte (Whoosh's lossy encoding); block statistics must
                # use the same value the scorer will read back.
                self._lengths.setdefault(name, array("I")).append(
                    byte_to_length(length_to_byte(length))
                )
            elif fieldobj.indexed:
                terms = self._terms.setdefault(name, {})
                for key, _freq, _weight, _vbytes in fieldobj.index(value):
                    postings = terms.get(key)
                    if postings is None:
                        postings = terms[key] = _Postings()
                    postings.docs.append(docnum)
                    postings.freqs.append(0)
            pdw.add_field(name, fieldobj, value if fieldobj.stored else None, length)
        for name in self._text_fields - values.keys():
            self._lengths.setdefault(name, array("I")).append(0)
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        for name in sorted(self._terms):
            fieldobj = self.schema[name]
            terms = self._terms[name]
            lengths = self._lengths.get(name)
            writer.start_field(name, fieldobj)
            for key in sorted(terms):
                postings = terms[key]
                writer.start_term(key)
                if lengths is None:  # an exact field: presence only
                    for docnum in postings.docs:
                        writer.add(docnum, 1.0, emptybytes, 0)
                else:
                    for docnum, freq in zip(postings.docs, postings.freqs, strict=True):
                        writer.add(docnum, float(freq), pack_uint(freq), lengths[docnum])
                writer.finish_term()
            writer.finish_field()
        writer.close()
        self._terms.clear()


def _init_worker(cache_dir: str | None) -> None:
    configure_segmenter(Path(cache_dir) if cache_dir else None)
    prepare_segmenter()


def _chunks(docs: list[IndexDoc]) -> Iterator[list[IndexDoc]]:
    for start in range(0, len(docs), CHUNK):
        yield docs[start : start + CHUNK]


def _analysed(
    docs: list[IndexDoc], workers: int, cache_dir: Path | None
) -> Iterator[list[AnalysedDoc]]:
    if workers <= 1:
        for chunk in _chunks(docs):
            yield analyse_many(chunk)
        return
    # "spawn": the caller may be a threaded console, and forking a threaded process can
    # deadlock the child on a lock some other thread held at the fork.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(str(cache_dir) if cache_dir else None,),
    ) as pool:
        yield from pool.map(analyse_many, _chunks(docs))


def default_workers(count: int) -> int:
    if count < PARALLEL_FROM:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def build_index(
    directory: Path,
    docs: Iterable[IndexDoc],
    *,
    workers: int | None = None,
    cache_dir: Path | None = None,
) -> BuildStats:
    """Create a Whoosh index in the empty ``directory`` holding ``docs``.

    ``workers`` segment in parallel (default: up to four when there are many documents);
    ``cache_dir`` is where their jieba keeps its dictionary cache.
    """
    started = time.perf_counter()
    items = list(docs)
    count = workers if workers is not None else default_workers(len(items))
    ix = whoosh_index.create_in(str(directory), make_schema())
    writer = _BulkWriter(ix)
    analyse_seconds = 0.0
    try:
        mark = time.perf_counter()
        for chunk in _analysed(items, count, cache_dir):
            analyse_seconds += time.perf_counter() - mark
            for analysed in chunk:
                writer.add_analysed(analysed)
            mark = time.perf_counter()
        writer.commit(merge=False)
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    finally:
        ix.close()
    return BuildStats(
        documents=len(items),
        seconds=time.perf_counter() - started,
        analyse_seconds=analyse_seconds,
        bytes=directory_size(directory),
        workers=count,
    )


def directory_size(directory: Path) -> int:
    return sum(entry.stat().st_size for entry in directory.rglob("*") if entry.is_file())
