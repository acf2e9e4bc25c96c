#!/usr/bin/python3
"""validate-schema.py SCHEMA.json DOCUMENT.json: validate a document against one of the OCI
runtime spec's JSON schemas (their "$ref"s to defs*.json resolved next to SCHEMA).  Prints every
error with its JSON path and exits 1 when the document is invalid, 2 on a usage or setup error.
Needs Debian's python3-jsonschema."""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("validate-schema: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema_path = os.path.abspath(sys.argv[1])
    with open(schema_path) as f:
        schema = json.load(f)
    with open(sys.argv[2]) as f:
        doc = json.load(f)
    base = "file://" + os.path.dirname(schema_path) + "/"
    resolver = jsonschema.RefResolver(base_uri=base, referrer=schema)
    validator = jsonschema.Draft4Validator(schema, resolver=resolver)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.path).lstrip(".")
        print(f"{sys.argv[2]}: {path or '(top)'}: {e.message}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
