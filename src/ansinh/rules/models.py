"""Officers' rule values: a dated value with its legal basis, added to the shipped rules without a release.

The table keeps its first name, `employers_parameter`, so existing databases keep their rows: the model
moved here from the employers app with state-only migrations (`rules/0001`, `employers/0002`).
"""

from __future__ import annotations

from django.db import models


class Parameter(models.Model):
    """A dated rule value an officer set (a new decree, a correction), with its legal basis.

    It adds to or overrides the shipped rules of `data/rules.toml` from `valid_from` on.
    """

    code = models.CharField(max_length=60)
    valid_from = models.DateField()
    value = models.DecimalField(max_digits=18, decimal_places=6)
    basis = models.CharField(max_length=300, help_text="Legal basis: law, decree, article.")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "employers_parameter"
        ordering = ["code", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="parameter_code_from")]

    def __str__(self) -> str:
        return f"{self.code} = {self.value} từ {self.valid_from:%d/%m/%Y}"
