"""The near-duplicate text and rule: normalisation, shingles, the duplicate/related rule, and
the MinHash signatures against datasketch's own."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash  # type: ignore[import-untyped]

from hotline_tui.domain import minhash
from hotline_tui.domain.near_dup import (
    CALLER_BOOST,
    DUPLICATE_SCORE,
    PLACE_BOOST,
    RELATED_SIMILARITY,
    Facts,
    Relation,
    judge,
    normalise,
    shingles,
    similarity,
)

FIRST = "芙蓉路88号楼下的烧烤店每天晚上油烟很大，噪音扰民到凌晨两点，多次反映没有处理。"


def test_punctuation_space_and_width_do_not_count() -> None:
    assert normalise("油烟很大，噪音扰民！") == "油烟很大噪音扰民"
    assert normalise("油烟 很大 ,  噪音\n扰民.") == "油烟很大噪音扰民"
    # Full-width letters and digits are the half-width ones; letters fold to lower case.
    assert normalise("Ａ区８８号ＫＴＶ") == "a区88号ktv"


def test_personal_data_masked_or_not_is_one_mark() -> None:
    full = normalise("我的电话13812345678，身份证号430102199001011234，请回电")
    masked = normalise("我的电话138****5678，身份证号430***********1234，请回电")
    spaced = normalise("我的电话 138 1234 5678，身份证号430102199001011234，请回电")
    assert full == masked == spaced == "我的电话#身份证号#请回电"
    assert normalise("座机0731-88881234") == "座机#"


def test_shingles_and_similarity() -> None:
    assert shingles("烧烤店油烟") == frozenset({"烧烤店", "烤店油", "店油烟"})
    assert shingles("油烟") == frozenset({"油烟"})
    assert shingles("") == frozenset()
    a, b = shingles("烧烤店油烟"), shingles("烧烤店噪音")
    assert similarity(a, b) == 1 / 5  # {烧烤店} of 5 distinct shingles
    assert similarity(a, frozenset()) == 0.0
    resubmitted = "我再反映一次：芙蓉路88号楼下烧烤店每天晚上油烟很大,噪音扰民到凌晨两点!"
    assert similarity(shingles(normalise(FIRST)), shingles(normalise(resubmitted))) > 0.5


def test_same_caller_needs_less_similarity_than_an_unknown_one() -> None:
    needed_same = DUPLICATE_SCORE - CALLER_BOOST
    assert judge(Facts(needed_same, True, False)) is Relation.DUPLICATE
    assert judge(Facts(needed_same - 0.01, True, False)) is Relation.NONE
    # Unknown caller (no number, no record): the text alone must carry it.
    assert judge(Facts(needed_same, None, False)) is Relation.NONE
    assert judge(Facts(DUPLICATE_SCORE, None, False)) is Relation.DUPLICATE


def test_same_place_boosts_a_duplicate() -> None:
    needed = DUPLICATE_SCORE - CALLER_BOOST - PLACE_BOOST
    assert judge(Facts(needed, True, True)) is Relation.DUPLICATE
    assert judge(Facts(needed, True, False)) is Relation.NONE


def test_other_callers_about_the_same_thing_are_related_never_duplicates() -> None:
    # Even the same text, word for word, at the same address from another caller.
    assert judge(Facts(1.0, False, True)) is Relation.RELATED
    assert judge(Facts(RELATED_SIMILARITY, False, True)) is Relation.RELATED
    assert judge(Facts(RELATED_SIMILARITY - 0.01, False, True)) is Relation.NONE
    # Another caller somewhere else: nothing to show, however alike the words.
    assert judge(Facts(1.0, False, False)) is Relation.NONE


def test_signature_is_datasketchs_minhash() -> None:
    text = normalise(FIRST)
    theirs = MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED, hashfunc=minhash.shingle_hash)
    theirs.update_batch(minhash.shingle_codes(text))
    assert np.array_equal(theirs.hashvalues, minhash.signature(text))
    # Computed in a batch (with an empty text in it), each row is the one computed alone.
    batch = minhash.signatures([text, "", normalise("烧烤店油烟扰民")])
    assert np.array_equal(batch[0], minhash.signature(text))
    assert np.array_equal(batch[2], minhash.signature(normalise("烧烤店油烟扰民")))


def test_band_keys_meet_for_near_duplicates_only() -> None:
    again = normalise(
        "芙蓉路88号楼下烧烤店每天晚上油烟很大，噪音扰民到凌晨两点，多次反映了没有处理。"
    )
    other = normalise("清溪小区的电梯坏了一个月，物业一直不修，老人上下楼很困难。")
    keys = minhash.band_keys(minhash.signatures([normalise(FIRST), again, other]))
    assert keys.shape == (3, minhash.BANDS)
    assert (keys[0] == keys[1]).any()
    assert not (keys[0] == keys[2]).any()
