"""The standard agencies a province's BHXH/BHYT plan gives tasks to, as one explicit registry.

Plans name the same agency many ways ("Sở Lao động - Thương binh và Xã hội", "Sở LĐTBXH", "So Lao dong
TB&XH" after OCR); the plan reader, the task pages and the reports all need the one stable `code`.
Matching works on folded words (no accents, no punctuation, lower case), longest alias first, so
"Sở Kế hoạch và Đầu tư" is one agency and not "Sở Kế hoạch" plus something. "tỉnh" in a name stands for
"tỉnh/thành phố": the same body in a centrally-run city.

People's Committees of districts and communes are not listed by name (there are thousands): any
"UBND (các) huyện, quận, thị xã…" is `ubnd-huyen`, any "UBND (các) xã, phường, thị trấn, đặc khu" is
`ubnd-xa`. The People's Committee of the province itself issues the plan and is not an assignee.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ansinh.core.errors import NotFound
from ansinh.core.text import fold


@dataclass(frozen=True)
class StandardAgency:
    """`kind`: insurance | department | central (vertically managed: tax, police, bank…) | judicial |
    mass (Fatherland Front and its organisations) | party | media | business | provider | committee |
    districts | communes (all People's Committees of that level, as one assignee). `topics`: folded phrases typical of this agency's tasks, used only to guess the
    agency of a plan section whose heading was lost (always flagged for review)."""

    code: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    topics: tuple[str, ...] = ()
    note: str = ""
    #: Short names accepted only as one element of a list of agencies ("Sở Nội vụ, BHXH thành phố, Thuế và…").
    short: tuple[str, ...] = field(default=())


#: The People's Committees of all communes (a duty due from each commune) and of all districts (before 2025).
COMMUNES_CODE = "ubnd-xa"
DISTRICTS_CODE = "ubnd-huyen"

AGENCIES: tuple[StandardAgency, ...] = (
    StandardAgency(
        "bhxh", "Bảo hiểm xã hội tỉnh/thành phố", "insurance",
        ("bảo hiểm xã hội tỉnh", "bảo hiểm xã hội thành phố", "bhxh tỉnh", "bhxh thành phố", "bhxh tp",
         "cơ quan bhxh", "cơ quan bảo hiểm xã hội", "bhxh các huyện", "bhxh huyện", "bhxh cấp huyện",
         "bhxh cơ sở", "bhxh khu vực", "bảo hiểm xã hội huyện", "bảo hiểm xã hội khu vực", "bhxh quận",
         "bảo hiểm xã hội cơ sở"),
        topics=("to chuc dich vu thu", "nhan vien thu", "giam dinh", "so bhxh", "dai ly thu", "diem thu",
                "thu hoi cham dong", "vssid", "chi tra luong huu"),
        short=("bhxh", "bao hiem xa hoi"),
        note="Cơ quan thường trực Ban Chỉ đạo; gồm cả BHXH cấp huyện, khu vực, cơ sở.",
    ),
    StandardAgency(
        "so-noi-vu", "Sở Nội vụ", "department",
        ("sở nội vụ", "ban thi đua - khen thưởng", "ban thi đua khen thưởng"),
        topics=("viec lam", "an toan ve sinh lao dong", "hop dong lao dong", "thi dua", "khen thuong",
                "tam dung dong", "huu tri", "quan ly nha nuoc ve bhxh", "thanh tra, kiem tra ve lao dong",
                "nguoi co cong", "tro cap that nghiep", "bao tro xa hoi"),
        note="Từ 01/3/2025 nhận chức năng lao động, việc làm, BHXH của Sở Lao động - Thương binh và Xã hội.",
    ),
    StandardAgency(
        "so-ldtbxh", "Sở Lao động - Thương binh và Xã hội", "department",
        ("sở lao động - thương binh và xã hội", "sở lao động thương binh xã hội", "sở lđtbxh", "sở lđ-tb&xh",
         "sở lđ tb xh", "sở lđ-tbxh", "sở lao động - tb&xh", "sở lao động"),
        topics=("viec lam", "an toan ve sinh lao dong", "hop dong lao dong", "quan ly nha nuoc ve bhxh",
                "nguoi co cong", "tro cap that nghiep", "bao tro xa hoi", "nhu cau su dung lao dong"),
        note="Đến 28/02/2025; chức năng lao động, BHXH chuyển sang Sở Nội vụ.",
    ),
    StandardAgency(
        "so-y-te", "Sở Y tế", "department", ("sở y tế",),
        topics=("kham, chua benh", "kham chua benh", "co so kham", "benh vien", "tram y te", "nganh y te",
                "thuoc", "vat tu y te", "kcb", "y te co so"),
    ),
    StandardAgency(
        "so-tai-chinh", "Sở Tài chính", "department", ("sở tài chính",),
        topics=("ngan sach", "kinh phi", "bo tri", "du toan", "muc ho tro", "can doi ngan sach"),
        note="Từ 01/3/2025 gồm cả chức năng của Sở Kế hoạch và Đầu tư.",
    ),
    StandardAgency(
        "so-khdt", "Sở Kế hoạch và Đầu tư", "department",
        ("sở kế hoạch và đầu tư", "sở kế hoạch đầu tư", "sở kh&đt", "sở khđt", "sở kh và đt", "sở kh-đt"),
        topics=("dang ky kinh doanh", "dang ky doanh nghiep", "cap phep dau tu", "giai the", "pha san"),
    ),
    StandardAgency(
        "so-gddt", "Sở Giáo dục và Đào tạo", "department",
        ("sở giáo dục và đào tạo", "sở giáo dục - đào tạo", "sở gd&đt", "sở gdđt", "sở gd-đt", "sở giáo dục"),
        topics=("hoc sinh", "hoc vien", "sinh vien", "co so giao duc", "truong hoc", "nam hoc", "y te truong hoc"),
    ),
    StandardAgency(
        "so-tttt", "Sở Thông tin và Truyền thông", "department",
        ("sở thông tin và truyền thông", "sở thông tin - truyền thông", "sở tt&tt", "sở tttt", "sở tt-tt"),
        topics=("thong tin co so", "bao chi", "truyen thong"),
    ),
    StandardAgency(
        "so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", "department",
        ("sở văn hóa, thể thao và du lịch", "sở văn hóa - thể thao và du lịch", "sở vh-tt&dl", "sở vhttdl",
         "sở văn hóa và thể thao", "sở văn hóa, thể thao", "sở văn hóa"),
        topics=("pano", "khau hieu", "bang ron", "ap phich", "co dong"),
    ),
    StandardAgency("so-tu-phap", "Sở Tư pháp", "department", ("sở tư pháp",), topics=("pho bien, giao duc phap luat",)),
    StandardAgency("so-cong-thuong", "Sở Công Thương", "department", ("sở công thương",)),
    StandardAgency(
        "so-nong-nghiep", "Sở Nông nghiệp và Môi trường", "department",
        ("sở nông nghiệp và môi trường", "sở nông nghiệp và phát triển nông thôn", "sở nn&ptnt", "sở nnptnt",
         "sở nông nghiệp"),
        note="Trước 01/3/2025: Sở Nông nghiệp và Phát triển nông thôn.",
    ),
    StandardAgency("so-dan-toc", "Sở Dân tộc và Tôn giáo", "department",
                   ("sở dân tộc và tôn giáo", "ban dân tộc tỉnh", "ban dân tộc")),
    StandardAgency(
        "thue", "Thuế tỉnh/thành phố (Cục Thuế)", "central",
        ("cục thuế", "chi cục thuế", "thuế tỉnh", "thuế thành phố", "cơ quan thuế", "thuế cơ sở"),
        topics=("nop thue", "ma so thue", "dang ky thue", "nghia vu thue", "nguoi nop thue"),
        short=("thue",),
    ),
    StandardAgency(
        "cong-an", "Công an tỉnh/thành phố", "central",
        ("công an tỉnh", "công an thành phố", "công an huyện", "công an các quận huyện", "công an cấp huyện",
         "công an cấp xã", "công an xã", "cơ quan công an"),
        topics=("dinh danh", "can cuoc", "du lieu quoc gia ve dan cu", "dan cu", "vneid", "toi pham",
                "khoi to", "bo cong an", "canh sat"),
        short=("cong an",),
    ),
    StandardAgency(
        "thanh-tra", "Thanh tra tỉnh/thành phố", "department",
        ("thanh tra tỉnh", "thanh tra thành phố", "thanh tra các huyện", "thanh tra huyện"),
        topics=("tien hanh thanh tra", "ke hoach thanh tra", "thanh tra lien nganh", "thanh tra, kiem tra"),
        short=("thanh tra",),
    ),
    StandardAgency(
        "ldld", "Liên đoàn Lao động tỉnh/thành phố", "mass",
        ("liên đoàn lao động", "lđlđ tỉnh", "lđlđ thành phố", "công đoàn các cấp"),
        topics=("cong doan", "doan vien cong doan", "khoi kien", "doi thoai tai noi lam viec"),
        short=("ldld", "cong doan"),
    ),
    StandardAgency(
        "mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh/thành phố", "mass",
        ("ủy ban mặt trận tổ quốc việt nam", "mặt trận tổ quốc việt nam", "ủy ban mặt trận tổ quốc",
         "mặt trận tổ quốc", "ubmttq", "ub mttq", "ủy ban mttq", "mttq việt nam", "mttq"),
        topics=("doan vien, hoi vien", "to chuc thanh vien", "xa hoi hoa", "giam sat", "phan bien"),
        short=("mat tran",),
    ),
    StandardAgency("hoi-nong-dan", "Hội Nông dân tỉnh", "mass", ("hội nông dân",), topics=("nong dan",)),
    StandardAgency("hoi-lhpn", "Hội Liên hiệp Phụ nữ tỉnh", "mass",
                   ("hội liên hiệp phụ nữ", "hội lhpn", "hội phụ nữ"), topics=("phu nu",)),
    StandardAgency("doan-thanh-nien", "Tỉnh Đoàn (Đoàn TNCS Hồ Chí Minh)", "mass",
                   ("tỉnh đoàn", "thành đoàn", "đoàn thanh niên", "đoàn tncs hồ chí minh"), topics=("thanh nien",)),
    StandardAgency("hoi-ccb", "Hội Cựu chiến binh tỉnh", "mass", ("hội cựu chiến binh", "hội ccb"), topics=("cuu chien binh",)),
    StandardAgency(
        "bao-dai", "Báo và Đài Phát thanh - Truyền hình tỉnh", "media",
        ("đài phát thanh và truyền hình", "đài phát thanh - truyền hình", "đài phát thanh truyền hình",
         "báo và phát thanh, truyền hình", "báo và phát thanh truyền hình", "báo, đài phát thanh",
         "đài pt-th", "đài ptth", "đài pt&th", "báo đài"),
        topics=("tin, bai", "tin bai", "phong su", "chuyen trang", "chuyen muc", "dua tin", "thoi luong"),
    ),
    StandardAgency(
        "co-quan-bao-chi", "Các cơ quan báo chí", "media",
        ("cơ quan báo chí", "cơ quan thông tấn, báo chí", "cơ quan thông tấn báo chí"),
        topics=("tin, bai", "phong su", "chuyen trang", "chuyen muc", "dua tin"),
        short=("bao chi",),
    ),
    StandardAgency(
        "bql-kcn", "Ban Quản lý các khu công nghiệp, khu kinh tế", "department",
        ("ban quản lý các khu công nghiệp", "ban quản lý khu công nghiệp", "ban quản lý khu kinh tế",
         "ban quản lý các khu chế xuất và công nghiệp", "ban quản lý các khu kinh tế", "bql các kcn",
         "bql kcn", "bql kkt", "ban quản lý kkt", "ban quản lý các kcn"),
        topics=("khu cong nghiep", "khu kinh te", "khu che xuat"),
    ),
    StandardAgency(
        "nhnn", "Ngân hàng Nhà nước chi nhánh tỉnh", "central",
        ("ngân hàng nhà nước chi nhánh", "ngân hàng nhà nước khu vực", "ngân hàng nhà nước", "nhnn chi nhánh", "nhnn"),
        topics=("ngan hang thuong mai", "the atm", "cay atm", "tai khoan", "khong dung tien mat"),
    ),
    StandardAgency("thong-ke", "Cục Thống kê / Thống kê tỉnh", "central",
                   ("cục thống kê", "chi cục thống kê", "thống kê tỉnh", "thống kê thành phố"),
                   topics=("dieu tra lao dong", "so lieu thong ke")),
    StandardAgency("kho-bac", "Kho bạc Nhà nước tỉnh", "central", ("kho bạc nhà nước", "kho bạc")),
    StandardAgency("buu-dien", "Bưu điện tỉnh", "central", ("bưu điện tỉnh", "bưu điện thành phố", "bưu điện"),
                   topics=("buu chinh", "chi tra qua buu dien")),
    StandardAgency("toa-an", "Tòa án nhân dân tỉnh", "judicial", ("tòa án nhân dân", "tòa án"), topics=("xet xu",)),
    StandardAgency("vien-kiem-sat", "Viện Kiểm sát nhân dân tỉnh", "judicial", ("viện kiểm sát nhân dân", "viện kiểm sát")),
    StandardAgency("ban-dan-van", "Ban Dân vận Tỉnh ủy", "party", ("ban dân vận",)),
    StandardAgency("ban-tuyen-giao", "Ban Tuyên giáo (và Dân vận) Tỉnh ủy", "party",
                   ("ban tuyên giáo và dân vận", "ban tuyên giáo")),
    StandardAgency("ban-chi-dao", "Ban Chỉ đạo thực hiện chính sách BHXH, BHYT", "committee", ("ban chỉ đạo",)),
    StandardAgency("lien-minh-htx", "Liên minh Hợp tác xã tỉnh", "business", ("liên minh hợp tác xã", "liên minh htx")),
    StandardAgency("hiep-hoi-dn", "Hiệp hội Doanh nghiệp tỉnh", "business", ("hiệp hội doanh nghiệp",)),
    StandardAgency(
        "co-so-kcb", "Các cơ sở khám, chữa bệnh BHYT", "provider",
        ("cơ sở khám, chữa bệnh bhyt", "cơ sở khám chữa bệnh bhyt", "cơ sở kcb bhyt", "cơ sở khám, chữa bệnh",
         "cơ sở khám chữa bệnh", "cơ sở kcb", "cơ sở y tế"),
    ),
    StandardAgency(
        DISTRICTS_CODE, "UBND các huyện, quận, thị xã, thành phố (cấp huyện)", "districts", (),
        note="Cấp huyện không còn từ 01/7/2025.",
    ),
    StandardAgency(
        COMMUNES_CODE, "UBND các xã, phường, thị trấn, đặc khu (cấp xã)", "communes", (),
        topics=("khu vuc, ap", "thon", "to dan pho", "nong thon moi", "khu dan cu", "tren dia ban", "ho kinh doanh"),
    ),
)


def agency_by_code(code: str) -> StandardAgency:
    """The agency with this code; NotFound (in Vietnamese) otherwise."""
    for agency in AGENCIES:
        if agency.code == code:
            return agency
    raise NotFound(f"Không có cơ quan mã “{code}” trong danh mục.")


@dataclass(frozen=True)
class AgencyMention:
    """Where an agency is named in a text: `start`/`end` index the original text, `text` is as written."""

    agency: StandardAgency
    start: int
    end: int
    text: str


def agencies_in(text: str) -> list[StandardAgency]:
    """The agencies named in a phrase, in order of first appearance, each once."""
    seen: dict[str, StandardAgency] = {}
    for mention in mentions_in(text):
        seen.setdefault(mention.agency.code, mention.agency)
    return list(seen.values())


# ---------------------------------------------------------------------------------------------- matching

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for every word of `text`: matching on words keeps positions in the original."""
    return [(fold(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text)]


def _alias_words(alias: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in words(alias))


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, list[tuple[tuple[str, ...], StandardAgency]]]:
    """First word → [(alias words, agency)], longest alias first."""
    index: dict[str, list[tuple[tuple[str, ...], StandardAgency]]] = {}
    for agency in AGENCIES:
        for alias in agency.aliases:
            key = _alias_words(alias)
            index.setdefault(key[0], []).append((key, agency))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


_COMMITTEE = (("ubnd",), ("uy", "ban", "nhan", "dan"), ("ub", "nd"))
_DISTRICT_WORDS = (("cap", "huyen"), ("thi", "xa"), ("quan",), ("huyen",))
_COMMUNE_WORDS = (("cap", "xa"), ("thi", "tran"), ("dac", "khu"), ("xa",), ("phuong",))
_NEUTRAL_WORDS = (("thanh", "pho"), ("tp",))  # a city is a province (the issuer) or a district


def _committee_at(tokens: list[tuple[str, int, int]], i: int) -> tuple[str, int] | None:
    """UBND of districts or communes starting at word i: (agency code, index after the match)."""
    for head in _COMMITTEE:
        if tuple(t[0] for t in tokens[i:i + len(head)]) == head:
            j = i + len(head)
            break
    else:
        return None
    if j < len(tokens) and tokens[j][0] == "cac":
        j += 1
    levels: set[str] = set()
    while j < len(tokens):
        for level, phrases in (("district", _DISTRICT_WORDS), ("commune", _COMMUNE_WORDS), ("", _NEUTRAL_WORDS)):
            phrase = next((p for p in phrases if tuple(t[0] for t in tokens[j:j + len(p)]) == p), None)
            if phrase:
                levels.add(level)
                j += len(phrase)
                break
        else:
            break
    if "district" in levels:
        return DISTRICTS_CODE, j
    if "commune" in levels:
        return COMMUNES_CODE, j
    return None  # "UBND tỉnh", "UBND thành phố": the issuer


def mentions_in(text: str) -> list[AgencyMention]:
    """Every agency named in `text`, left to right, longest alias first at each place."""
    tokens = words(text)
    index = _alias_index()
    found: list[AgencyMention] = []
    i = 0
    while i < len(tokens):
        committee = _committee_at(tokens, i)
        if committee:
            code, j = committee
            found.append(_mention(text, agency_by_code(code), tokens, i, j))
            i = j
            continue
        for key, agency in index.get(tokens[i][0], ()):
            if tuple(t[0] for t in tokens[i:i + len(key)]) == key:
                found.append(_mention(text, agency, tokens, i, i + len(key)))
                i += len(key)
                break
        else:
            i += 1
    return found


def _mention(text: str, agency: StandardAgency, tokens, i: int, j: int) -> AgencyMention:
    start, end = tokens[i][1], tokens[j - 1][2]
    return AgencyMention(agency, start, end, text[start:end])


@lru_cache(maxsize=1)
def _short_index() -> dict[str, StandardAgency]:
    return {short: agency for agency in AGENCIES for short in agency.short}


def agency_by_short_name(phrase: str) -> StandardAgency | None:
    """"Thuế", "Công an", "BHXH" standing alone as one element of a list of agencies."""
    key = " ".join(w for w, _, _ in words(phrase))
    key = re.sub(r"^(?:cac |co quan )+", "", key)
    key = re.sub(r" (?:tinh|thanh pho|tp|cac cap)$", "", key)
    return _short_index().get(key)
