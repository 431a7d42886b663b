"""Synthetic but realistic data for a whole province, for the demo, the tests and the benchmarks.

Nothing here is production code: the coverage and employers apps never import it (it imports them).
What each module makes:

- `actuals`: monthly figures per commune, consistent with a plan (the demo's dashboard before any persons);
- `persons` (entry point `generate`): the person-level extract of docs/data.md, drawn step by step in
  `province`, `households`, `spans`, `cards`, `ids`, `tables` and `defects`, to the figures of `calibration`;
- `employers` (entry point `generate_employers`): the employer datasets of employers/schema.py with the
  truth planted in them, drawn in `firm_world`, `firms`, `firm_naming`, `firm_tables` and `ledger`;
  `source_files` writes them as the files other bodies hand in;
- shared: `communes` (the official communes), `manifests` (how both describe a data set), `days` and
  `arrays` (whole-array helpers), `names` and `firm_names` (Vietnamese person and enterprise names with
  their frequencies).
"""
