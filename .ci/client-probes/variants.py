"""Writes two broken copies of the artifacts, for the negative controls: every probe must
fail against each, or it proves nothing.

- `closed`: the code list closed again (`ErrorCode` is `KnownErrorCode` itself), as the
  old `oneOf` was: a client generated from it rejects a newer code.
- `untyped`: `ErrorCode` a plain string and no `KnownErrorCode`: a client reads a newer
  code but the known codes lose their type.

Usage: variants.py OPENAPI SCHEMA OUTDIR"""

import copy
import json
import os
import sys


def closed(schemas, prefix):
    schemas["ErrorCode"] = {"$ref": f"{prefix}KnownErrorCode"}


def untyped(schemas, prefix):
    schemas["ErrorCode"] = {"type": "string"}
    del schemas["KnownErrorCode"]


def main():
    openapi_path, schema_path, outdir = sys.argv[1:]
    with open(openapi_path, encoding="utf-8") as file:
        openapi = json.load(file)
    with open(schema_path, encoding="utf-8") as file:
        schema = json.load(file)
    for name, break_it in [("closed", closed), ("untyped", untyped)]:
        os.makedirs(os.path.join(outdir, name), exist_ok=True)
        doc = copy.deepcopy(openapi)
        break_it(doc["components"]["schemas"], "#/components/schemas/")
        with open(os.path.join(outdir, name, "openapi.json"), "w", encoding="utf-8") as file:
            json.dump(doc, file, indent=2)
        body = copy.deepcopy(schema)
        break_it(body["$defs"], "#/$defs/")
        with open(os.path.join(outdir, name, "error-body.schema.json"), "w", encoding="utf-8") as file:
            json.dump(body, file, indent=2)


if __name__ == "__main__":
    main()
