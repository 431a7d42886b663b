"""The demo's employers go through the real imports (the files as other bodies write them) and reconcile."""

from __future__ import annotations

import pytest

from ansinh.demo.services import demo_employers
from ansinh.employers import storage
from ansinh.employers.models import EmployerImport, ReconcileRun, WorkItem

pytestmark = pytest.mark.django_db


def test_the_demo_imports_every_list_and_fills_the_worklists_and_a_second_run_changes_nothing(data_dir):
    first = demo_employers(units=300, tax_records=900, months=13)
    assert first.imported["units"] == 300 and first.imported["tax"] == 900
    assert {name: storage.dataset_read(name).num_rows for name in ("units", "tax")} == {"units": 300, "tax": 900}
    assert first.counts["unregistered"] > 0 and first.counts["under_declared"] > 0
    items = WorkItem.objects.count()
    assert items == sum(first.counts[k] for k in ("unregistered", "under_declared", "closed_active", "uncertain"))
    assert set(WorkItem.objects.values_list("commune__code", flat=True)) - {"92"}  # items sit with communes
    imports = EmployerImport.objects.count()
    assert set(EmployerImport.objects.values_list("actor__username", flat=True)) == {"system"}  # the demo is the operator
    assert set(ReconcileRun.objects.values_list("actor__username", flat=True)) == {"system"}

    again = demo_employers(units=300, tax_records=900, months=13)
    assert again.counts == first.counts
    assert (WorkItem.objects.count(), EmployerImport.objects.count()) == (items, imports)
