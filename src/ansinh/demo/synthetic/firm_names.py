"""Vietnamese enterprise names, addresses and sectors, with the weights a synthetic province draws them by.

An enterprise name is written legal form + trade words + distinctive name ("Công ty TNHH" + "Thương mại
Dịch vụ" + "Phú Hưng"). The law (Enterprise Law 2020, art. 41) forbids two enterprises with the same name,
so the generator makes trade words + distinctive name unique across the province; the tables below are
built so that their *normalised* forms (lower case, no diacritics, no punctuation) never collide either:
two syllables that differ only by their marks ("Thành" and "Thạnh") are not both listed.

Every table is NFC and checked when the module is imported; `normalise_name` is the plain-Python
normalisation the tests use to check uniqueness (the reconciliation has its own, vectorised).
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

from ansinh.core.text import plain


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def folded(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces, single spaces: the form compared for equality."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain(text).lower()).split())


# ----------------------------------------------------------------------------------------------------------
# Legal forms
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalForm:
    key: str
    canonical: str  # as the tax registry writes it
    alternatives: tuple[str, ...]  # other ways other bodies write the same form
    ownership: str  # BHXH's "Loại hình"
    share: float  # of enterprises (parents) in the tax registry


LEGAL_FORMS = (
    LegalForm("tnhh", "Công ty TNHH", ("Công ty Trách nhiệm hữu hạn", "Cty TNHH", "Công ty trách nhiệm hữu hạn"),
              "Công ty TNHH", 0.55),
    LegalForm("tnhh_mtv", "Công ty TNHH MTV",
              ("Công ty TNHH Một thành viên", "Công ty Trách nhiệm hữu hạn Một thành viên", "Cty TNHH MTV"),
              "Công ty TNHH MTV", 0.15),
    LegalForm("cp", "Công ty Cổ phần", ("CTCP", "Công ty CP", "Cty Cổ phần"), "Công ty cổ phần", 0.20),
    LegalForm("dntn", "Doanh nghiệp tư nhân", ("DNTN", "Doanh nghiệp TN", "DN tư nhân"), "DNTN", 0.06),
    LegalForm("htx", "Hợp tác xã", ("HTX",), "Hợp tác xã", 0.03),
    LegalForm("state", "Công ty TNHH MTV", ("Công ty TNHH Một thành viên", "Công ty Trách nhiệm hữu hạn Một thành viên",
                                            "Cty TNHH MTV"), "Nhà nước", 0.01),
)
TNHH, TNHH_MTV, CP, DNTN, HTX, STATE = range(len(LEGAL_FORMS))

#: Legal-form phrases as folded text, longest first: `normalise_name` strips them from the front.
_LEGAL_PHRASES = sorted(
    {folded(p) for form in LEGAL_FORMS for p in (form.canonical, *form.alternatives)}
    | {"cong ty", "cty", "cong ty tnhh hai thanh vien", "cong ty trach nhiem huu han hai thanh vien tro len"},
    key=len, reverse=True,
)


def normalise_name(name: str) -> str:
    """Folded name without its legal form: "CÔNG TY TNHH MTV Kỹ thuật Điện Nam Long" → "ky thuat dien nam long".

    "Chi nhánh" stays (a branch is not its parent) but the parent's legal form inside it goes.
    """
    text = folded(name)
    prefix = ""
    if text.startswith("chi nhanh "):
        prefix, text = "chi nhanh ", text[len("chi nhanh "):]
        number = re.match(r"so \d+ ", text)
        if number:
            prefix, text = prefix + number.group(0), text[number.end():]
    for phrase in _LEGAL_PHRASES:
        if text == phrase or text.startswith(phrase + " "):
            text = text[len(phrase):].strip()
            break
    return prefix + text


# ----------------------------------------------------------------------------------------------------------
# Sectors (VSIC 2018 sections, as BHXH lists write them)
# ----------------------------------------------------------------------------------------------------------

SECTORS = {
    "A": "Nông nghiệp, lâm nghiệp và thủy sản",
    "C": "Công nghiệp chế biến, chế tạo",
    "D": "Sản xuất và phân phối điện, khí đốt",
    "E": "Cung cấp nước, quản lý và xử lý rác thải",
    "F": "Xây dựng",
    "G": "Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy",
    "H": "Vận tải kho bãi",
    "I": "Dịch vụ lưu trú và ăn uống",
    "J": "Thông tin và truyền thông",
    "K": "Hoạt động tài chính, ngân hàng và bảo hiểm",
    "L": "Hoạt động kinh doanh bất động sản",
    "M": "Hoạt động chuyên môn, khoa học và công nghệ",
    "N": "Hoạt động hành chính và dịch vụ hỗ trợ",
    "O": "Hoạt động của Đảng, tổ chức chính trị - xã hội, quản lý nhà nước",
    "P": "Giáo dục và đào tạo",
    "Q": "Y tế và hoạt động trợ giúp xã hội",
    "R": "Nghệ thuật, vui chơi và giải trí",
    "S": "Hoạt động dịch vụ khác",
}

# ----------------------------------------------------------------------------------------------------------
# Trade words: optional qualifier + main trade (which sets the sector) + optional tail
# ----------------------------------------------------------------------------------------------------------

#: (main trade, VSIC section, weight among companies)
MAIN_TRADES = (
    ("Thương mại", "G", 10), ("Dịch vụ", "S", 4), ("Thương mại Dịch vụ", "G", 12), ("Sản xuất Thương mại", "C", 4),
    ("Xây dựng", "F", 8), ("Tư vấn Xây dựng", "M", 2.5), ("Tư vấn Thiết kế", "M", 1.5), ("Xây lắp Điện", "F", 1),
    ("Kỹ thuật Điện", "F", 1), ("Cơ điện lạnh", "F", 1), ("Vận tải", "H", 3), ("Vận tải Thủy", "H", 0.8),
    ("Logistics", "H", 0.8), ("Xuất nhập khẩu", "G", 2), ("Chế biến Thủy sản", "C", 1.2),
    ("Nuôi trồng Thủy sản", "A", 0.8), ("Thủy sản", "A", 1), ("Nông sản", "G", 1.2), ("Lương thực", "G", 1.2),
    ("Xay xát Lúa gạo", "C", 1), ("Thực phẩm", "C", 1.5), ("Nông nghiệp Công nghệ cao", "A", 0.5),
    ("Phân bón", "G", 0.6), ("Thuốc Bảo vệ Thực vật", "G", 0.4), ("Thức ăn Chăn nuôi", "C", 0.5),
    ("Dược phẩm", "G", 0.8), ("Thiết bị Y tế", "G", 0.7), ("Phòng khám Đa khoa", "Q", 0.3), ("Giáo dục", "P", 0.8),
    ("Đào tạo", "P", 0.5), ("Du lịch", "N", 1), ("Khách sạn", "I", 0.7), ("Nhà hàng", "I", 0.7),
    ("Ẩm thực", "I", 0.6), ("Bất động sản", "L", 1.5), ("Địa ốc", "L", 0.6), ("Công nghệ Thông tin", "J", 1),
    ("Tin học", "J", 0.7), ("Viễn thông", "J", 0.4), ("Quảng cáo", "M", 0.8), ("Truyền thông", "J", 0.6),
    ("In ấn", "C", 0.5), ("Bao bì", "C", 0.5), ("Nhựa", "C", 0.4), ("Cơ khí", "C", 1.2), ("Kết cấu Thép", "C", 0.4),
    ("Chế biến Gỗ", "C", 0.4), ("Nội thất", "C", 0.8), ("May mặc", "C", 0.6), ("Giày da", "C", 0.2),
    ("Vật liệu Xây dựng", "G", 1.5), ("Bê tông", "C", 0.4), ("Điện máy", "G", 0.6), ("Điện tử", "G", 0.5),
    ("Ô tô", "G", 0.7), ("Xe máy", "G", 0.4), ("Xăng dầu", "G", 0.7), ("Môi trường", "E", 0.6),
    ("Cấp thoát nước", "E", 0.2), ("Năng lượng", "D", 0.4), ("Điện mặt trời", "D", 0.3), ("Dịch vụ Bảo vệ", "N", 0.5),
    ("Vệ sinh Công nghiệp", "N", 0.3), ("Kế toán", "M", 0.5), ("Tư vấn Đầu tư", "M", 0.6),
    ("Cung ứng Nhân lực", "N", 0.3),
    ("Thời trang", "G", 0.5), ("Mỹ phẩm", "G", 0.4), ("Sắt thép", "G", 0.6), ("Thiết bị Văn phòng", "G", 0.4),
    ("Trang trí Nội thất", "F", 0.5), ("Nước giải khát", "C", 0.3), ("Tổ chức Sự kiện", "N", 0.3),
    ("Vui chơi Giải trí", "R", 0.2), ("Thể thao", "R", 0.2), ("Bảo hiểm", "K", 0.1), ("Cầm đồ", "K", 0.2),
)
#: Qualifiers written before the main trade, and tails after it, with their weights ("" = none).
QUALIFIERS = (("", 62), ("Đầu tư", 9), ("Sản xuất", 7), ("Thương mại", 6), ("Đầu tư Phát triển", 3),
              ("Xuất nhập khẩu", 3), ("Kinh doanh", 2), ("Tập đoàn", 0.5))
TAILS = (("", 70), ("Dịch vụ", 9), ("Thương mại", 7), ("Xuất nhập khẩu", 5), ("và Dịch vụ", 3), ("Tổng hợp", 4))

#: Main trades of cooperatives, and of the few state companies (one of each per province: "Xổ số Kiến thiết Cần Thơ").
HTX_TRADES = (("Nông nghiệp", "A", 10), ("Dịch vụ Nông nghiệp", "A", 8), ("Thủy sản", "A", 3),
              ("Nuôi trồng Thủy sản", "A", 2), ("Vận tải", "H", 2), ("Rau an toàn", "A", 2), ("Cây ăn trái", "A", 3),
              ("Trồng lúa", "A", 2), ("Chăn nuôi", "A", 2), ("Tiểu thủ công nghiệp", "C", 1),
              ("Thương mại Dịch vụ", "G", 1), ("Môi trường", "E", 1))
STATE_TRADES = (("Xổ số Kiến thiết", "R", 1), ("Cấp thoát nước", "E", 2), ("Công trình Đô thị", "E", 2),
                ("Môi trường Đô thị", "E", 1), ("Phát triển Hạ tầng", "F", 1), ("Xây dựng", "F", 2),
                ("Vận tải", "H", 1), ("Phát hành Sách", "G", 0.5), ("Khai thác Công trình Thủy lợi", "E", 1),
                ("In", "C", 0.5), ("Dược phẩm", "G", 1))
#: BHXH units that are no enterprise and not on the tax registry's list (schools, health stations, …):
#: (name start, VSIC section, "Loại hình", weight, named after the commune rather than a distinctive name)
PUBLIC_KINDS = (
    ("Trường Mầm non", "P", "Đơn vị sự nghiệp công lập", 6, False),
    ("Trường Tiểu học", "P", "Đơn vị sự nghiệp công lập", 6, False),
    ("Trường Trung học cơ sở", "P", "Đơn vị sự nghiệp công lập", 3, False),
    ("Trạm Y tế", "Q", "Đơn vị sự nghiệp công lập", 2, True),
    ("Quỹ Tín dụng Nhân dân", "K", "Tổ chức tín dụng", 1, True),
    ("Văn phòng Công chứng", "M", "Tổ chức hành nghề", 1, False),
    ("Văn phòng Luật sư", "M", "Tổ chức hành nghề", 1, False),
    ("Nhóm trẻ Tư thục", "P", "Cơ sở tư thục", 2, False),
    ("Ban Quản lý Chợ", "N", "Đơn vị sự nghiệp công lập", 0.5, True),
)


@dataclass(frozen=True)
class Trades:
    """Every trade-word string any enterprise can carry, unique in folded form, with per-group weights."""

    phrases: tuple[tuple[str, ...], ...]  # the phrases joined: ("Đầu tư", "Xây dựng", "Thương mại")
    sectors: tuple[str, ...]  # VSIC section letter
    company: tuple[float, ...]  # weights for TNHH, MTV, CP
    dntn: tuple[float, ...]
    htx: tuple[float, ...]
    state: tuple[float, ...]
    public: tuple[float, ...]
    public_kind: tuple[int, ...]  # index into PUBLIC_KINDS, -1 for enterprise trades

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(" ".join(p) for p in self.phrases)


def _build_trades() -> Trades:
    entries: dict[str, dict] = {}

    def add(phrases: tuple[str, ...], sector: str, group: str, weight: float, kind: int = -1) -> None:
        phrases = tuple(p for p in phrases if p)
        words = folded(" ".join(phrases)).split()
        if len(words) != len(set(words)):  # "Thương mại Thương mại Dịch vụ"
            return
        key = " ".join(words)
        entry = entries.setdefault(key, {"phrases": phrases, "sector": sector, "kind": kind, "w": {}})
        entry["w"][group] = entry["w"].get(group, 0.0) + weight

    for main, sector, weight in MAIN_TRADES:
        for qualifier, qw in QUALIFIERS:
            for tail, tw in TAILS:
                w = weight * qw * tw / 10_000
                add((qualifier, main, tail), sector, "company", w)
                add((qualifier, main, tail), sector, "dntn", w * (0.6 if qualifier or tail else 1.0))
    add((), "G", "dntn", 60.0)  # "Doanh nghiệp tư nhân Hoàng Long": no trade words at all
    for main, sector, weight in HTX_TRADES:
        add((main,), sector, "htx", weight)
    for main, sector, weight in STATE_TRADES:
        add((main,), sector, "state", weight)
    for index, (start, sector, _, weight, _) in enumerate(PUBLIC_KINDS):
        add((start,), sector, "public", weight, index)
    keys = sorted(entries)  # a fixed order, whatever the insertion order
    rows = [entries[k] for k in keys]
    return Trades(
        phrases=tuple(r["phrases"] for r in rows),
        sectors=tuple(r["sector"] for r in rows),
        company=tuple(r["w"].get("company", 0.0) for r in rows),
        dntn=tuple(r["w"].get("dntn", 0.0) for r in rows),
        htx=tuple(r["w"].get("htx", 0.0) for r in rows),
        state=tuple(r["w"].get("state", 0.0) for r in rows),
        public=tuple(r["w"].get("public", 0.0) for r in rows),
        public_kind=tuple(r["kind"] for r in rows),
    )


# ----------------------------------------------------------------------------------------------------------
# Distinctive names: two (sometimes three) auspicious Hán-Việt syllables, a few regional or English words
# ----------------------------------------------------------------------------------------------------------

SYLLABLES = (
    ("Phú", 5), ("Hưng", 4), ("Thịnh", 4), ("Phát", 5), ("An", 4), ("Khang", 3), ("Minh", 5), ("Đức", 3),
    ("Tân", 4), ("Việt", 4), ("Nam", 3), ("Long", 4), ("Hoàng", 4), ("Gia", 3), ("Bảo", 3), ("Thành", 5),
    ("Trường", 2), ("Sơn", 2), ("Hải", 2), ("Mekong", 1.5), ("Tây Đô", 1.5), ("Phúc", 3), ("Lộc", 3), ("Tài", 2),
    ("Thuận", 2), ("Lợi", 2), ("Hòa", 3), ("Bình", 2), ("Quang", 2), ("Huy", 2), ("Kim", 3), ("Ngọc", 2),
    ("Vĩnh", 2), ("Thái", 2), ("Cường", 1.5), ("Dũng", 1), ("Trí", 1.5), ("Tín", 2), ("Nghĩa", 1.5),
    ("Nhân", 1.5), ("Hiếu", 1), ("Toàn", 2), ("Tiến", 1.5), ("Đạt", 2), ("Quý", 1), ("Hạnh", 1),
    ("Hồng", 1.5), ("Lan", 1), ("Mai", 1.5), ("Trúc", 1), ("Sen", 0.5), ("Hà", 1), ("Xuân", 1.5), ("Thu", 1),
    ("Đông", 1.5), ("Bắc", 0.5), ("Trung", 1.5), ("Đại", 2), ("Mỹ", 1.5), ("Á Châu", 0.5), ("Âu", 0.5),
    ("Quốc", 1), ("Kiến", 0.5), ("Khánh", 1.5), ("Linh", 1), ("Uy", 0.3), ("Vạn", 1.5), ("Thiên", 1.5),
    ("Nhật", 1.5), ("Ngân", 1), ("Châu", 1), ("Lâm", 1), ("Phong", 1.5), ("Trang", 1), ("Hương", 1),
    ("Duy", 1), ("Khải", 0.5), ("Nguyên", 1.5), ("Tâm", 1.5), ("Như", 0.5), ("Ý", 0.5), ("Hậu", 0.5),
    ("Giang", 1), ("Cửu Long", 1), ("Sông Hậu", 0.8), ("Phương Nam", 1), ("Đồng Tâm", 0.5), ("Sài Gòn", 0.5),
    ("Phước", 2), ("Hiệp", 1), ("Hữu", 0.5), ("Mạnh", 0.5), ("Tú", 0.5), ("Tuấn", 0.5), ("Anh", 1.5), ("Vũ", 0.5),
    ("Khoa", 0.5), ("Đăng", 0.5), ("Dương", 1), ("Quân", 0.5), ("Lạc", 0.5), ("Vượng", 1), ("Thọ", 0.5),
    ("Khôi", 0.5), ("Hào", 0.5), ("Sang", 1), ("Triều", 0.5), ("Tường", 0.5), ("Uyên", 0.3), ("Vy", 0.3),
    ("Yến", 0.3), ("Hoàn", 0.5), ("Thắng", 1), ("Lực", 0.3), ("Phương Đông", 0.5),
    ("Green", 0.5), ("Sun", 0.4), ("Star", 0.4),
    ("Golden", 0.4), ("Global", 0.3), ("Smart", 0.3), ("Asia", 0.3), ("Delta", 0.3), ("Pacific", 0.2),
    ("Ocean", 0.2), ("Ánh Dương", 0.5), ("Sao Mai", 0.5), ("Bông Sen", 0.3), ("Hoa Sen", 0.3), ("Rạng Đông", 0.3),
)

# ----------------------------------------------------------------------------------------------------------
# One-character typos, as a clerk makes them: a letter dropped, doubled, swapped, or a neighbouring key
# ----------------------------------------------------------------------------------------------------------

_NEIGHBOURS = {
    "a": "sq", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "g": "fh", "h": "gj", "i": "uo", "k": "jl", "l": "k",
    "m": "n", "n": "bm", "o": "ip", "p": "o", "q": "wa", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb",
    "x": "zc", "y": "tu",
}


def typos(text: str, forbidden: set[str], count: int = 4) -> tuple[str, ...]:
    """Up to `count` one-character typos of `text` whose folded form is new (not in `forbidden`)."""
    letters = [i for i, c in enumerate(text) if c.isalpha() and i > 0]
    candidates: list[str] = []
    for i in letters:
        c = text[i]
        base = plain(c).lower()
        candidates.append(text[:i] + text[i + 1:])  # dropped
        if plain(c) == c:
            candidates.append(text[:i] + c + text[i:])  # doubled
        if i + 1 < len(text) and text[i + 1].isalpha():
            candidates.append(text[:i] + text[i + 1] + c + text[i + 2:])  # swapped
        for n in _NEIGHBOURS.get(base, ""):
            candidates.append(text[:i] + (n.upper() if c.isupper() else n) + text[i + 1:])
    chooser = random.Random(folded(text))  # the same typos every run, whatever else is drawn
    chooser.shuffle(candidates)
    out: list[str] = []
    for candidate in candidates:
        key = folded(candidate)
        if key and key not in forbidden and key != folded(text) and candidate not in out and len(key.split()) == len(
                folded(text).split()):
            out.append(candidate)
        if len(out) == count:
            break
    while out and len(out) < count:
        out.append(out[len(out) % len(out)])
    return tuple(out)


# ----------------------------------------------------------------------------------------------------------
# Addresses
# ----------------------------------------------------------------------------------------------------------

STREETS = tuple(f"Đường {s}" for s in (
    "30 Tháng 4", "3 Tháng 2", "Trần Hưng Đạo", "Nguyễn Văn Cừ", "Mậu Thân", "Nguyễn Trãi", "Hai Bà Trưng",
    "Lý Tự Trọng", "Hòa Bình", "Cách Mạng Tháng 8", "Trần Phú", "Lê Lợi", "Ngô Quyền", "Phan Đình Phùng",
    "Nguyễn Thái Học", "Võ Văn Kiệt", "Trần Văn Khéo", "Nguyễn Văn Linh", "Lê Hồng Phong", "Trần Quang Diệu",
    "Huỳnh Thúc Kháng", "Tầm Vu", "Nguyễn Thị Minh Khai", "Lý Thường Kiệt", "Xô Viết Nghệ Tĩnh", "Điện Biên Phủ",
    "Võ Thị Sáu", "Quang Trung", "Trần Ngọc Quế", "Hùng Vương", "Phạm Ngũ Lão", "Nguyễn An Ninh", "Đồng Khởi",
    "Châu Văn Liêm", "Nguyễn Việt Hồng", "Lê Lai", "Bà Triệu", "Phan Văn Trị", "Võ Trường Toản", "Trần Bạch Đằng",
    "Nguyễn Văn Trỗi", "Lê Thánh Tôn", "Phan Bội Châu", "Nguyễn Đình Chiểu", "Hoàng Văn Thụ", "Trương Định",
    "Lê Văn Tám", "Nguyễn Huệ", "Ba Tháng Hai", "Lạc Long Quân", "Âu Cơ", "Nguyễn Trung Trực", "Trần Quốc Toản",
    "Cao Thắng", "Bùi Thị Xuân", "Phạm Hùng", "Lê Duẩn", "Tôn Đức Thắng", "Nguyễn Chí Thanh", "Hà Huy Tập",
    "Số 1", "Số 7", "Số 12", "Số 19", "A1", "B5",
))
ROADS = ("Quốc lộ 1A", "Quốc lộ 91", "Quốc lộ 61", "Quốc lộ 61C", "Quốc lộ 80", "Quốc lộ 60", "Tỉnh lộ 922",
         "Tỉnh lộ 923", "Đường tỉnh 932", "Đường tỉnh 918", "Đường Nam Sông Hậu", "Lộ Vòng Cung", "Đường liên xã",
         "Đường Bờ Bao", "Lộ Hậu Giang")

#: Economic zones and industrial parks of the provinces whose names are known; others get generic ones.
#: (name, a word of the commune it lies in)
ZONES = {
    "92": (("Khu công nghiệp Trà Nóc 1", "Bình Thủy"), ("Khu công nghiệp Trà Nóc 2", "Phước Thới"),
           ("Khu công nghiệp Hưng Phú 1", "Hưng Phú"), ("Khu công nghiệp Hưng Phú 2A", "Cái Răng"),
           ("Khu công nghiệp Thốt Nốt", "Thốt Nốt"), ("Khu công nghiệp Sông Hậu", "Đông Phước"),
           ("Khu công nghiệp Tân Phú Thạnh", "Thạnh Xuân"), ("Khu công nghiệp An Nghiệp", "An Ninh")),
    "79": (("Khu chế xuất Tân Thuận", "Tân Thuận"), ("Khu chế xuất Linh Trung", "Linh Xuân"),
           ("Khu công nghiệp Tân Bình", "Tây Thạnh"), ("Khu công nghiệp Vĩnh Lộc", "Bình Tân"),
           ("Khu công nghiệp Hiệp Phước", "Hiệp Phước"), ("Khu công nghiệp Tân Tạo", "Tân Tạo"),
           ("Khu công nghệ cao", "Tăng Nhơn Phú"), ("Khu công nghiệp VSIP", "Thuận An")),
    "01": (("Khu công nghiệp Thăng Long", "Thiên Lộc"), ("Khu công nghiệp Nội Bài", "Nội Bài"),
           ("Khu công nghiệp Quang Minh", "Quang Minh"), ("Khu công nghiệp Bắc Thăng Long", "Đông Anh"),
           ("Khu công nghệ cao Hòa Lạc", "Hòa Lạc")),
    "31": (("Khu công nghiệp Đình Vũ", "Đông Hải"), ("Khu công nghiệp VSIP Hải Phòng", "Thủy Nguyên"),
           ("Khu công nghiệp Tràng Duệ", "An Dương"), ("Khu công nghiệp Nomura", "An Hải"),
           ("Khu công nghiệp Đồ Sơn", "Đồ Sơn"), ("Khu công nghiệp Nam Sách", "Nam Sách")),
}

#: First two digits of enterprise tax codes by the provinces merged on 1/7/2025 (Cần Thơ 18, Sóc Trăng 22,
#: Hậu Giang 63; Hồ Chí Minh City 03, Bình Dương 37, Bà Rịa – Vũng Tàu 35; Hải Phòng 02, Hải Dương 08;
#: Hà Nội 01, old Hà Tây 05), with the share of enterprises each brings.
TAX_PREFIXES = {
    "92": (("18", 0.6), ("22", 0.25), ("63", 0.15)),
    "79": (("03", 0.7), ("37", 0.2), ("35", 0.1)),
    "31": (("02", 0.7), ("08", 0.3)),
    "01": (("01", 0.9), ("05", 0.1)),
}

#: Two-letter starts of BHXH unit codes ("TA0123A"): enterprises and the public bodies.
UNIT_PREFIXES = ("TA", "TB", "TC", "TD", "TE", "TH", "TK", "TM", "TN", "TS", "TT", "TV", "TX", "TY")
PUBLIC_UNIT_PREFIXES = ("YA", "YB", "GA", "GB", "HB", "QA")


def commune_short(name: str) -> str:
    """ "Phường Ninh Kiều" → "Ninh Kiều"; "Xã  Phú Hữu" (as written in the official list) → "Phú Hữu"."""
    words = name.split()
    for prefix in (("Đặc", "khu"), ("Thị", "trấn"), ("Phường",), ("Xã",)):
        if tuple(words[:len(prefix)]) == prefix and len(words) > len(prefix):
            return " ".join(words[len(prefix):])
    return " ".join(words)


def _check() -> None:
    keys = [folded(s) for s, _ in SYLLABLES]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:  # pragma: no cover - a guard on the tables above
        raise AssertionError(f"syllables that fold alike: {sorted(duplicates)}")
    if any(nfc(s) != s for s, _ in SYLLABLES):  # pragma: no cover
        raise AssertionError("syllables must be NFC")


_check()
TRADES = _build_trades()
