"""Administrative units (đơn vị hành chính) and how old units map onto their successors."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class OrgUnitQuerySet(models.QuerySet):
    def current(self) -> "OrgUnitQuerySet":
        """The units in force today (no `valid_to`): a code names one of them at most, the old units
        of before a merger stay behind for history and for the mapping onto their successors."""
        return self.filter(valid_to__isnull=True)


class OrgUnit(models.Model):
    """A province, (pre-2025) district, commune, or a unit below a commune.

    Units are effective-dated: Vietnam merged provinces and communes on 1/7/2025, and a unit code can be
    reused by a different unit later, so a code is unique only among units still in force.
    `path` ("/92/31135/") makes "this unit and everything under it" one indexed prefix query.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", "Tỉnh/Thành phố"
        DISTRICT = "district", "Quận/Huyện"
        COMMUNE = "commune", "Xã/Phường/Đặc khu"
        VILLAGE = "village", "Ấp/Thôn/Khu vực"
        COLLECTION_ORG = "collection_org", "Tổ chức dịch vụ thu"
        AGENT = "agent", "Nhân viên thu"

    code = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    division_type = models.CharField(max_length=40, blank=True, help_text="xã, phường, đặc khu, tỉnh, …")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=400, db_index=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True, help_text="First day the unit no longer exists.")

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(valid_to__isnull=True), name="orgunit_code_current"),
            models.UniqueConstraint(fields=["code", "valid_from"], name="orgunit_code_valid_from"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="orgunit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def is_within(self, other: "OrgUnit") -> bool:
        """True when this unit is `other` or lies below it."""
        return self.path.startswith(other.path)


class UnitSuccession(models.Model):
    """An old unit passed `share` of its people to a successor (old-to-new is a mapping, not a function)."""

    predecessor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="predecessions")
    share = models.DecimalField(max_digits=7, decimal_places=6)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
            models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=1), name="succession_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.code} → {self.successor.code} ({self.share})"
