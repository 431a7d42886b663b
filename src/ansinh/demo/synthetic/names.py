"""Vietnamese names, with the frequencies a synthetic province draws them by.

Officials reading a synthetic list notice at once when "Nguyễn" is not a third of it, when an old woman
has no "Thị", or when a child of 2015 is called like her grandmother; the weights below are there for that.
Surnames follow the national shares (DOMAIN.md, "Figures for realistic data") with the Mekong delta's
spellings: Huỳnh rather than Hoàng, Võ rather than Vũ, and Khmer (Thạch, Danh, Sơn, Kim) and Hoa (Lâm,
Quách, Tăng) families in the tail. Middle and given names come in a traditional and a modern set: people
born before 1975 draw from the first, after 2010 from the second, in between a mix of both.

Every name is NFC, the form the population registry stores.
"""

from __future__ import annotations

import unicodedata


def _nfc(pairs: list[tuple[str, float]]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Names and weights normalised to sum 1, so the tables below can be written in percent."""
    total = sum(weight for _, weight in pairs)
    return (
        tuple(unicodedata.normalize("NFC", name) for name, _ in pairs),
        tuple(weight / total for _, weight in pairs),
    )


#: Surnames in percent of persons; the tail (about 7%) stands for the hundreds of rarer ones.
SURNAMES = _nfc([
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Huỳnh", 4.2), ("Hoàng", 0.8),
    ("Phan", 4.5), ("Võ", 3.3), ("Vũ", 0.6), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Trương", 0.8), ("Đinh", 0.4), ("Lâm", 0.7),
    ("Mai", 0.4), ("Tô", 0.4), ("Châu", 0.5), ("Thái", 0.3), ("Lưu", 0.3), ("Tạ", 0.2), ("Quách", 0.3),
    ("Kim", 0.4), ("Thạch", 0.7), ("Danh", 0.5), ("Sơn", 0.4), ("Đoàn", 0.5), ("Lương", 0.4),
    ("Cao", 0.4), ("Trịnh", 0.3), ("Hà", 0.2), ("La", 0.2), ("Tăng", 0.2), ("Diệp", 0.1),
    ("Từ", 0.1), ("Giang", 0.1), ("Triệu", 0.1), ("Văn", 0.1), ("Lữ", 0.1), ("Ông", 0.1),
])

#: Middle names. Southern women often carry two ("Nguyễn Thị Ngọc Hân"), kept here as one entry.
MIDDLE_MALE_TRADITIONAL = _nfc([
    ("Văn", 68), ("Hữu", 5), ("Minh", 4), ("Thanh", 4), ("Tấn", 4), ("Quốc", 3), ("Công", 3),
    ("Phước", 2), ("Hoàng", 2), ("Ngọc", 2), ("Thành", 1.5), ("Đức", 1.5),
])
MIDDLE_MALE_MODERN = _nfc([
    ("Văn", 18), ("Minh", 14), ("Gia", 10), ("Hoàng", 8), ("Quốc", 7), ("Thanh", 5), ("Đức", 4),
    ("Anh", 4), ("Bảo", 6), ("Nhật", 4), ("Trọng", 3), ("Hữu", 3), ("Khánh", 4), ("Tuấn", 3),
    ("Thiên", 3), ("Đăng", 4),
])
MIDDLE_FEMALE_TRADITIONAL = _nfc([
    ("Thị", 72), ("Thị Ngọc", 5), ("Thị Kim", 4), ("Thị Mỹ", 3), ("Thị Thanh", 3), ("Thị Thu", 2),
    ("Thị Bích", 2), ("Ngọc", 3), ("Kim", 2), ("Thu", 1.5), ("Mỹ", 1.5), ("Thanh", 1),
])
MIDDLE_FEMALE_MODERN = _nfc([
    ("Thị", 22), ("Thị Ngọc", 6), ("Thị Mỹ", 4), ("Thị Kim", 3), ("Thị Thanh", 3), ("Ngọc", 10),
    ("Bảo", 7), ("Gia", 7), ("Khánh", 6), ("Minh", 6), ("Mỹ", 4), ("Thu", 3), ("Kim", 3), ("Thanh", 3),
    ("Phương", 3), ("Hoài", 2), ("Tường", 2), ("Cát", 1),
])

#: Given names. Southern birth-order names (Út, Sáu, Bảy) are real official names among the old.
GIVEN_MALE_TRADITIONAL = _nfc([
    ("Hùng", 4), ("Dũng", 4), ("Tuấn", 3), ("Hải", 3), ("Sơn", 3), ("Thắng", 2), ("Long", 3),
    ("Nam", 3), ("Tâm", 4), ("Phúc", 3), ("Tài", 3), ("Lộc", 3), ("Hòa", 3), ("Bình", 3), ("Thanh", 2),
    ("Tùng", 2), ("Cường", 3), ("Hiếu", 2), ("Quang", 2), ("Trung", 3), ("Hưng", 3), ("Nghĩa", 3),
    ("Thành", 3), ("Vinh", 2), ("Phong", 2), ("Hậu", 2), ("Tín", 2), ("Nhân", 2), ("Út", 2),
    ("Sang", 2), ("Toàn", 2), ("Lợi", 3), ("Kiệt", 1), ("Thiện", 2), ("Được", 1), ("Mến", 1),
    ("Sáu", 1), ("Bảy", 1), ("Minh", 3), ("Đạt", 2), ("Trí", 2), ("Châu", 1), ("Phước", 2), ("Hiền", 1),
    ("Thông", 1), ("Khanh", 1), ("Quý", 1), ("Tiến", 2), ("Định", 1), ("Nhựt", 1),
])
GIVEN_MALE_MODERN = _nfc([
    ("Khang", 4), ("Phúc", 4), ("Bảo", 3), ("An", 4), ("Huy", 4), ("Khôi", 3), ("Nam", 3), ("Minh", 3),
    ("Quân", 3), ("Duy", 3), ("Thịnh", 3), ("Kiệt", 3), ("Khoa", 3), ("Nhân", 2), ("Tín", 2),
    ("Thiện", 2), ("Trí", 3), ("Vinh", 2), ("Lộc", 2), ("Phát", 3), ("Tài", 2), ("Hiếu", 2),
    ("Nguyên", 2), ("Khải", 2), ("Anh", 3), ("Long", 2), ("Hào", 2), ("Đạt", 3), ("Tuấn", 2),
    ("Hưng", 2), ("Thắng", 1), ("Toàn", 1), ("Luân", 1), ("Vỹ", 1), ("Lâm", 1), ("Sơn", 1),
])
GIVEN_FEMALE_TRADITIONAL = _nfc([
    ("Lan", 3), ("Hoa", 3), ("Hương", 3), ("Hạnh", 3), ("Hằng", 2), ("Mai", 3), ("Linh", 2), ("Nga", 2),
    ("Thủy", 3), ("Thu", 2), ("Hà", 2), ("Phượng", 2), ("Loan", 3), ("Tuyết", 2), ("Liên", 2),
    ("Hồng", 3), ("Nhung", 2), ("Trang", 2), ("Nguyệt", 2), ("Dung", 3), ("Lệ", 2), ("Thảo", 2),
    ("Hiền", 2), ("Cúc", 2), ("Lài", 1), ("Mến", 1), ("Út", 2), ("Kiều", 1), ("Xuân", 2), ("Sương", 1),
    ("Bé", 1), ("Yến", 2), ("Đào", 1), ("Trinh", 1), ("Oanh", 2), ("Tâm", 1), ("Vân", 2), ("Huệ", 1),
    ("Thắm", 1), ("Diệu", 1), ("Phương", 2), ("Ngọc", 1), ("Em", 1), ("Nương", 1), ("Ánh", 1),
])
GIVEN_FEMALE_MODERN = _nfc([
    ("Anh", 4), ("Hân", 4), ("Ngọc", 3), ("Linh", 3), ("Vy", 4), ("Nhi", 4), ("My", 3), ("Trâm", 3),
    ("Thư", 3), ("Trinh", 2), ("Uyên", 3), ("Quỳnh", 2), ("Ngân", 3), ("Như", 3), ("Tiên", 3),
    ("Thảo", 3), ("Phương", 2), ("Yến", 2), ("Châu", 2), ("Diễm", 2), ("Giang", 2), ("Hà", 1),
    ("Nhung", 1), ("Trang", 2), ("An", 3), ("Khuê", 1), ("Hương", 1), ("Mai", 2), ("Tuyền", 1),
    ("Duyên", 2), ("Hạnh", 1), ("Thy", 2), ("Loan", 1), ("Ly", 1),
])

#: Hamlets (ấp) of the Mekong delta; a commune takes some of them, sometimes split "1"/"2" or "A"/"B".
HAMLETS = tuple(unicodedata.normalize("NFC", name) for name in (
    "Thới Hòa", "Thới Thạnh", "Thới Trinh", "Thới Thuận", "Thới Long", "Thới Bình", "Thới Hưng",
    "Nhơn Lộc", "Nhơn Phú", "Nhơn Thọ", "Nhơn Thạnh", "Nhơn Hòa", "Nhơn Lợi", "Trường Thọ", "Trường Lạc",
    "Trường Hưng", "Trường Ninh", "Trường Khương", "Trường Phú", "Tân Thạnh", "Tân Lợi", "Tân Long",
    "Tân Bình", "Tân Phú", "Tân Hòa", "Tân Hưng", "Tân Qui", "Phú Lợi", "Phú Thạnh", "Phú Hòa", "Phú Hưng",
    "Phú An", "Long Hòa", "Long Thạnh", "Long Phú", "Long Bình", "Long An", "Long Trường", "Mỹ Phước",
    "Mỹ Lợi", "Mỹ Hòa", "Mỹ Thuận", "Mỹ Khánh", "Mỹ Ái", "Mỹ Tân", "Phước Lộc", "Phước Thới", "Phước Hòa",
    "Bình Thành", "Bình Hòa", "Bình Thạnh", "Bình Lợi", "An Hòa", "An Bình", "An Thạnh", "An Lạc",
    "Đông Bình", "Đông Thạnh", "Đông Phước", "Đông Hòa", "Thạnh Lợi", "Thạnh Hưng", "Thạnh An",
    "Thạnh Phú", "Thạnh Mỹ", "Thạnh Hòa", "Định Khánh", "Định Thành", "Vĩnh Trinh", "Vĩnh Thạnh",
    "Vĩnh Lợi", "Vĩnh Hòa", "Vĩnh Phước", "Phụng Thạnh", "Hòa Lợi", "Hòa Thạnh", "Hòa An", "Hòa Long",
    "Khánh Hưng", "Hưng Lợi", "Hưng Thạnh", "Xẻo Xu", "Rạch Sung", "Rạch Gừa", "Kinh Mới", "Kinh Ngang",
    "Kinh Cùng", "Cái Chanh", "Cái Sơn", "Cái Tắc", "Cái Dầu", "Ba Láng", "Giồng Nổi", "Giồng Dú",
    "Bờ Ao", "Trà Bết", "Trà Niền", "Bà Hiên", "Xóm Chùa", "Xóm Lớn", "Sóc Xoài", "Sóc Mới",
    "Tầm Vu", "Láng Hầm", "Ngã Bát", "Vàm Xáng", "Mương Điều", "Bông Vang", "Đầu Sấu", "Cầu Nhiếm",
))
