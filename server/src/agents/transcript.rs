//! Runs on disk, in `<stateDir>/runs/`: `<runId>.json` holds the run (replaced atomically on each
//! state change) and `<runId>.jsonl` its transcript, appended as lines arrive: each CLI line with
//! the events made of it, so `grove/agent/transcript` works after any restart or crash.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::process::Owner;
use crate::protocol::{AgentEvent, Run};
use crate::store::{private_dir, write_atomic};

#[derive(Serialize, Deserialize)]
struct RunFile {
    run: Run,
    owner: Owner,
}

pub struct RunStore {
    dir: PathBuf,
}

/// Run ids are made here (`run-` and hex) and checked before they become file names.
pub fn valid_run_id(id: &str) -> bool {
    id.strip_prefix("run-")
        .is_some_and(|hex| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

impl RunStore {
    pub fn new(state_dir: PathBuf) -> Self {
        Self {
            dir: state_dir.join("runs"),
        }
    }

    pub fn save(&self, run: &Run, owner: &Owner) -> std::io::Result<()> {
        private_dir(&self.dir)?;
        let file = RunFile {
            run: run.clone(),
            owner: owner.clone(),
        };
        write_atomic(
            &self.dir.join(format!("{}.json", run.run_id)),
            &serde_json::to_vec(&file)?,
        )
    }

    /// Every run on disk with the process that ran it.
    pub fn load_all(&self) -> Vec<(Run, Owner)> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
            .filter_map(|e| serde_json::from_slice::<RunFile>(&std::fs::read(e.path()).ok()?).ok())
            .map(|f| (f.run, f.owner))
            .collect()
    }

    pub fn writer(&self, run_id: &str) -> std::io::Result<TranscriptWriter> {
        private_dir(&self.dir)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(self.dir.join(format!("{run_id}.jsonl")))?;
        Ok(TranscriptWriter {
            out: BufWriter::with_capacity(64 * 1024, file),
        })
    }

    /// The run's events in order; a torn last line (a crash mid-write) is skipped.
    pub fn read(&self, run_id: &str) -> std::io::Result<Vec<AgentEvent>> {
        let file = match File::open(self.dir.join(format!("{run_id}.jsonl"))) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut events = Vec::new();
        for line in BufReader::new(file).lines() {
            let Ok(record) = serde_json::from_str::<Value>(&line?) else {
                continue;
            };
            for item in record["events"].as_array().into_iter().flatten() {
                if let Ok(event) = serde_json::from_value(item["event"].clone()) {
                    events.push(event);
                }
            }
        }
        Ok(events)
    }
}

pub struct TranscriptWriter {
    out: BufWriter<File>,
}

impl TranscriptWriter {
    /// One line of CLI output (`stream` is `stdout` or `stderr`) and its numbered events, already
    /// serialized. A line that is JSON is kept as it is; any other is kept as a string.
    pub fn record(
        &mut self,
        stream: &str,
        raw: &str,
        raw_is_json: bool,
        events: &[(u64, Vec<u8>)],
    ) -> std::io::Result<()> {
        let out = &mut self.out;
        write!(out, r#"{{"stream":"{stream}","raw":"#)?;
        if raw_is_json {
            out.write_all(raw.as_bytes())?;
        } else {
            serde_json::to_writer(&mut *out, raw)?;
        }
        out.write_all(br#","events":["#)?;
        for (i, (seq, event)) in events.iter().enumerate() {
            let comma = if i > 0 { "," } else { "" };
            write!(out, r#"{comma}{{"seq":{seq},"event":"#)?;
            out.write_all(event)?;
            out.write_all(b"}")?;
        }
        out.write_all(b"]}\n")
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_cannot_leave_the_folder() {
        assert!(valid_run_id("run-0a1b2c"));
        for bad in ["run-", "../x", "run-../../etc", "run-zz", "x-12"] {
            assert!(!valid_run_id(bad), "{bad}");
        }
    }

    #[test]
    fn transcripts_round_trip_and_survive_a_torn_line() {
        let dir = std::env::temp_dir().join(format!("grove-runs-{}", crate::store::nonce()));
        let store = RunStore::new(dir.clone());
        let mut w = store.writer("run-1").unwrap();
        let ev = |e: &AgentEvent| serde_json::to_vec(e).unwrap();
        let text = AgentEvent::Text { text: "hi".into() };
        w.record("stdout", r#"{"type":"x"}"#, true, &[(0, ev(&text))])
            .unwrap();
        let stderr = AgentEvent::Stderr {
            line: "oops".into(),
        };
        w.record("stderr", r#"oops "quoted""#, false, &[(1, ev(&stderr))])
            .unwrap();
        w.flush().unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join("runs/run-1.jsonl"))
            .unwrap()
            .write_all(b"{\"stream\":\"std")
            .unwrap();
        let events = store.read("run-1").unwrap();
        assert_eq!(events.len(), 2);
        let text = std::fs::read_to_string(dir.join("runs/run-1.jsonl")).unwrap();
        let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["raw"]["type"], "x", "a JSON line is kept as JSON");
        let second: Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
        assert_eq!(second["raw"], "oops \"quoted\"");
        assert_eq!(
            events[1],
            AgentEvent::Stderr {
                line: "oops".into()
            }
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
