"""MinHash signatures of shingle sets, many at a time, and their LSH band keys.

The hash family is datasketch's (:class:`datasketch.MinHash`, its default ``affine32`` scheme:
a MurmurHash3 finaliser, then ``a·h + b mod 2^32`` per permutation, seeded): :func:`signature` of
one text equals ``MinHash(NUM_PERM, seed=SEED, hashfunc=shingle_hash)`` updated with the text's
:func:`shingle_codes` (a test holds them equal). What is ours is the speed: :func:`signatures`
computes a whole batch in a few numpy operations (three times faster than one ``MinHash`` per
order), and a shingle's hash is computed from its characters' code points in numpy, not by a
Python call per shingle. The permutations are drawn here as datasketch draws them, without
importing it: its package loads scipy, seconds of imports in a console that has just started.

:func:`band_keys` cuts a signature into :data:`BANDS` bands of :data:`ROWS` values and hashes
each band to one 64-bit key: two sets of Jaccard similarity ``s`` share at least one key with
probability ``1 - (1 - s^ROWS)^BANDS`` (0.99 at s = 0.5, 0.88 at 0.4, 0.23 at 0.2), so the
candidates for a duplicate (similarity 0.6 and more) are almost never missed, and the exact
similarity of the few candidates decides (:mod:`hotline_tui.domain.near_dup`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from hotline_tui.domain.near_dup import SHINGLE

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "SEED",
    "band_keys",
    "shingle_hash",
    "signature",
    "signatures",
]

NUM_PERM = 96
BANDS = 32
ROWS = 3
SEED = 12345
_MAX = np.uint32((1 << 32) - 1)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_BATCH = 256  # orders per numpy step: bounds the (shingles × permutations) matrix to ~10 MB
# MurmurHash3's 32-bit finaliser, as datasketch applies it before its affine permutations.
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """``datasketch.MinHash(NUM_PERM, seed=SEED).permutations`` (affine32): odd ``a``, any ``b``."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2 = _FMIX
    with np.errstate(over="ignore"):
        hv = hv ^ (hv >> s1)
        hv = hv * m1
        hv = hv ^ (hv >> s2)
        hv = hv * m2
        mixed: np.ndarray = hv ^ (hv >> s1)
    return mixed


def _codes(text: str, size: int = SHINGLE) -> np.ndarray:
    """One integer per shingle: the code points of its characters, 21 bits each."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(points) <= size:
        out = np.zeros(1 if len(points) else 0, dtype=np.uint64)
        for k in range(len(points)):
            out |= points[k] << np.uint64(21 * k)
        return out
    out = np.zeros(len(points) - size + 1, dtype=np.uint64)
    for k in range(size):
        out |= points[k : len(points) - size + 1 + k] << np.uint64(21 * k)
    return out


def _mix(codes: np.ndarray) -> np.ndarray:
    # Fibonacci hashing to 32 bits: what the permutations expect.
    with np.errstate(over="ignore"):
        mixed: np.ndarray = ((codes * _GOLDEN) >> np.uint64(32)).astype(np.uint32)
    return mixed


def shingle_hash(code: int) -> int:
    """The 32-bit hash of one shingle's code (the ``hashfunc`` given to datasketch)."""
    return int(_mix(np.array([code], dtype=np.uint64))[0])


def shingle_codes(normalised: str) -> list[int]:
    """The distinct shingle codes of a normalised text (for datasketch's own ``MinHash``)."""
    return sorted({int(c) for c in _codes(normalised)})


def signature(normalised: str) -> np.ndarray:
    """The MinHash signature of one normalised text (``NUM_PERM`` unsigned 32-bit values)."""
    one: np.ndarray = signatures([normalised])[0]
    return one


def signatures(texts: Sequence[str]) -> np.ndarray:
    """Signatures of many normalised texts: an array ``len(texts) × NUM_PERM``.

    An empty text gets the all-maximum signature (datasketch's empty MinHash), which shares its
    keys only with other empty texts."""
    out = np.full((len(texts), NUM_PERM), _MAX, dtype=np.uint32)
    a, b = _permutations()
    for start in range(0, len(texts), _BATCH):
        chunk = [np.unique(_codes(t)) for t in texts[start : start + _BATCH]]
        sizes = np.array([len(c) for c in chunk])
        filled = np.flatnonzero(sizes)
        if not len(filled):
            continue
        hashes = _fmix(_mix(np.concatenate([chunk[i] for i in filled])))[:, None]
        with np.errstate(over="ignore"):
            permuted = hashes * a + b
        offsets = np.concatenate(([0], np.cumsum(sizes[filled])[:-1]))
        out[start + filled] = np.minimum.reduceat(permuted, offsets, axis=0)
    return out


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """One 64-bit key per band of each signature: an array ``len(sigs) × BANDS``."""
    bands = sigs[:, : BANDS * ROWS].reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
    key = np.zeros((len(sigs), BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for row in range(ROWS):
            key = (key ^ bands[:, :, row]) * _GOLDEN + np.uint64(row + 1)
        # The band's number is part of its key: band 3's values never meet band 5's.
        key ^= np.arange(BANDS, dtype=np.uint64) * np.uint64(0xBF58476D1CE4E5B9)
    return key
