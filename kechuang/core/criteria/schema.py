"""Writes the facts JSON Schema to standard output, to refresh ``schemas/facts.schema.json``:

    .venv/bin/python -m kechuang.core.criteria.schema > schemas/facts.schema.json

A test fails when the file and :func:`facts_json_schema` differ.
"""

import json
import sys

from kechuang.core.criteria.intake import facts_json_schema


def main() -> None:
    json.dump(facts_json_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
