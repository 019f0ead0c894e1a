//! The planted-change suite: edits a reviewer could make to `docs/contract.json`, each with
//! the class it must get and the exit code `contract-diff` must give.
//!
//! Each case edits the JSON of this build's contract (the base) into the new side, reads
//! both back as a format-2 file would be read, and checks that every expected line is
//! reported with its class and names what it should, that nothing else is reported, and
//! the exit code.

use serde_json::{Value, json};

use crate::diff::{Change, Kind, diff};
use crate::model::Contract;
use crate::verdict::judge;

use Kind::{Additive as A, Breaking as B, NewErrors as N, Wording as W};

/// One planted edit.
struct Case {
    name: &'static str,
    edit: fn(&mut Value),
    /// Each reported line: its class and a text it must contain.
    expect: &'static [(Kind, &'static str)],
    exit: u8,
}

/// The base: this build's contract as JSON.
fn base() -> Value {
    serde_json::to_value(Contract::current()).expect("the contract serializes")
}

fn code<'a>(v: &'a mut Value, wire: &str) -> &'a mut Value {
    v["codes"]
        .as_array_mut()
        .expect("codes")
        .iter_mut()
        .find(|c| c["code"] == wire)
        .expect("the code is in the table")
}

fn status(v: &mut Value, number: u16) -> &mut Value {
    v["statuses"]
        .as_array_mut()
        .expect("statuses")
        .iter_mut()
        .find(|s| s["status"] == number)
        .expect("the status is in the table")
}

fn header<'a>(v: &'a mut Value, name: &str) -> &'a mut Value {
    v["headers"]
        .as_array_mut()
        .expect("headers")
        .iter_mut()
        .find(|h| h["name"] == name)
        .expect("the header is in the table")
}

fn tier<'a>(v: &'a mut Value, name: &str) -> &'a mut Value {
    v["tiers"]
        .as_array_mut()
        .expect("tiers")
        .iter_mut()
        .find(|t| t["name"] == name)
        .expect("the tier is in the table")
}

fn item(v: &mut Value) -> &mut Value {
    &mut v["body"]["properties"]["errors"]["items"]
}

fn remove_from(list: &mut Value, value: &str) {
    list.as_array_mut()
        .expect("a list")
        .retain(|entry| entry != value);
}

/// Takes `wire` out of the table: its row and its status's list.
fn remove_code(v: &mut Value, wire: &str) {
    let number = code(v, wire)["status"].as_u64().expect("a status") as u16;
    v["codes"]
        .as_array_mut()
        .expect("codes")
        .retain(|c| c["code"] != wire);
    remove_from(&mut status(v, number)["codes"], wire);
}

/// Adds a code like the first one under another name and status, in its row and its
/// status's list.
fn add_code(v: &mut Value, wire: &str, number: u16) {
    let mut row = v["codes"][0].clone();
    row["code"] = wire.into();
    row["anchor"] = wire.into();
    row["status"] = number.into();
    v["codes"].as_array_mut().expect("codes").push(row);
    status(v, number)["codes"]
        .as_array_mut()
        .expect("codes")
        .push(wire.into());
}

fn operation<'a>(v: &'a mut Value, id: &str) -> &'a mut Value {
    v["operations"]
        .as_array_mut()
        .expect("operations")
        .iter_mut()
        .find(|op| op["id"] == id)
        .expect("the operation is declared")
}

/// Moves `wire` to another status, row and lists alike.
fn move_code(v: &mut Value, wire: &str, to: u16) {
    let from = code(v, wire)["status"].as_u64().expect("a status") as u16;
    code(v, wire)["status"] = to.into();
    remove_from(&mut status(v, from)["codes"], wire);
    status(v, to)["codes"]
        .as_array_mut()
        .expect("codes")
        .push(wire.into());
}

