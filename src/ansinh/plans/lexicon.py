"""The words plans use: schemes, BHYT groups, units, agency lists, task verbs, how often and by when.

The reader's vocabulary in one place, all in folded form (`core.text.fold_keep`: no accents, lower
case), so a reviewer can see what the reader knows and a new plan's wording is added here.
"""

from __future__ import annotations

import re

# -------------------------------------------------------------------- targets: indicators and units


#: Insurance schemes by their names, the most specific first.
SCHEMES = (
    ("bhxh.compulsory", r"(?:bhxh|bao hiem xa hoi) bat buoc"),
    ("bhxh.voluntary", r"(?:bhxh|bao hiem xa hoi) tu nguyen"),
    ("bhxh", r"\bbhxh\b|bao hiem xa hoi"),
    ("bhyt", r"\bbhyt\b|bao hiem y te"),
    ("bhtn", r"\bbhtn\b|bao hiem that nghiep"),
)
SCHEME_WORD = r"(?:bhxh|bhyt|bhtn|bao hiem)"

#: Sub-groups of BHYT participants plans set targets for: (folded words, group of the Law, label).
BHYT_SUBGROUPS = (
    (r"hoc sinh|sinh vien|hoc vien", "4", "học sinh, sinh viên"),
    (r"can ngheo", "4", "người thuộc hộ cận nghèo"),
    (r"muc song trung binh|nong,? lam,? ngu", "4", "hộ nông, lâm, ngư, diêm nghiệp có mức sống trung bình"),
    (r"\bngheo\b", "3", "người thuộc hộ nghèo"),
    (r"tre em duoi 6 tuoi", "3", "trẻ em dưới 6 tuổi"),
    (r"dan toc thieu so", "3", "người dân tộc thiểu số vùng khó khăn"),
    (r"ho gia dinh", "5", "hộ gia đình"),
)

#: Indicator codes the reader gives to targets the DESIGN registry has no code for (see docs/plans.md).
NEW_INDICATORS = {
    "arrears.rate": ("%", "Tỷ lệ nợ, chậm đóng BHXH, BHYT, BHTN (trên số phải thu)"),
    "employers.e_transaction_share": ("%", "Tỷ lệ đơn vị sử dụng lao động giao dịch hồ sơ điện tử"),
    "bhyt.schools.share": ("%", "Tỷ lệ trường học tổ chức BHYT học sinh"),
    "service.satisfaction": ("%", "Mức độ hài lòng của người tham gia, doanh nghiệp"),
    "egov.online_share": ("%", "Tỷ lệ hồ sơ, thủ tục giải quyết trực tuyến"),
    "bhxh.growth": ("%", "Tăng trưởng số người tham gia BHXH so với năm trước"),
    "bhxh.compulsory.growth": ("%", "Tăng trưởng số người tham gia BHXH bắt buộc so với năm trước"),
    "bhyt.growth": ("%", "Tăng trưởng số người tham gia BHYT so với năm trước"),
    "bhtn.growth": ("%", "Tăng trưởng số người tham gia BHTN so với năm trước"),
    "bhxh.voluntary.new_participants": ("persons", "Số người tham gia BHXH tự nguyện phát triển mới"),
    "bhxh.compulsory.new_participants": ("persons", "Số người tham gia BHXH bắt buộc phát triển mới"),
    "bhyt.new_participants": ("persons", "Số người tham gia BHYT phát triển mới"),
    "employers.registered": ("units", "Số đơn vị sử dụng lao động đăng ký tham gia"),
    "contributions.collected": ("VND", "Số thu BHXH, BHYT, BHTN"),
    "unclassified": ("", "Chỉ tiêu có số liệu nhưng chưa nhận ra chỉ số: người rà soát chọn chỉ số"),
    **{f"bhyt.participants.group.{g}": ("persons", f"Số người tham gia BHYT nhóm {g}") for g in "12345"},
}

#: What may follow a number for it to be a target: %, money, people, employers, households.
UNIT_AFTER = re.compile(
    r"^\s*(?P<pct>%)|^\s*(?P<money>(?:ty|trieu|nghin)?\s*(?:dong|vnd)\b)|^\s*(?P<persons>nguoi|lao dong|doi tuong)\b"
    r"|^\s*(?P<units>don vi|doanh nghiep|dn\b|co so)|^\s*(?P<households>ho\b)"
)
#: Words before a number that report what was reached, not what is to be reached.
PAST = re.compile(r"\b(?:da dat|uoc dat|uoc thuc hien|dat duoc|cung ky|hien nay|hien co|ket qua thuc hien nam)\b")


# ------------------------------------------------------------------ assignments: agencies and tasks


#: Words that may open a paragraph before the agencies it is addressed to ("Đề nghị …", "Giao …").
ADDRESS_PREFIX = re.compile(r"^(?:\W*(?:de nghi|giao|yeu cau|chu tich|giam doc|thu truong|lanh dao|cac)\s+)+")
#: Words that may stand between agencies in a list without ending it.
CONNECTORS = set(
    "va voi cac cung co quan don vi so ban nganh lien to chuc doan the thanh vien pho tinh huyen dia phuong cap "
    "tren de nghi giao chu tich giam doc thu truong chinh tri xa hoi khac truc thuoc nha nuoc trung uong tp "
    "chuyen mon ca nhan".split()
)

#: First words of a task sentence: where an agency list such as "BHXH thành phố Cần Thơ chủ trì …" ends.
TASK_VERB_WORDS = ("chu", "phoi", "chi", "thuc", "tham", "huong", "xay", "tang", "kiem", "cung", "trien", "theo",
                   "ra", "don", "tuyen", "phat")

#: A plain paragraph opening with one of these after a finished letter list starts a new (lost) section.
TASK_VERBS = ("phoi hop", "chu tri", "chi dao", "thuc hien", "tham muu", "huong dan", "to chuc", "xay dung",
              "tang cuong", "kiem tra", "cung cap", "trien khai", "theo doi", "ra soat", "don doc", "tuyen truyen")

#: Adverbs that may come before "phối hợp" in a supporting agency's task.
ADVERBS = r"(?:(?:chu dong|tich cuc|tiep tuc|thuong xuyen|hang nam|hang thang|hang quy|dinh ky|kip thoi)\W+)*"


# ------------------------------------------------------------------------- recurrence and due dates


#: How often a task recurs, by its words; and, when a task names only a day, how many months on it falls.
RECURRENCES = (
    ("monthly", r"\b(?:hang|moi) thang\b|dinh ky thang"),
    ("quarterly", r"\b(?:hang|moi) quy\b|dinh ky quy"),
    ("half_yearly", r"\b0?6 thang\b|sau thang"),
    ("yearly", r"\b(?:hang|moi) nam\b|dinh ky nam|\bcuoi nam\b"),
)
DEFAULT_OFFSET = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
