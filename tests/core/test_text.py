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
