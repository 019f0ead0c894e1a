"""Probe: the JSON Schema of the error body (draft 2020-12) is a valid schema, every example
body and a future code validate against it, and it still rejects what is not a body. A
known code matches `KnownErrorCode`; the future code does not.

Usage: probe_jsonschema.py OPENAPI SCHEMA"""

import json
import sys
from importlib.metadata import version

import jsonschema

from bodies import FUTURE_BODY, FUTURE_CODE, Failures, example_bodies


def main():
    openapi, schema_path = sys.argv[1:]
    failures = Failures(f"jsonschema {version('jsonschema')}")
    with open(schema_path, encoding="utf-8") as file:
        schema = json.load(file)
    failures.check(
        schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema",
        f"not a 2020-12 schema: {schema.get('$schema')}",
    )
    failures.attempt("the schema is invalid", lambda: jsonschema.Draft202012Validator.check_schema(schema))
    validator = jsonschema.Draft202012Validator(schema)
    bodies = example_bodies(openapi)
    for name, body in bodies + [("future", FUTURE_BODY)]:
        errors = [error.message for error in validator.iter_errors(body)]
        failures.check(not errors, f"{name} does not validate: {errors}")
    known_schema = schema.get("$defs", {}).get("KnownErrorCode")
    failures.check(known_schema is not None, "no KnownErrorCode in $defs")
    if known_schema is not None:
        known = jsonschema.Draft202012Validator(known_schema)
        for name, body in bodies:
            failures.check(known.is_valid(body["error"]), f"{name}: {body['error']!r} is not a KnownErrorCode")
        failures.check(not known.is_valid(FUTURE_CODE), f"{FUTURE_CODE!r} validates as a KnownErrorCode")
    # The schema still judges: these are not error bodies.
    for name, bad in [
        ("a numeric code", {**FUTURE_BODY, "error": 42}),
        ("no message", {"error": FUTURE_CODE}),
        ("a string status", {**FUTURE_BODY, "status": "402"}),
    ]:
        failures.check(not validator.is_valid(bad), f"{name} validates")
    print(f"jsonschema: {len(bodies)} example bodies and 1 future body")
    failures.finish()


if __name__ == "__main__":
    main()
