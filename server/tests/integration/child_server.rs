//! `roster` run as an operator runs it: commands in a data folder, and `roster serve` as a child process on a
//! free port, talked to over a real socket, killed with SIGKILL when a test says so.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `roster` binary with only the given folder's settings (none inherited from the environment).
pub fn roster(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_roster"));
    for variable in
        ["ROSTER_DATABASE_URL", "ROSTER_MASTER_KEY", "ROSTER_PAYLOAD_KEY", "ROSTER_LOG_FORMAT", "RUST_LOG"]
    {
        command.env_remove(variable);
    }
    command.env("ROSTER_DATA_DIR", data_dir);
    command
}

/// Runs a command to its end and returns what it printed; panics naming it when it fails.
pub fn run(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let mut child = roster(data_dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("roster starts");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "roster {args:?}: {printed}{}", String::from_utf8_lossy(&output.stderr));
    printed
}

/// The one word of `printed` that starts with `prefix` (an API key `rk_`, an admin token `ra_`).
pub fn word_starting(printed: &str, prefix: &str) -> String {
    printed
        .split_whitespace()
        .find(|word| word.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix}… in {printed}"))
        .to_owned()
}

pub struct ChildServer {
    child: Child,
    pub base: String,
    log_path: PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl ChildServer {
    /// `roster serve` on `data_dir`, its output written to `log_path`; returns once `/healthz` answers.
    pub async fn start(data_dir: &Path, log_path: &Path, env: &[(&str, &str)]) -> ChildServer {
        let port = free_port();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log_path).unwrap();
        let child = roster(data_dir)
            .arg("serve")
            .env("ROSTER_LISTEN", format!("127.0.0.1:{port}"))
            .envs(env.iter().copied())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("roster serve starts");
        let server =
            ChildServer { child, base: format!("http://127.0.0.1:{port}"), log_path: log_path.to_owned() };
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if client
                .get(format!("{}/healthz", server.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "roster serve did not answer in 60 s: {}",
            std::fs::read_to_string(log_path).unwrap_or_default()
        );
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// SIGKILL: no shutdown, no flush, no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        self.kill();
    }
}
