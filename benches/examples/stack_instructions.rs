//! The stack benchmarks' work, N times, for an instruction counter: wall-clock ratios on a
//! shared 2-core machine move by tens of percent between runs, instruction counts do not.
//!
//! ```sh
//! cargo build --release -p error-benches --example stack_instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/stack_instructions error_spec success 20000
//! ```
//!
//! The first argument is `error_spec`, `peer` or `bare`, the second `success`, `error` or
//! `refused`, then N, then `traced` to install the formatting subscriber. Run each with N
//! and with 0; the difference over N is the cost of one request. It is the same work as
//! `benches/stack.rs`'s `stack_*` groups.

use std::hint::black_box;

use error_benches::stacks::{Fixture, Path, bare_request, formatting_subscriber, send};

fn main() {
    let mut args = std::env::args().skip(1);
    let side = args.next().unwrap_or_default();
    let path = match args.next().as_deref() {
        Some("success") => Path::Success,
        Some("error") => Path::Error,
        Some("refused") => Path::Refused,
        _ => {
            eprintln!(
                "usage: stack_instructions error_spec|peer|bare success|error|refused N [traced]"
            );
            std::process::exit(2);
        }
    };
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let traced = args.next().as_deref() == Some("traced");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let fixture = Fixture::new(path);
    runtime.block_on(fixture.prepare());
    let router = match side.as_str() {
        "error_spec" => &fixture.error_spec,
        "peer" => &fixture.peer,
        "bare" => &fixture.bare,
        other => {
            eprintln!("unknown side `{other}`: error_spec, peer or bare");
            std::process::exit(2);
        }
    };
    let work = || {
        // One request first, so that N = 0 pays the same one-off costs (maps, buffers).
        for i in 0..=n {
            fixture.tick();
            let request = if side == "bare" {
                bare_request(path)
            } else {
                path.request()
            };
            let response = runtime.block_on(send(router, request));
            if i == 0 {
                continue;
            }
            black_box(response);
        }
    };
    if traced {
        tracing::subscriber::with_default(formatting_subscriber(), work);
    } else {
        work();
    }
}
