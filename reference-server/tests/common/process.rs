//! The reference server's binary as a child process on a free loopback port, its log lines
//! collected, for tests that need what an operator sees: the logs, several replicas.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running server process; killed when dropped.
pub(crate) struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts the binary with `args` (after `--listen 127.0.0.1:0`) and `envs`, and waits
    /// until it listens.
    pub(crate) fn start(args: &[&str], envs: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_error-spec-reference-server"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            // Only what the test passes: no Redis URL from the test's own environment.
            .env_remove("REFERENCE_SERVER_REDIS_URL")
            .envs(envs.iter().copied())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().expect("piped")) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().expect("piped")),
        ] {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    lines.lock().expect("not poisoned").push(strip_ansi(&line));
                }
            });
        }
        let mut server = Server {
            child,
            base: String::new(),
            lines,
        };
        let listening = server.wait_for_line(|line| line.starts_with("listening on "));
        server.base = listening
            .trim_start_matches("listening on ")
            .trim()
            .to_owned();
        server
    }

    /// Every line logged so far.
    pub(crate) fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("not poisoned").clone()
    }

    /// The first line that satisfies `matches`, waiting up to 10 s for it.
    pub(crate) fn wait_for_line(&mut self, matches: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            if let Some(line) = self.lines().into_iter().find(|line| matches(line)) {
                return line;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the server exited with {status}:\n{}",
                    self.lines().join("\n")
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no such line within 10 s:\n{}",
                self.lines().join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A log line without terminal colours.
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The value of `field=value` in a log line.
pub(crate) fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let start = line.find(&format!("{name}="))? + name.len() + 1;
    let value = &line[start..];
    let value = value.trim_start_matches('"');
    let end = value.find([' ', '"']).unwrap_or(value.len());
    Some(&value[..end])
}