const CASES: &[Case] =
    &[
        // Operations: added, removed, moved, gaining and losing a code.
        Case {
            name: "operation added",
            edit: |v| {
                v["operations"].as_array_mut().expect("operations").push(json!({
                "id": "listRuns", "method": "GET", "path": "/runs", "codes": ["invalid_api_key"]
            }));
            },
            expect: &[(A, "operation `listRuns`: new: GET /runs")],
            exit: 0,
        },
        Case {
            name: "operation removed",
            edit: |v| {
                v["operations"]
                    .as_array_mut()
                    .expect("operations")
                    .retain(|op| op["id"] != "getRun");
            },
            expect: &[(B, "operation `getRun`: removed")],
            exit: 1,
        },
        Case {
            name: "operation moved to another path",
            edit: |v| operation(v, "getRun")["path"] = "/v2/runs/{run_id}".into(),
            expect: &[(
                B,
                "operation `getRun` route: `GET /runs/{run_id}` → `GET /v2/runs/{run_id}`",
            )],
            exit: 1,
        },
        Case {
            name: "operation gains a code",
            edit: |v| {
                operation(v, "getRun")["codes"]
                    .as_array_mut()
                    .expect("codes")
                    .push("conflict".into());
            },
            expect: &[(N, "operation `getRun` codes: can now answer `conflict`")],
            exit: 0,
        },
        Case {
            name: "operation loses a code",
            edit: |v| remove_from(&mut operation(v, "getRun")["codes"], "gone"),
            expect: &[(A, "operation `getRun` codes: no longer answers `gone`")],
            exit: 0,
        },
        // Codes: every row key.
        Case {
            name: "code removed",
            edit: |v| remove_code(v, "gone"),
            expect: &[(B, "code `gone`: removed or renamed")],
            exit: 1,
        },
        Case {
            name: "code renamed",
            edit: |v| {
                remove_code(v, "gone");
                add_code(v, "expired", 410);
            },
            expect: &[
                (B, "code `gone`: removed or renamed"),
                (A, "code `expired`: new, status 410"),
            ],
            exit: 1,
        },
        Case {
            name: "code moved to another status",
            edit: |v| move_code(v, "gone", 404),
            expect: &[(B, "code `gone` status: `410` → `404`")],
            exit: 1,
        },
        Case {
            name: "code category changed",
            edit: |v| code(v, "gone")["category"] = "Runtime".into(),
            expect: &[(B, "code `gone` category: `Resources` → `Runtime`")],
            exit: 1,
        },
        Case {
            name: "retry never to backoff",
            edit: |v| code(v, "gone")["retry"] = json!({"class": "backoff"}),
            expect: &[(B, "code `gone` retry: `never` → `backoff`")],
            exit: 1,
        },
        Case {
            name: "retry pause range narrowed",
            edit: |v| {
                code(v, "service_unavailable")["retry"] =
                    json!({"class": "pause", "min_secs": 5, "max_secs": 10})
            },
            expect: &[(
                B,
                "code `service_unavailable` retry: `pause(30, 60)` → `pause(5, 10)`",
            )],
            exit: 1,
        },
        Case {
            name: "retry backoff to never",
            edit: |v| code(v, "upstream_error")["retry"] = json!({"class": "never"}),
            expect: &[(B, "code `upstream_error` retry: `backoff` → `never`")],
            exit: 1,
        },
        Case {
            name: "anchor changed",
            edit: |v| code(v, "gone")["anchor"] = "gone-410".into(),
            expect: &[(B, "code `gone` anchor: `gone` → `gone-410`")],
            exit: 1,
        },
        Case {
            name: "title reworded",
            edit: |v| code(v, "gone")["title"] = "Expired".into(),
            expect: &[(W, "code `gone` title: \"Gone\" → \"Expired\"")],
            exit: 0,
        },
        Case {
            name: "message reworded",
            edit: |v| code(v, "gone")["message"] = "Gone for good.".into(),
            expect: &[(W, "code `gone` message:")],
            exit: 0,
        },
        Case {
            name: "when reworded",
            edit: |v| code(v, "gone")["when"] = "Resource expired".into(),
            expect: &[(W, "code `gone` when:")],
            exit: 0,
        },
        Case {
            name: "remedy reworded",
            edit: |v| code(v, "gone")["remedy"] = "Start another run".into(),
            expect: &[(
                W,
                "code `gone` remedy: \"Start a new run\" → \"Start another run\"",
            )],
            exit: 0,
        },
        Case {
            name: "code deprecated",
            edit: |v| code(v, "gone")["deprecated"] = "use not_found".into(),
            expect: &[(A, "code `gone`: deprecated: \"use not_found\"")],
            exit: 0,
        },
        Case {
            name: "new code on an existing status",
            edit: |v| add_code(v, "key_expired", 401),
            expect: &[(A, "code `key_expired`: new, status 401")],
            exit: 0,
        },
        // Statuses and the codes they carry.
        Case {
            name: "new code on a new status",
            edit: |v| {
                v["statuses"].as_array_mut().expect("statuses").push(json!({
                    "status": 423, "category": "Locked", "typical": "Run is locked", "codes": []
                }));
                add_code(v, "locked", 423);
            },
            expect: &[
                (A, "code `locked`: new, status 423"),
                (A, "status 423: new, carries `locked`"),
            ],
            exit: 0,
        },
        Case {
            name: "status no longer used",
            edit: |v| {
                v["statuses"]
                    .as_array_mut()
                    .expect("statuses")
                    .retain(|s| s["status"] != 302)
            },
            expect: &[(B, "status 302: no longer used")],
            exit: 1,
        },
        Case {
            name: "code taken off its status",
            edit: |v| remove_from(&mut status(v, 410)["codes"], "gone"),
            expect: &[(B, "status 410: no longer carries code `gone`")],
            exit: 1,
        },
        Case {
            name: "status carries one more code",
            edit: |v| {
                status(v, 400)["codes"]
                    .as_array_mut()
                    .expect("codes")
                    .push("validation_error".into())
            },
            expect: &[(A, "status 400: now carries code `validation_error`")],
            exit: 0,
        },
        Case {
            name: "status label reworded",
            edit: |v| status(v, 429)["category"] = "Too many requests".into(),
            expect: &[(
                W,
                "status 429 category: \"Rate limited\" → \"Too many requests\"",
            )],
            exit: 0,
        },
        Case {
            name: "status typical use reworded",
            edit: |v| status(v, 200)["typical"] = "Done".into(),
            expect: &[(W, "status 200 typical use")],
            exit: 0,
        },
        // Categories.
        Case {
            name: "new category",
            edit: |v| {
                v["categories"]
                    .as_array_mut()
                    .expect("categories")
                    .push("Storage".into())
            },
            expect: &[(A, "category `Storage`: new")],
            exit: 0,
        },
        Case {
            name: "category removed",
            edit: |v| remove_from(&mut v["categories"], "Billing"),
            expect: &[(B, "category `Billing`: removed or renamed")],
            exit: 1,
        },
        Case {
            name: "category renamed with its codes",
            edit: |v| {
                remove_from(&mut v["categories"], "Billing");
                v["categories"]
                    .as_array_mut()
                    .expect("categories")
                    .insert(1, "Payments".into());
                code(v, "insufficient_credits")["category"] = "Payments".into();
            },
            expect: &[
                (B, "category `Billing`: removed or renamed"),
                (A, "category `Payments`: new"),
                (
                    B,
                    "code `insufficient_credits` category: `Billing` → `Payments`",
                ),
            ],
            exit: 1,
        },
        Case {
            name: "categories reordered",
            edit: |v| {
                v["categories"]
                    .as_array_mut()
                    .expect("categories")
                    .reverse()
            },
            expect: &[(W, "category order")],
            exit: 0,
        },
        // Tiers.
        Case {
            name: "tier limit lowered",
            edit: |v| tier(v, "pro")["requests_per_minute"] = 59.into(),
            expect: &[(B, "tier `pro` requests/min: `60` → `59`")],
            exit: 1,
        },
        Case {
            name: "tier concurrency raised",
            edit: |v| tier(v, "pro")["concurrent_runs"] = 11.into(),
            expect: &[(A, "tier `pro` concurrent runs: `10` → `11`")],
            exit: 0,
        },
        Case {
            name: "tier removed",
            edit: |v| {
                v["tiers"]
                    .as_array_mut()
                    .expect("tiers")
                    .retain(|t| t["name"] != "enterprise")
            },
            expect: &[(B, "tier `enterprise`: removed")],
            exit: 1,
        },
        Case {
            name: "tier added",
            edit: |v| {
                v["tiers"].as_array_mut().expect("tiers").push(json!({
                    "name": "team", "requests_per_minute": 120, "concurrent_runs": 20
                }))
            },
            expect: &[(A, "tier `team`: new: 120 requests/min")],
            exit: 0,
        },
        Case {
            name: "tier renamed",
            edit: |v| tier(v, "pro")["name"] = "professional".into(),
            expect: &[
                (B, "tier `pro`: removed or renamed"),
                (A, "tier `professional`: new"),
            ],
            exit: 1,
        },
        // Headers.
        Case {
            name: "header value integer to string",
            edit: |v| header(v, "x-ratelimit-limit")["type"] = "string".into(),
            expect: &[(B, "header `X-RateLimit-Limit` type: `integer` → `string`")],
            exit: 1,
        },
        Case {
            name: "header value string to integer",
            edit: |v| header(v, "x-request-id")["type"] = "integer".into(),
            expect: &[(B, "header `X-Request-Id` type: `string` → `integer`")],
            exit: 1,
        },
        Case {
            name: "header removed",
            edit: |v| {
                v["headers"]
                    .as_array_mut()
                    .expect("headers")
                    .retain(|h| h["name"] != "x-request-id")
            },
            expect: &[(B, "header `X-Request-Id`: removed or renamed")],
            exit: 1,
        },
        Case {
            name: "header renamed",
            edit: |v| {
                let h = header(v, "x-ratelimit-reset");
                h["name"] = "x-ratelimit-reset-after".into();
                h["spelling"] = "X-RateLimit-Reset-After".into();
            },
            expect: &[
                (B, "header `X-RateLimit-Reset`: removed or renamed"),
                (
                    A,
                    "header `X-RateLimit-Reset-After`: new, integer, on every response",
                ),
            ],
            exit: 1,
        },
        Case {
            name: "header added",
            edit: |v| {
                v["headers"].as_array_mut().expect("headers").push(json!({
                    "name": "x-trace-id", "spelling": "X-Trace-Id", "description": "Trace.",
                    "type": "string", "on": ["*"]
                }))
            },
            expect: &[(A, "header `X-Trace-Id`: new, string, on every response")],
            exit: 0,
        },
        Case {
            name: "header dropped from one response",
            edit: |v| remove_from(&mut header(v, "retry-after")["on"], "service_unavailable"),
            expect: &[(B, "header `Retry-After` responses:")],
            exit: 1,
        },
        Case {
            name: "header no longer on every response",
            edit: |v| header(v, "x-ratelimit-limit")["on"] = json!(["rate_limit_exceeded"]),
            expect: &[(B, "dropped from every response")],
            exit: 1,
        },
        Case {
            name: "header on one more response",
            edit: |v| {
                header(v, "retry-after")["on"]
                    .as_array_mut()
                    .expect("on")
                    .push("upstream_error".into())
            },
            expect: &[(A, "header `Retry-After` responses:")],
            exit: 0,
        },
        Case {
            name: "header described differently",
            edit: |v| header(v, "x-request-id")["description"] = "Quote it.".into(),
            expect: &[(W, "header `X-Request-Id` description")],
            exit: 0,
        },
        // The body, nested members included.
        Case {
            name: "nested member renamed",
            edit: |v| {
                let props = item(v)["properties"].as_object_mut().expect("members");
                let pointer = props.remove("pointer").expect("pointer");
                props.insert("path".to_owned(), pointer);
                item(v)["required"] = json!(["path", "message"]);
            },
            expect: &[
                (
                    B,
                    "body member `errors[].pointer`: removed or renamed (was required string)",
                ),
                (B, "body member `errors[].path`: new required string"),
            ],
            exit: 1,
        },
        Case {
            name: "nested member removed",
            edit: |v| {
                item(v)["properties"]
                    .as_object_mut()
                    .expect("members")
                    .remove("message");
                item(v)["required"] = json!(["pointer"]);
            },
            expect: &[(B, "body member `errors[].message`: removed or renamed")],
            exit: 1,
        },
        Case {
            name: "nested member retyped",
            edit: |v| item(v)["properties"]["pointer"]["type"] = "integer".into(),
            expect: &[(
                B,
                "body member `errors[].pointer` type: `string` → `integer`",
            )],
            exit: 1,
        },
        Case {
            name: "nested member format changed",
            edit: |v| item(v)["properties"]["pointer"]["format"] = "uri".into(),
            expect: &[(
                B,
                "body member `errors[].pointer` format: `json-pointer` → `uri`",
            )],
            exit: 1,
        },
        Case {
            name: "nested member made optional",
            edit: |v| item(v)["required"] = json!(["pointer"]),
            expect: &[(B, "body member `errors[].message`: required → optional")],
            exit: 1,
        },
        Case {
            name: "new optional nested member",
            edit: |v| item(v)["properties"]["hint"] = json!({"type": ["string", "null"]}),
            expect: &[(
                A,
                "body member `errors[].hint`: new optional string or null",
            )],
            exit: 0,
        },
        Case {
            name: "new optional member",
            edit: |v| v["body"]["properties"]["trace_url"] = json!({"type": "string"}),
            expect: &[(A, "body member `trace_url`: new optional string")],
            exit: 0,
        },
        Case {
            name: "new required member",
            edit: |v| {
                v["body"]["properties"]["trace_url"] = json!({"type": "string"});
                v["body"]["required"] = json!(["error", "message", "trace_url"]);
            },
            expect: &[(B, "body member `trace_url`: new required string")],
            exit: 1,
        },
        Case {
            name: "member removed",
            edit: |v| {
                v["body"]["properties"]
                    .as_object_mut()
                    .expect("members")
                    .remove("doc_url");
            },
            expect: &[(
                B,
                "body member `doc_url`: removed or renamed (was optional string or null)",
            )],
            exit: 1,
        },
        Case {
            name: "member retyped",
            edit: |v| v["body"]["properties"]["retry_after"]["type"] = json!(["string", "null"]),
            expect: &[(B, "body member `retry_after` type: `integer` → `string`")],
            exit: 1,
        },
        Case {
            name: "required member made optional",
            edit: |v| v["body"]["required"] = json!(["error"]),
            expect: &[(B, "body member `message`: required → optional")],
            exit: 1,
        },
        Case {
            name: "optional member made required",
            edit: |v| v["body"]["required"] = json!(["error", "message", "request_id"]),
            expect: &[(B, "body member `request_id`: optional → required")],
            exit: 1,
        },
        Case {
            name: "member made nullable",
            edit: |v| v["body"]["properties"]["errors"]["type"] = json!(["array", "null"]),
            expect: &[(B, "body member `errors`: may now be `null`")],
            exit: 1,
        },
        Case {
            name: "member no longer nullable",
            edit: |v| v["body"]["properties"]["run_id"]["type"] = "string".into(),
            expect: &[(B, "body member `run_id`: may no longer be `null`")],
            exit: 1,
        },
        Case {
            name: "member's types listed in another order",
            edit: |v| v["body"]["properties"]["run_id"]["type"] = json!(["null", "string"]),
            expect: &[],
            exit: 0,
        },
        Case {
            name: "member described differently",
            edit: |v| v["body"]["properties"]["run_id"]["description"] = "The run.".into(),
            expect: &[(W, "body member `run_id` description")],
            exit: 0,
        },
        Case {
            name: "member range narrowed",
            edit: |v| v["body"]["properties"]["retry_after"]["maximum"] = 3600.into(),
            expect: &[(B, "body member `retry_after` maximum: `none` → `3600`")],
            exit: 1,
        },
        // Version rules.
        Case {
            name: "breaking with a major bump",
            edit: |v| {
                remove_code(v, "gone");
                v["version"] = "2.0.0".into();
            },
            expect: &[(B, "code `gone`: removed")],
            exit: 0,
        },
        Case {
            name: "breaking with only a minor bump",
            edit: |v| {
                remove_code(v, "gone");
                v["version"] = "1.1.0".into();
            },
            expect: &[(B, "code `gone`: removed")],
            exit: 1,
        },
        Case {
            name: "version lowered",
            edit: |v| v["version"] = "0.9.0".into(),
            expect: &[(B, "version: `1.0.0` → `0.9.0`")],
            exit: 1,
        },
        Case {
            name: "major bump alone",
            edit: |v| v["version"] = "2.0.0".into(),
            expect: &[],
            exit: 0,
        },
        Case {
            name: "additive with a minor bump",
            edit: |v| {
                add_code(v, "key_expired", 401);
                v["version"] = "1.1.0".into();
            },
            expect: &[(A, "code `key_expired`: new")],
            exit: 0,
        },
        // Several at once.
        Case {
            name: "wording, additive and breaking together",
            edit: |v| {
                code(v, "gone")["remedy"] = "Start another run".into();
                add_code(v, "key_expired", 401);
                header(v, "retry-after")["type"] = "string".into();
                item(v)["properties"]["pointer"]["type"] = "integer".into();
            },
            expect: &[
                (B, "header `Retry-After` type"),
                (B, "body member `errors[].pointer` type"),
                (A, "code `key_expired`: new"),
                (W, "code `gone` remedy"),
            ],
            exit: 1,
        },
        Case {
            name: "several breaking with a major bump",
            edit: |v| {
                remove_code(v, "gone");
                tier(v, "free")["requests_per_minute"] = 5.into();
                v["body"]["required"] = json!(["error"]);
                v["version"] = "2.0.0".into();
            },
            expect: &[
                (B, "code `gone`: removed"),
                (B, "tier `free` requests/min: `10` → `5`"),
                (B, "body member `message`: required → optional"),
            ],
            exit: 0,
        },
    ];

