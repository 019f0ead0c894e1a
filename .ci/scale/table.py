#!/usr/bin/env python3
"""Writes error-spec's table grown to N codes, for `.ci/scale/run`.

Usage: .ci/scale/table.py N < error-spec/src/table.rs > table.rs

The table's own 16 rows stay as they are (the runtime names some of them: `not_found`,
`internal_error`, ...); the rest are generated so that the large table holds every category,
every status the status table lists as an error status, every retry class each status
allows, `pause` with several ranges, and deprecated rows. Texts carry the characters the
generators must escape (`|`, `*`, `<`, backticks, non-ASCII), never control characters.
Output is the same for the same N.
"""

import re
import sys

CATEGORIES = ["Authentication", "Billing", "Validation", "Resources", "Runtime"]
# The error statuses of error-spec's STATUS_TABLE; a code's status must be one of them.
STATUSES = [400, 401, 402, 403, 404, 408, 409, 410, 413, 422, 429, 500, 501, 502, 503]


def retry_classes(status):
    """Every retry class error-rules' `retry::allows` accepts on `status`."""
    if status == 429:
        return ["retry_after"]
    if status == 503:
        return ["retry_after", "pause(30, 60)", "pause(1, 5)", "backoff"]
    if status == 408:
        return ["resubmit_async", "never"]
    if status in (500, 502):
        return ["backoff", "never"]
    return ["never"]


def row(index):
    status = STATUSES[index % len(STATUSES)]
    classes = retry_classes(status)
    retry = classes[(index // len(STATUSES)) % len(classes)]
    category = CATEGORIES[index % len(CATEGORIES)]
    code = f"scale_{status}_{index:04}"
    variant = f"Scale{status}N{index:04}"
    lines = [
        "    #[error(",
        f'        code = "{code}",',
        f"        status = {status},",
        f"        category = {category},",
        f'        title = "Scale case {index}",',
        f'        message = "Generated case {index} of the scale test.",',
        f'        when = "Case {index}: a `{code}` row | with *markdown* <b>text</b> and é",',
        f'        remedy = "Fix case {index} & retry as its class says",',
        f"        retry = {retry},",
    ]
    if index % 7 == 3:
        lines.append(f'        deprecated = "Replaced by case {index + 1}",')
    lines += ["    )]", f"    {variant},", ""]
    return "\n".join(lines)


def main():
    total = int(sys.argv[1])
    table = sys.stdin.read()
    own = len(re.findall(r"^\s*#\[error\(", table, flags=re.M))
    if total < own:
        sys.exit(f"table.py: error-spec's runtime names its own {own} codes; ask for {own} or more")
    if total == own:
        sys.stdout.write(table)
        return
    # The enum's closing brace is the file's last `}` line.
    end = table.rstrip().rfind("\n}")
    if end < 0:
        sys.exit("table.py: no closing `}` of the enum in the input")
    extra = "\n".join(row(i) for i in range(total - own))
    sys.stdout.write(table[:end].rstrip() + "\n\n" + extra.rstrip() + "\n}\n")


if __name__ == "__main__":
    main()
