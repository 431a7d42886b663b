"""Employers (đơn vị sử dụng lao động): registries, reconciliation, contributions, arrears, enforcement."""
