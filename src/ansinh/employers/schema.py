"""The employer datasets: one Parquet file each under `<ANSINH_DATA_DIR>/employers/`.

These are the contract between the imports (which write them), the synthetic generator (which writes
them directly, at any size), the reconciliation and the arrears engine (which read them). Codes are kept
as text exactly as normalised by the imports: tax codes `0301234567` or `0301234567-001`, commune codes
5 digits, unit codes as BHXH writes them (`TA0123A`). Money is whole đồng (int64). Documented in
docs/employers.md.
"""

from __future__ import annotations

import pyarrow as pa

#: What an outside list says of an enterprise's state (tax registry, business registration).
TAX_STATUSES = ("active", "suspended", "dissolved", "bankrupt")
#: A BHXH unit's state at BHXH.
UNIT_STATUSES = ("active", "suspended", "closed")
#: Business registration changes handed in monthly.
CHANGE_KINDS = ("registered", "suspended", "dissolved", "bankrupt", "resumed")

UNITS = pa.schema([
    ("unit_code", pa.string()),  # BHXH unit code, unique
    ("tax_code", pa.string()),  # nullable: some units were registered without one, or with a typo
    ("name", pa.string()),
    ("address", pa.string()),
    ("commune_code", pa.string()),
    ("sector", pa.string()),  # economic sector, free text as BHXH records it
    ("ownership", pa.string()),  # type of enterprise: "Công ty TNHH", "Công ty cổ phần", "DNTN", "Nhà nước", …
    ("workers", pa.int32()),  # workers declared to BHXH
    ("status", pa.string()),  # one of UNIT_STATUSES
])

TAX = pa.schema([
    ("tax_code", pa.string()),  # unique within the file
    ("name", pa.string()),
    ("address", pa.string()),
    ("commune_code", pa.string()),  # nullable: from the address when the list has no commune column
    ("status", pa.string()),  # one of TAX_STATUSES
    ("workers", pa.int32()),  # workers on the payroll (PIT) declarations; 0 when none declared
])

CHANGES = pa.schema([
    ("tax_code", pa.string()),
    ("name", pa.string()),
    ("commune_code", pa.string()),  # nullable
    ("change", pa.string()),  # one of CHANGE_KINDS
    ("changed_on", pa.date32()),
])

ZONES = pa.schema([  # enterprises in the economic zones and industrial parks (Ban quản lý KKT/KCN)
    ("tax_code", pa.string()),
    ("name", pa.string()),
    ("zone", pa.string()),
    ("commune_code", pa.string()),  # nullable
    ("workers", pa.int32()),
])

UNIONS = pa.schema([  # grassroots trade unions: members per enterprise (Liên đoàn Lao động)
    ("tax_code", pa.string()),
    ("name", pa.string()),
    ("commune_code", pa.string()),  # nullable
    ("members", pa.int32()),
])

LEDGER = pa.schema([
    # A due row: amount_due > 0, amount_paid 0, paid_on null; `period` is the month the contribution is for.
    # A payment row: amount_paid > 0, amount_due 0, paid_on set; `period` is where the file put it (may be null):
    # payments settle the oldest unpaid month first, whatever period they name.
    ("unit_code", pa.string()),
    ("period", pa.date32()),  # first day of the month
    ("amount_due", pa.int64()),
    ("amount_paid", pa.int64()),
    ("paid_on", pa.date32()),
])

#: dataset name → (file name, schema). Imports, generator and engines go through this registry.
DATASETS: dict[str, tuple[str, pa.Schema]] = {
    "units": ("units.parquet", UNITS),
    "tax": ("tax.parquet", TAX),
    "changes": ("changes.parquet", CHANGES),
    "zones": ("zones.parquet", ZONES),
    "unions": ("unions.parquet", UNIONS),
    "ledger": ("ledger.parquet", LEDGER),
}
