"""The bodies every Python probe parses: each example body of docs/openapi.json, and a body
with a code newer than the document and a member it does not know."""

import json
import sys

# A code no version of the table has, as a newer server would send it.
FUTURE_CODE = "quota_frozen"

FUTURE_BODY = {
    "error": FUTURE_CODE,
    "message": "Your quota is frozen until the invoice is paid.",
    "status": 402,
    "request_id": "req_0123456789abcdef",
    "quota": {"frozen": True, "resets_at": "2027-01-01T00:00:00Z"},
}


def example_bodies(openapi_path):
    """(name, body) for every example body under the document's responses."""
    with open(openapi_path, encoding="utf-8") as file:
        doc = json.load(file)
    bodies = []
    for response_name, response in sorted(doc["components"]["responses"].items()):
        for media in response.get("content", {}).values():
            for name, example in sorted(media.get("examples", {}).items()):
                bodies.append((f"{response_name}/{name}", example["value"]))
    if not bodies:
        sys.exit(f"{openapi_path}: no example bodies to probe with")
    return bodies


def known_codes(openapi_path):
    """The codes the document lists, from the example bodies (one per code)."""
    return sorted({body["error"] for _, body in example_bodies(openapi_path)})


class Failures:
    """Collects failed checks, prints each, and exits non-zero at the end if any failed."""

    def __init__(self, probe):
        self.probe = probe
        self.failed = []
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)
            print(f"FAIL {self.probe}: {what}")

    def attempt(self, what, run):
        """Runs `run()`; an exception is a failed check, and its value is returned if not."""
        try:
            return run()
        except Exception as err:  # noqa: BLE001 - any exception is the probe's finding
            first_line = str(err).splitlines()[0] if str(err) else ""
            self.check(False, f"{what}: {type(err).__name__}: {first_line}")
            return None

    def finish(self):
        if self.failed:
            sys.exit(f"{self.probe}: {len(self.failed)} check(s) failed, {self.passed} passed")
        print(f"ok {self.probe}: {self.passed} checks passed")
