"""Probe: the models openapi-python-client writes parse every example body and a future
code. Known codes come out as `KnownErrorCode` members; the future code as a string, with
its unknown member kept in `additional_properties`.

Usage: probe_python_client.py OPENAPI PACKAGE_PARENT PACKAGE"""

import enum
import importlib
import sys

from bodies import FUTURE_BODY, FUTURE_CODE, Failures, example_bodies


def main():
    openapi, parent, package = sys.argv[1:]
    sys.path.insert(0, parent)
    failures = Failures("openapi-python-client")
    models = failures.attempt("import the models", lambda: importlib.import_module(f"{package}.models"))
    if models is None:
        failures.finish()
    known_enum = getattr(models, "KnownErrorCode", None)
    failures.check(known_enum is not None, "no KnownErrorCode enum")
    # Members are named after the wire strings (upper-cased, as the tool writes constants).
    for member in known_enum or []:
        failures.check(member.name == member.value.upper(), f"member {member.name} = {member.value!r}")
    # Without the named enum, any enum still counts as typed, so the other checks report too.
    known_enum = known_enum or enum.Enum
    bodies = example_bodies(openapi)
    for name, body in bodies:
        parsed = failures.attempt(f"{name} does not parse", lambda body=body: models.ErrorBody.from_dict(body))
        if parsed is None:
            continue
        failures.check(
            isinstance(parsed.error, known_enum) and parsed.error.value == body["error"],
            f"{name}: the known code is {type(parsed.error).__name__} {parsed.error!r}, not a KnownErrorCode",
        )
        failures.check(parsed.to_dict() == body, f"{name}: does not round-trip: {parsed.to_dict()}")
    parsed = failures.attempt(
        f"the future code {FUTURE_CODE!r} is rejected", lambda: models.ErrorBody.from_dict(FUTURE_BODY)
    )
    if parsed is not None:
        failures.check(
            parsed.error == FUTURE_CODE and not isinstance(parsed.error, known_enum),
            f"the future code reads as {parsed.error!r}",
        )
        failures.check(
            parsed.additional_properties.get("quota") == FUTURE_BODY["quota"],
            f"the unknown member is lost: {parsed.additional_properties}",
        )
    print(f"openapi-python-client: {len(bodies)} example bodies and 1 future body")
    failures.finish()


if __name__ == "__main__":
    main()
