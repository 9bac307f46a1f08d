"""双随机一公开 spot checks: plans, drawn objects and inspectors, findings."""
