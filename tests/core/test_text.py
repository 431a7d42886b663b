"""The diacritic folds: `fold` for comparing names, `fold_keep` for slicing a match out of the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.text import fold, fold_keep, plain


def test_fold_and_fold_keep_agree_on_a_name_but_fold_keep_keeps_every_place():
    text = "  Đề nghị  Sở Y tế "
    assert fold(text) == "de nghi so y te"
    assert fold_keep(text) == "  de nghi  so y te "
    start = fold_keep(text).index("so y te")
    assert text[start:start + len("so y te")] == "Sở Y tế"


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐ AĂÂ,.:-"))
def test_fold_keep_is_fold_one_character_for_one_on_vietnamese_text(text):
    assert len(fold_keep(text)) == len(text)
    assert " ".join(fold_keep(text).split()) == fold(text)


def test_plain_keeps_case_and_compatibility_takes_forms_apart():
    assert plain("Đức Phát") == "Duc Phat"
    assert plain("Công ty ＴＮＨＨ") == "Cong ty ＴＮＨＨ"
    assert plain("Công ty ＴＮＨＨ", compatibility=True) == "Cong ty TNHH"


@given(st.text())
def test_fold_is_plain_lowered_with_single_spaces(text):
    """The folds differ only by case, spacing and composition, never by which marks they drop."""
    import unicodedata

    assert unicodedata.normalize("NFC", fold(text)) == " ".join(plain(text.lower()).split())


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis():
    from ansinh.core.text import shorten

    text = "Tăng cường tuyên truyền phương thức đóng BHYT hộ gia đình"
    short = shorten(text, 30)
    assert short == "Tăng cường tuyên truyền…"
    assert len(short) <= 30 and text.startswith(short[:-1])
    assert shorten("Ngắn", 30) == "Ngắn"
    assert shorten("Tăng cường, tuyên truyền", 13) == "Tăng cường…"  # no comma left before the ellipsis
    assert shorten("Siêudàiliềnmộtchữ", 6) == "Siêud…"  # one word longer than the limit is cut inside it


@given(st.lists(st.sampled_from(["phương", "thức", "BHYT", "hộ", "gia", "đình", "tuyên", "truyền"]), min_size=1, max_size=30),
       st.integers(min_value=8, max_value=80))
def test_shorten_never_cuts_a_word_of_a_sentence_of_short_words(words, limit):
    from ansinh.core.text import shorten

    text = " ".join(words)
    short = shorten(text, limit)
    assert len(short) <= limit
    if short != text:
        kept = short.removesuffix("…").split(" ")
        assert kept == words[: len(kept)]


def test_in_sentence_keeps_the_scheme_names_in_capitals():
    from ansinh.core.text import in_sentence

    assert in_sentence("Số người tham gia BHYT") == "số người tham gia BHYT"
    assert in_sentence("Tỷ lệ tham gia BHXH bắt buộc", whole=True) == "tỷ lệ tham gia BHXH bắt buộc"
    assert in_sentence("Người tham gia BHTN, BHTNLĐ-BNN", whole=True) == "người tham gia BHTN, BHTNLĐ-BNN"
    assert in_sentence("BHYT hộ gia đình") == "BHYT hộ gia đình"
    assert in_sentence("Sở Y tế", whole=True) == "sở y tế"
