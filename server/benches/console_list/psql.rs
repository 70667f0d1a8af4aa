//! Timing SQL in psql, as a person tuning it by hand would: `\timing` over five runs, the fastest.

use std::io::Write;
use std::process::{Command, Stdio};

/// How long `sql` (a page statement and a count statement) takes in psql against `url`, in ms, or None when psql
/// could not run it.
pub fn time_in_psql(url: &str, sql: &str) -> Option<f64> {
    let mut script = String::from("\\set ON_ERROR_STOP on\n\\timing on\n\\o /dev/null\n");
    for _ in 0..5 {
        script.push_str(sql);
        script.push('\n');
    }
    let mut child = Command::new("psql")
        .args(["-X", "-q", url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(script.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    if !output.status.success() {
        eprintln!("psql: {}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    let times: Vec<f64> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix("Time: "))
        .filter_map(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        .collect();
    times.chunks(2).filter(|run| run.len() == 2).map(|run| run[0] + run[1]).reduce(f64::min)
}
