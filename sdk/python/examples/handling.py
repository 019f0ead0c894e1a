"""A client's call in Python: fetch a run, retry as the table says, branch on the code.
docs/errors.md quotes the part between the ``docs:`` markers; ``.ci/sdk`` runs the whole file
against the reference server, with the package installed from sdk/python."""

# docs:start
import json
import os
import sys
import urllib.parse
import urllib.request
from typing import Any, Optional

from error_spec_sdk import ErrorResponse, KnownCode, request_with_retry

API = os.environ.get("API_URL", "http://127.0.0.1:8080")
KEY = os.environ.get("API_KEY", "sk_live_demo_pro_8b3e9d")


def get_run(run_id: str) -> Optional[Any]:
    """The run, or ``None`` when there is none; any other failure is raised."""
    request = urllib.request.Request(
        f"{API}/runs/{urllib.parse.quote(run_id)}",
        headers={"Authorization": f"Bearer {KEY}"},
    )
    try:
        # Retries as each code's retry class says, at most 3 requests and 30 s in all.
        response = request_with_retry(request, max_attempts=3, max_total_seconds=30)
    except ErrorResponse as failed:
        # `failed.error` never failed to parse: a proxy's HTML page is `kind == "unexpected"`.
        code = failed.error.code
        if code is not None and code.known is KnownCode.NOT_FOUND:
            return None
        # A newer server's code keeps its string in `code.value`; quote the request id.
        print(f"{failed.error} (request {failed.error.request_id})", file=sys.stderr)
        raise
    return json.loads(response.body)
# docs:end


if __name__ == "__main__":
    assert get_run("run_nope") is None
    try:
        get_run("run_corrupt")
        raise AssertionError("run_corrupt answers internal_error")
    except ErrorResponse as failed:
        assert failed.error.code is not None and failed.error.code.value == "internal_error"
        assert failed.attempts == 1, "internal_error is never retried"
        assert (failed.error.request_id or "").startswith("req_")
    try:
        get_run("run_expired")
        raise AssertionError("run_expired answers gone")
    except ErrorResponse as failed:
        assert failed.error.code is not None and failed.error.code.known is KnownCode.GONE
    print("the Python snippet ran against", API)