/// Runs one case: the changes it produces and the exit code, or why they are wrong.
fn check(case: &Case) -> Result<(), String> {
    let old_json = base();
    let mut new_json = old_json.clone();
    (case.edit)(&mut new_json);
    let read = |value: &Value| Contract::from_json(&value.to_string()).expect("still a contract");
    let (old, new) = (read(&old_json), read(&new_json));
    let changes: Vec<Change> = diff(&old, &new);
    let mut unmatched: Vec<&Change> = changes.iter().collect();
    for (kind, needle) in case.expect {
        let found = unmatched
            .iter()
            .position(|change| change.kind == *kind && change.to_string().contains(needle));
        match found {
            Some(i) => {
                unmatched.remove(i);
            }
            None => {
                return Err(format!(
                    "no {kind:?} line containing {needle:?} in {changes:#?}"
                ));
            }
        }
    }
    if !unmatched.is_empty() {
        return Err(format!("unexpected lines: {unmatched:#?}"));
    }
    let verdict = judge(&old.version, &new.version, &changes).map_err(|err| err.to_string())?;
    if verdict.exit_code() != case.exit {
        return Err(format!(
            "exit {} instead of {}: {}",
            verdict.exit_code(),
            case.exit,
            verdict.summary
        ));
    }
    Ok(())
}

