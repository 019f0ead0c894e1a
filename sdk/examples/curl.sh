#!/usr/bin/env bash
# The same call with curl: docs/errors.md quotes the part between the `docs:` markers;
# `.ci/sdk` runs this file against the reference server and checks what it printed.
set -euo pipefail
API_URL="${API_URL:-http://127.0.0.1:8080}"
API_KEY="${API_KEY:-sk_live_demo_pro_8b3e9d}"

# docs:start
# The status line, X-Request-Id and the body; `error` is the code to branch on.
curl --silent --show-error --include "$API_URL/runs/run_nope" \
  --header "Authorization: Bearer $API_KEY"
# docs:end
