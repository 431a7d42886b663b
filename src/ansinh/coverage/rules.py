"""What each rule of docs/data.md "Bad rows" means, in the words an official reads (CLI, API, pages).

The codes are the engine's (`pipeline.Problem.rule`, `reference.RULES`); a test keeps the two lists equal.
"""

from __future__ import annotations

RULE_LABELS: dict[str, str] = {
    "person.missing_id": "Người thiếu số định danh, hoặc số không đủ 12 chữ số",
    "person.duplicate": "Số định danh cá nhân xuất hiện nhiều lần",
    "person.unknown_commune": "Xã nơi ở (hoặc nơi ở trước) không thuộc tỉnh",
    "person.missing_birth_date": "Người thiếu ngày sinh",
    "person.unknown_employment_kind": "Loại công việc (employment_kind) không thuộc danh mục",
    "card.inverted": "Thẻ BHYT hết hạn trước ngày bắt đầu, hoặc thiếu ngày",
    "card.unknown_group": "Thẻ BHYT có nhóm đối tượng ngoài 1–6",
    "card.unknown_person": "Thẻ BHYT của người không có (hợp lệ) trong dữ liệu dân cư",
    "span.inverted": "Quá trình đóng BHXH có tháng cuối trước tháng đầu, hoặc thiếu tháng đầu",
    "span.unknown_scheme": "Quá trình đóng BHXH không phải bắt buộc hay tự nguyện",
    "span.unknown_person": "Quá trình đóng BHXH của người không có (hợp lệ) trong dữ liệu dân cư",
}


def rule_label(code: str) -> str:
    """The Vietnamese label of a rule; an unknown code is shown as is rather than hidden."""
    return RULE_LABELS.get(code, code)
