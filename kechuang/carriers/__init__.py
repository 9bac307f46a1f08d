"""Innovation carriers: labs, centres, incubators, workstations, with yearly metrics."""