#[test]
fn every_planted_edit_is_classified_right() {
    assert!(CASES.len() >= 30, "{} cases", CASES.len());
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|case| check(case).err().map(|err| format!("{}: {err}", case.name)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every class and both verdicts occur, so the suite cannot pass by expecting one answer.
#[test]
fn the_suite_covers_every_class_and_exit_code() {
    for kind in Kind::ALL {
        assert!(
            CASES
                .iter()
                .any(|case| case.expect.iter().any(|(k, _)| *k == kind)),
            "no case expects {kind:?}"
        );
    }
    for exit in [0, 1] {
        assert!(
            CASES.iter().any(|case| case.exit == exit),
            "no case exits {exit}"
        );
    }
}

/// The checker itself fails on a wrong expectation: a breaking edit expected as wording.
#[test]
fn a_wrong_expectation_fails() {
    let wrong = Case {
        name: "wrong",
        edit: |v| remove_code(v, "gone"),
        expect: &[(W, "code `gone`")],
        exit: 1,
    };
    assert!(check(&wrong).is_err());
    let wrong_exit = Case {
        name: "wrong exit",
        edit: |v| remove_code(v, "gone"),
        expect: &[(B, "code `gone`")],
        exit: 0,
    };
    assert!(check(&wrong_exit).is_err());
}

/// An unchanged contract gives no line and exit 0.
#[test]
fn unchanged_is_silent() {
    let old = Contract::current();
    let changes = diff(&old, &old);
    assert!(changes.is_empty(), "{changes:#?}");
    assert_eq!(
        judge(&old.version, &old.version, &changes).map(|v| v.exit_code()),
        Ok(0)
    );
}

/// The committed 1.0.0 file (format 1) against this build: what format 1 did not record is
/// not reported as changed, so nothing is breaking unless the major version was raised.
#[test]
fn format_1_base_compares_without_false_alarms() {
    let old = Contract::from_json(include_str!("../tests/fixtures/contract-1.0.0.json"))
        .expect("the 1.0.0 file reads");
    let new = Contract::current();
    let changes = diff(&old, &new);
    let verdict = judge(&old.version, &new.version, &changes).expect("versions parse");
    assert!(verdict.allowed, "{changes:#?}");
    // And a real change against it is still seen.
    let mut edited = new.clone();
    edited.body["properties"]["run_id"]["type"] = "integer".into();
    let changes = diff(&old, &edited);
    assert!(
        changes
            .iter()
            .any(|c| c.kind == Kind::Breaking && c.to_string().contains("`run_id` type")),
        "{changes:#?}"
    );
}
