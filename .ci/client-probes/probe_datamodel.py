"""Probe: the pydantic v2 models datamodel-code-generator writes parse every example body
and a future code. Known codes come out as members of the `KnownErrorCode` enum; the
future code as a plain string.

Usage: probe_datamodel.py OPENAPI MODULE_DIR MODULE...  (each MODULE a generated file)"""

import enum
import importlib
import json
import sys

from bodies import FUTURE_BODY, FUTURE_CODE, Failures, example_bodies


def probe(module_name, bodies, failures):
    models = failures.attempt(f"{module_name}: import", lambda: importlib.import_module(module_name))
    if models is None:
        return
    known_enum = getattr(models, "KnownErrorCode", None)
    failures.check(known_enum is not None, f"{module_name}: no KnownErrorCode enum")
    body_model = getattr(models, "ErrorBody", None)
    failures.check(body_model is not None, f"{module_name}: no ErrorBody model")
    if body_model is None:
        return
    # Members are named after the wire strings.
    for member in known_enum or []:
        failures.check(member.name == member.value, f"{module_name}: member {member.name} = {member.value!r}")
    # Without the named enum, any enum still counts as typed, so the other checks report too.
    known_enum = known_enum or enum.Enum
    for name, body in bodies:
        parsed = failures.attempt(
            f"{module_name}: {name} does not parse",
            lambda body=body: body_model.model_validate_json(json.dumps(body)),
        )
        if parsed is None:
            continue
        code = getattr(parsed.error, "root", parsed.error)
        failures.check(
            isinstance(code, known_enum) and code.value == body["error"],
            f"{module_name}: {name}: the known code is {type(code).__name__} {code!r}, not a KnownErrorCode",
        )
    parsed = failures.attempt(
        f"{module_name}: the future code {FUTURE_CODE!r} is rejected",
        lambda: body_model.model_validate_json(json.dumps(FUTURE_BODY)),
    )
    if parsed is not None:
        code = getattr(parsed.error, "root", parsed.error)
        failures.check(
            code == FUTURE_CODE and not isinstance(code, known_enum),
            f"{module_name}: the future code reads as {code!r}",
        )
        failures.check(parsed.status == 402, f"{module_name}: the future body lost its status")


def main():
    openapi, module_dir, *modules = sys.argv[1:]
    sys.path.insert(0, module_dir)
    failures = Failures("datamodel-code-generator (pydantic v2)")
    bodies = example_bodies(openapi)
    for module_name in modules:
        probe(module_name, bodies, failures)
    print(f"datamodel-code-generator: {len(bodies)} example bodies and 1 future body per model file")
    failures.finish()


if __name__ == "__main__":
    main()
