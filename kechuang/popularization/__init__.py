"""Science popularization events, yearly totals and the public calendar."""
