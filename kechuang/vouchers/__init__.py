"""Innovation vouchers: schemes, providers, issue, redemption, settlement, on an append-only ledger."""
