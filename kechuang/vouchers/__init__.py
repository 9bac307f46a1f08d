"""Innovation vouchers (科技创新券): schemes, providers, issue, redemption, settlement, expiry,
on an append-only double-entry ledger."""
