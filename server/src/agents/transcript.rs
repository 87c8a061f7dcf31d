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
    /// One line of CLI output (`stream` is `stdout` or `stderr`) and its numbered events.
    pub fn record(
        &mut self,
        stream: &str,
        raw: &str,
        events: &[(u64, AgentEvent)],
    ) -> std::io::Result<()> {
        #[derive(Serialize)]
        struct Numbered<'a> {
            seq: u64,
            event: &'a AgentEvent,
        }
        #[derive(Serialize)]
        struct Record<'a> {
            stream: &'a str,
            raw: &'a str,
            events: Vec<Numbered<'a>>,
        }
        let events = events
            .iter()
            .map(|(seq, event)| Numbered { seq: *seq, event })
            .collect();
        serde_json::to_writer(
            &mut self.out,
            &Record {
                stream,
                raw,
                events,
            },
        )?;
        self.out.write_all(b"\n")
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
        w.record(
            "stdout",
            "{}",
            &[(0, AgentEvent::Text { text: "hi".into() })],
        )
        .unwrap();
        w.record(
            "stderr",
            "oops",
            &[(
                1,
                AgentEvent::Stderr {
                    line: "oops".into(),
                },
            )],
        )
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
        assert_eq!(
            events[1],
            AgentEvent::Stderr {
                line: "oops".into()
            }
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
