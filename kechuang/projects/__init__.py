"""Approved projects: contract, milestones, budget, progress, mid-term, acceptance."""
