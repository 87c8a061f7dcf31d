//! Project tasks: `cargo xtask test|dist|install|demo|bench|fuzz`. Installs what each task needs
//! (via `tests/tools.sh`, or `cargo install` for cargo-fuzz, cached outside the clone) so that a
//! fresh clone needs only cargo and npm.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <check|test|dist [--debug]|install|demo [--offline] [--check]|bench|fuzz [--seconds N | --runs N]>";

/// The internal task that checks the offline demo inside a network namespace.
const DEMO_CHECK_OFFLINE: &str = "demo-check-offline";

/// The cargo-fuzz targets in `fuzz/fuzz_targets/`, each with its seeds in `fuzz/seeds/<target>/`.
const FUZZ_TARGETS: &[&str] = &["frames", "stream_json", "callback", "respond"];
/// The cargo-fuzz `cargo xtask fuzz` installs (into the cache, on first use).
const CARGO_FUZZ_VERSION: &str = "0.13.2";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let x = Xtask { root };
    let result = match args.first().map(String::as_str) {
        Some("test") => x.test(),
        Some("check") => x.check(),
        Some("dist") => x.dist(args.iter().any(|a| a == "--debug")).map(|vsix| {
            println!("{}", vsix.display());
        }),
        Some("install") => x.install(),
        Some("demo") => {
            let offline = args.iter().any(|a| a == "--offline");
            if args.iter().any(|a| a == "--check") {
                x.dist(true)
                    .and_then(|vsix| x.tools(&["claude", "editor"]).map(|env| (vsix, env)))
                    .and_then(|(vsix, env)| match offline {
                        true => x.demo_check_without_network(&vsix, env),
                        false => x.demo_check(&vsix, env, false),
                    })
            } else {
                x.demo(offline)
            }
        }
        // Internal: the offline demo check, run by `demo_check_without_network` in a network
        // namespace of its own.
        Some(DEMO_CHECK_OFFLINE) => {
            let env: Env = std::env::vars()
                .filter(|(k, _)| k.starts_with("GROVE_"))
                .collect();
            let vsix = args.get(1).map(PathBuf::from).unwrap_or_default();
            x.demo_check(&vsix, env, true)
        }
        Some("bench") => x.bench(),
        Some("fuzz") => fuzz_limit(&args[1..]).and_then(|limit| x.fuzz(limit)),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// How long each fuzz target runs: for so many seconds, or for so many inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
enum FuzzLimit {
    Seconds(u64),
    Runs(u64),
}

impl FuzzLimit {
    /// The libFuzzer flag that says so.
    fn flag(self) -> String {
        match self {
            Self::Seconds(n) => format!("-max_total_time={n}"),
            Self::Runs(n) => format!("-runs={n}"),
        }
    }

    fn describe(self) -> String {
        match self {
            Self::Seconds(n) => format!("for {n} s"),
            Self::Runs(n) => format!("for {n} inputs"),
        }
    }
}

/// `--seconds N` or `--runs N` (or `--seconds=N`, `--runs=N`) among `fuzz`'s arguments; 60 s
/// without either.
fn fuzz_limit(args: &[String]) -> Result<FuzzLimit, String> {
    let mut limit = FuzzLimit::Seconds(60);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (name, value) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (arg.as_str(), None),
        };
        let make: fn(u64) -> FuzzLimit = match name {
            "--seconds" => FuzzLimit::Seconds,
            "--runs" => FuzzLimit::Runs,
            _ => return Err(format!("fuzz: unknown argument {arg:?}\n{USAGE}")),
        };
        let value = value.or_else(|| args.next().map(String::as_str));
        limit = value
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
            .map(make)
            .ok_or_else(|| format!("fuzz: {name} needs a positive whole number\n{USAGE}"))?;
    }
    Ok(limit)
}

/// What one libFuzzer run printed about itself.
#[derive(Debug, Default, PartialEq)]
struct FuzzStats {
    executions: Option<u64>,
    exec_per_sec: Option<u64>,
    /// Inputs that made the target fail (`crash-…`, `timeout-…`, `oom-…`, `leak-…`).
    crashes: Vec<String>,
    /// Inputs written for being slow only: reported, not failures.
    slow: Vec<String>,
}

impl FuzzStats {
    /// Reads libFuzzer's stderr: the final `#N  DONE … exec/s: E …` and `Done N runs in S
    /// second(s)` lines, its final stats (`-print_final_stats=1`, printed on a failure too) over
    /// those, the last `#N` status line when there is nothing else; every `Test unit written to`.
    fn parse(log: &str) -> Self {
        let number = |s: &str| {
            s.trim()
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
        };
        let mut stats = FuzzStats::default();
        let mut last_status = None;
        for line in log.lines() {
            if let Some(rest) = line.strip_prefix('#') {
                if let Some(n) = number(rest) {
                    last_status = Some(n);
                }
                if let Some((_, e)) = line.split_once("exec/s:") {
                    stats.exec_per_sec = number(e);
                }
            } else if let Some(rest) = line.strip_prefix("Done ") {
                stats.executions = number(rest);
            } else if let Some(n) = line.strip_prefix("stat::number_of_executed_units:") {
                stats.executions = number(n).or(stats.executions);
            } else if let Some(n) = line.strip_prefix("stat::average_exec_per_sec:") {
                stats.exec_per_sec = number(n).or(stats.exec_per_sec);
            }
            if let Some((_, path)) = line.split_once("Test unit written to ") {
                let path = path.trim().to_string();
                let name = Path::new(&path).file_name().and_then(|n| n.to_str());
                if name.is_some_and(|n| n.starts_with("slow-unit-")) {
                    stats.slow.push(path);
                } else if !stats.crashes.contains(&path) {
                    stats.crashes.push(path);
                }
            }
        }
        stats.executions = stats.executions.or(last_status);
        stats
    }
}

struct Xtask {
    root: PathBuf,
}

type Env = HashMap<String, String>;

impl Xtask {
    fn cmd(&self, program: &str, args: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.args(args).current_dir(&self.root).stdin(Stdio::null());
        c
    }

    fn run(&self, what: &str, mut c: Command) -> Result<(), String> {
        eprintln!("xtask: {what}");
        let status = c
            .status()
            .map_err(|e| format!("{what}: cannot start: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{what}: {status}"))
        }
    }

    fn npm(&self, args: &[&str], env: &Env) -> Command {
        let mut c = self.cmd("npm", args);
        c.current_dir(self.root.join("extension")).envs(env);
        c
    }

    /// The pinned outside tools (`claude`, `editor`, `codex`), installed on first use; their paths.
    fn tools(&self, which: &[&str]) -> Result<Env, String> {
        let mut c = self.cmd("bash", &["tests/tools.sh"]);
        c.args(which)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let out = c.output().map_err(|e| format!("tests/tools.sh: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "tests/tools.sh {}: {}",
                which.join(" "),
                out.status
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect())
    }

    fn npm_ci(&self) -> Result<(), String> {
        let ext = self.root.join("extension");
        let stamp = ext.join("node_modules/.package-lock.json");
        let lock = ext.join("package-lock.json");
        let fresh = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
        if fresh(&stamp).is_some() && fresh(&stamp) >= fresh(&lock) {
            return Ok(());
        }
        self.run(
            "npm ci (extension)",
            self.npm(
                &["ci", "--no-audit", "--no-fund", "--loglevel=error"],
                &Env::new(),
            ),
        )
    }

    fn version(&self) -> String {
        let manifest = std::fs::read_to_string(self.root.join("Cargo.toml")).unwrap_or_default();
        manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or("0.0.0")
            .to_string()
    }

    /// Builds the sidecar and the extension bundle and packs both into a `.vsix`.
    fn dist(&self, debug: bool) -> Result<PathBuf, String> {
        let profile = if debug { "debug" } else { "release" };
        let mut build = self.cmd("cargo", &["build", "-p", "grove-server"]);
        if !debug {
            build.arg("--release");
        }
        self.run(&format!("cargo build ({profile}) grove-server"), build)?;
        let server_dir = self.root.join("extension/server");
        std::fs::create_dir_all(&server_dir).map_err(|e| e.to_string())?;
        let bin = self.root.join("target").join(profile).join("grove-server");
        std::fs::copy(&bin, server_dir.join("grove-server"))
            .map_err(|e| format!("copy {}: {e}", bin.display()))?;
        self.npm_ci()?;
        self.run(
            "bundle the extension",
            self.npm(&["run", "--silent", "bundle"], &Env::new()),
        )?;
        let out_dir = self.root.join("target/dist");
        std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
        let vsix = out_dir.join(format!("grove-{}.vsix", self.version()));
        let out = vsix.display().to_string();
        self.run(
            "package the .vsix",
            self.npm(
                &[
                    "exec",
                    "--",
                    "vsce",
                    "package",
                    "--no-dependencies",
                    "--out",
                    &out,
                ],
                &Env::new(),
            ),
        )?;
        Ok(vsix)
    }

    fn install(&self) -> Result<(), String> {
        let vsix = self.dist(false)?;
        let vsix = vsix.display().to_string();
        self.run(
            "code --install-extension",
            self.cmd("code", &["--install-extension", &vsix, "--force"]),
        )
        .map_err(|e| {
            format!("{e}\n(is VS Code's `code` command on PATH? Install the .vsix by hand: {vsix})")
        })
    }

    /// The fast inner loop, with no downloads: formatting, lints, the unit tests of both halves
    /// (the sidecar's in-process tests included), the protocol checks (generated TypeScript is
    /// current, names paired with the same methods and codes), the type check and lint of the
    /// extension. `cargo xtask test` is the full run.
    fn check(&self) -> Result<(), String> {
        let started = Instant::now();
        if !self.root.join("extension/node_modules").is_dir() {
            return Err(
                "extension/node_modules is missing: run `cargo xtask test` (or `npm ci` in extension/) once first"
                    .into(),
            );
        }
        let cargo = |what: &str, args: &[&str]| self.run(what, self.cmd("cargo", args));
        cargo("cargo fmt --check", &["fmt", "--all", "--", "--check"])?;
        cargo(
            "cargo clippy -D warnings",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        )?;
        cargo(
            "sidecar unit and in-process tests",
            &["test", "-p", "grove-server", "-p", "xtask"],
        )?;
        cargo(
            "protocol drift and tidy",
            &[
                "test",
                "-p",
                "grove-e2e",
                "--test",
                "protocol_drift",
                "--test",
                "tidy",
            ],
        )?;
        let scripts: Vec<&str> = ["check", "lint", "test", "format:check"]
            .into_iter()
            .filter(|s| self.npm_script_exists(s))
            .collect();
        for script in scripts {
            self.run(
                &format!("npm run {script}"),
                self.npm(&["run", "--silent", script], &Env::new()),
            )?;
        }
        eprintln!(
            "xtask: check passed in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// Whether `extension/package.json` has the npm script `name`.
    fn npm_script_exists(&self, name: &str) -> bool {
        std::fs::read_to_string(self.root.join("extension/package.json"))
            .is_ok_and(|p| p.contains(&format!("\"{name}\":")))
    }

    /// Every test: formatting, lints, Rust unit and end-to-end tests, the extension's checks and
    /// unit tests, the contract test and the editor test. Prints one summary line at the end.
    fn test(&self) -> Result<(), String> {
        let started = Instant::now();
        let mut results: Vec<(String, Result<(), String>)> = Vec::new();
        let mut step = |name: &str, r: Result<(), String>| {
            if let Err(e) = &r {
                eprintln!("xtask: FAILED {name}: {e}");
            }
            let ok = r.is_ok();
            results.push((name.to_string(), r));
            ok
        };

        step(
            "cargo fmt --check",
            self.run(
                "cargo fmt --check",
                self.cmd("cargo", &["fmt", "--all", "--", "--check"]),
            ),
        );
        let built = step(
            "cargo clippy",
            self.run(
                "cargo clippy -D warnings",
                self.cmd(
                    "cargo",
                    &[
                        "clippy",
                        "--workspace",
                        "--all-targets",
                        "--",
                        "-D",
                        "warnings",
                    ],
                ),
            ),
        ) && step(
            "cargo build",
            self.run(
                "cargo build grove-server",
                self.cmd("cargo", &["build", "-p", "grove-server"]),
            ),
        );
        let tools = self.tools(&["claude", "editor", "codex", "gh", "gemini", "opencode"]);
        let tools_ok = step(
            "install test tools",
            tools.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        let mut env = tools.unwrap_or_default();
        let bin = self.root.join("target/debug/grove-server");
        env.insert("GROVE_SERVER_BIN".into(), bin.display().to_string());
        env.insert(
            "GROVE_ARTIFACTS".into(),
            self.root.join("target/editor-test").display().to_string(),
        );

        if built && tools_ok {
            let mut c = self.cmd("cargo", &["test", "--workspace"]);
            c.envs(&env);
            step("cargo test", self.run("cargo test --workspace", c));
        }
        let npm_ok = step("npm ci", self.npm_ci());
        if npm_ok {
            let scripts = ["check", "lint", "test", "format:check"];
            for script in scripts.into_iter().filter(|s| self.npm_script_exists(s)) {
                step(
                    &format!("extension {script}"),
                    self.run(
                        &format!("npm run {script}"),
                        self.npm(&["run", "--silent", script], &env),
                    ),
                );
            }
        }
        if built && tools_ok && npm_ok {
            step(
                "contract test",
                self.run(
                    "npm run test:contract",
                    self.npm(&["run", "--silent", "test:contract"], &env),
                ),
            );
            match self.dist(true) {
                Ok(vsix) => {
                    env.insert("GROVE_VSIX".into(), vsix.display().to_string());
                    step(
                        "editor test",
                        self.run(
                            "npm run test:editor",
                            self.npm(&["run", "--silent", "test:editor"], &env),
                        ),
                    );
                    step(
                        "demo serves the editor",
                        self.demo_check(&vsix, env.clone(), false),
                    );
                    step(
                        "offline demo serves the editor with no network",
                        self.demo_check_without_network(&vsix, env.clone()),
                    );
                }
                Err(e) => {
                    step("dist", Err(e));
                }
            }
        }

        let failed: Vec<&str> = results
            .iter()
            .filter(|(_, r)| r.is_err())
            .map(|(n, _)| n.as_str())
            .collect();
        eprintln!("xtask: test took {:.0} s", started.elapsed().as_secs_f64());
        println!(
            "steps: {} passed, {} failed",
            results.len() - failed.len(),
            failed.len()
        );
        if failed.is_empty() {
            Ok(())
        } else {
            Err(format!("failed: {}", failed.join(", ")))
        }
    }

    /// The product in a real editor on loopback, with a small demo repository open, until Ctrl-C.
    /// `offline`: in a sandboxed home with a signed-in stand-in account and a loopback model, so
    /// every feature can be tried with no account and no network.
    fn demo(&self, offline: bool) -> Result<(), String> {
        let vsix = self.dist(false)?;
        let mut env = self.tools(&["claude", "editor"])?;
        if offline {
            self.offline_demo_env(&mut env)?;
        }
        // Ctrl-C reaches npm and the launcher (same process group); the launcher stops its editor.
        let mut c = self.demo_command(&vsix, env)?;
        c.stdin(Stdio::inherit());
        self.run("demo (Ctrl-C to stop)", c)
    }

    /// `npm run demo` with the demo repository (made on first use) and the `.vsix`.
    fn demo_command(&self, vsix: &Path, mut env: Env) -> Result<Command, String> {
        let repo = self.root.join("target/demo/repo");
        if !repo.join(".git").exists() {
            std::fs::create_dir_all(&repo).map_err(|e| e.to_string())?;
            std::fs::write(
                repo.join("README.md"),
                "# Demo\n\nA repository for trying Grove.\n",
            )
            .map_err(|e| e.to_string())?;
            std::fs::write(repo.join("hello.py"), "print('hello from the demo')\n")
                .map_err(|e| e.to_string())?;
            let identity = [
                "-c",
                "user.name=Grove Demo",
                "-c",
                "user.email=demo@example.invalid",
            ];
            for args in [
                &["init", "-q", "-b", "main"][..],
                &["add", "."],
                &[&identity[..], &["commit", "-qm", "Demo repository"]].concat(),
            ] {
                let mut c = self.cmd("git", args);
                c.current_dir(&repo);
                self.run("git (demo repository)", c)?;
            }
        }
        env.insert("GROVE_VSIX".into(), vsix.display().to_string());
        env.insert("GROVE_DEMO_FOLDER".into(), repo.display().to_string());
        Ok(self.npm(&["run", "--silent", "demo"], &env))
    }

    /// The offline demo's sandboxed home (`target/demo/offline-home`) and switch.
    fn offline_demo_env(&self, env: &mut Env) -> Result<(), String> {
        let home = self.root.join("target/demo/offline-home");
        std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
        env.insert("GROVE_DEMO_HOME".into(), home.display().to_string());
        env.insert("GROVE_DEMO_OFFLINE".into(), "1".into());
        Ok(())
    }

    /// `demo_check` of the offline demo in a network namespace with only a loopback interface
    /// (`unshare --net`), which proves it needs no network. Where no namespace can be made (not
    /// root, no `unshare`), it is checked with the network up, and says so.
    fn demo_check_without_network(&self, vsix: &Path, env: Env) -> Result<(), String> {
        let isolated = Command::new("unshare")
            .args(["--net", "--", "sh", "-c", "ip link set lo up"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !isolated {
            eprintln!(
                "xtask: no network namespace here (unshare --net needs root); checking the offline demo with the network up"
            );
            return self.demo_check(vsix, env, true);
        }
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut c = self.cmd(
            "unshare",
            &[
                "--net",
                "--",
                "sh",
                "-c",
                "ip link set lo up && exec \"$0\" \"$1\" \"$2\"",
            ],
        );
        c.arg(exe).arg(DEMO_CHECK_OFFLINE).arg(vsix).envs(&env);
        self.run("offline demo in a network namespace with only loopback", c)
    }

    /// What `cargo xtask demo` runs, checked: the launcher prints its address, the editor answers
    /// there, and Ctrl-C (SIGINT to its process group) stops it cleanly. Offline, the launcher also
    /// checks the stand-in account's credentials and commits in a workspace, and both must pass.
    fn demo_check(&self, vsix: &Path, mut env: Env, offline: bool) -> Result<(), String> {
        use std::io::{BufRead, Read, Write};
        use std::os::unix::process::CommandExt;
        let home = self.root.join("target/demo/home");
        std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
        env.insert("GROVE_DEMO_HOME".into(), home.display().to_string());
        if offline {
            self.offline_demo_env(&mut env)?;
            env.insert("GROVE_DEMO_CHECK".into(), "1".into());
        }
        let mut c = self.demo_command(vsix, env)?;
        c.stdout(Stdio::piped()).process_group(0);
        eprintln!("xtask: demo (started, then stopped with Ctrl-C)");
        let mut child = c.spawn().map_err(|e| format!("demo: {e}"))?;
        let stdout = child.stdout.take().ok_or("demo: no stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(line);
            }
        });
        let group = child.id().to_string();
        let stop = |child: &mut std::process::Child| {
            let _ = Command::new("kill")
                .args(["-s", "INT", "--", &format!("-{group}")])
                .stdin(Stdio::null())
                .status();
            let deadline = Instant::now() + std::time::Duration::from_secs(30);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = child.try_wait() {
                    return Some(status);
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{group}")])
                .stdin(Stdio::null())
                .status();
            None
        };
        let url = rx
            .recv_timeout(std::time::Duration::from_secs(300))
            .ok()
            .and_then(|l| l.strip_prefix("Grove demo: ").map(str::to_owned));
        let answer = url.as_deref().and_then(|url| {
            let rest = url.strip_prefix("http://")?;
            let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
            let mut conn = std::net::TcpStream::connect(host).ok()?;
            conn.set_read_timeout(Some(std::time::Duration::from_secs(30)))
                .ok()?;
            write!(conn, "GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").ok()?;
            let mut head = [0u8; 64];
            let n = conn.read(&mut head).ok()?;
            Some(
                String::from_utf8_lossy(&head[..n])
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string(),
            )
        });
        // Offline, the launcher then checks the credentials and commits in a workspace.
        let mut checked = Vec::new();
        if offline && answer.is_some() {
            let deadline = Instant::now() + std::time::Duration::from_secs(300);
            while checked.len() < 2 {
                let left = deadline.saturating_duration_since(Instant::now());
                let Ok(line) = rx.recv_timeout(left) else {
                    break;
                };
                if let Some(done) = line.strip_prefix("Grove demo check: ") {
                    eprintln!("xtask: offline demo: {done}");
                    checked.push(done.to_string());
                } else if line.starts_with("Grove demo check failed") {
                    eprintln!("xtask: {line}");
                    break;
                }
            }
        }
        let checks_done = !offline || checked.len() == 2;
        let status = stop(&mut child);
        // npm itself ends by the SIGINT, as it does on Ctrl-C; what matters is that everything the
        // demo started is gone.
        let ended = status.is_some_and(|s| {
            use std::os::unix::process::ExitStatusExt;
            s.success() || s.signal() == Some(2)
        });
        let group_alive = Command::new("kill")
            .args(["-s", "0", "--", &format!("-{group}")])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        match (url, answer) {
            (Some(url), Some(line))
                if line.contains(" 200") && ended && !group_alive && checks_done =>
            {
                eprintln!("xtask: the demo served {url} ({line}) and stopped cleanly");
                Ok(())
            }
            (url, line) => Err(format!(
                "demo: address {url:?}, answer {line:?}, exit {status:?}, processes left: {group_alive}, \
                 offline checks done: {checked:?}"
            )),
        }
    }

    /// Benchmarks of the release sidecar, each against a baseline measured in the same run.
    fn bench(&self) -> Result<(), String> {
        let env = self.tools(&["claude"])?;
        self.run(
            "cargo build --release (grove-server, grove-bench)",
            self.cmd(
                "cargo",
                &[
                    "build",
                    "--release",
                    "-p",
                    "grove-server",
                    "-p",
                    "grove-e2e",
                    "--bins",
                ],
            ),
        )?;
        let mut c = self.cmd(
            &self
                .root
                .join("target/release/grove-bench")
                .display()
                .to_string(),
            &[],
        );
        c.envs(&env).env(
            "GROVE_SERVER_BIN",
            self.root
                .join("target/release/grove-server")
                .display()
                .to_string(),
        );
        self.run("grove-bench", c)
    }

    /// Where the project's tools are cached: `$GROVE_DEV_CACHE`, or `~/.cache/grove-dev` (as in
    /// `tests/tools.sh`).
    fn cache(&self) -> Result<PathBuf, String> {
        if let Some(dir) = std::env::var_os("GROVE_DEV_CACHE") {
            return Ok(PathBuf::from(dir));
        }
        let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
        Ok(PathBuf::from(home).join(".cache/grove-dev"))
    }

    /// A C++ compiler, which libfuzzer-sys needs to build libFuzzer: `$CXX` or `c++`; on Debian
    /// and Ubuntu `g++` is installed with apt-get when there is none.
    fn cxx(&self) -> Result<(), String> {
        let cxx = std::env::var("CXX").unwrap_or_else(|_| "c++".into());
        let works = |c: &str| {
            self.cmd(c, &["--version"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if works(&cxx) {
            return Ok(());
        }
        if !works("apt-get") {
            return Err(format!(
                "fuzz: no C++ compiler ({cxx}); libFuzzer needs one: install g++ or clang++"
            ));
        }
        let root = self
            .cmd("id", &["-u"])
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        let apt = |args: &[&str]| {
            let mut c = if root {
                self.cmd("apt-get", args)
            } else {
                let mut c = self.cmd("sudo", &["apt-get"]);
                c.args(args);
                c
            };
            c.env("DEBIAN_FRONTEND", "noninteractive");
            c
        };
        self.run("apt-get update", apt(&["update", "-qq"]))?;
        self.run(
            "apt-get install g++ (libFuzzer is C++)",
            apt(&["install", "-y", "-qq", "g++"]),
        )?;
        if works(&cxx) {
            Ok(())
        } else {
            Err(format!(
                "fuzz: still no C++ compiler ({cxx}) after installing g++"
            ))
        }
    }

    /// The folder with the cargo-fuzz binary, installed into the cache on first use.
    fn cargo_fuzz(&self) -> Result<PathBuf, String> {
        let root = self.cache()?.join("cargo-fuzz");
        let bin = root.join("bin");
        let installed = Command::new(bin.join("cargo-fuzz"))
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|o| {
                String::from_utf8_lossy(&o.stdout).trim()
                    == format!("cargo-fuzz {CARGO_FUZZ_VERSION}")
            });
        if !installed {
            let root = root.display().to_string();
            self.run(
                &format!("cargo install cargo-fuzz {CARGO_FUZZ_VERSION} (first run only)"),
                self.cmd(
                    "cargo",
                    &[
                        "install",
                        "cargo-fuzz",
                        "--locked",
                        "--version",
                        CARGO_FUZZ_VERSION,
                        "--root",
                        &root,
                    ],
                ),
            )?;
        }
        Ok(bin)
    }

    /// Fuzzes each target in `fuzz/` for `limit` (seconds or inputs) with cargo-fuzz and libFuzzer; prints one
    /// line per target (executions, exec/s, crashes) and fails if any target crashed.
    ///
    /// Runs on the stable toolchain: with `--sanitizer none` cargo-fuzz passes rustc no `-Z`
    /// flag (only `-C` sancov options and `--cfg fuzzing`), so no `RUSTC_BOOTSTRAP` is needed.
    /// The fuzz build's target dir is `fuzz/target/` (ignored by git); the working corpus is
    /// kept in the cache, outside the clone, with `fuzz/seeds/<target>/` read as a second
    /// corpus; crashing inputs go to `target/fuzz-artifacts/<target>/`, libFuzzer's whole
    /// output to `target/fuzz-artifacts/<target>.log`.
    fn fuzz(&self, limit: FuzzLimit) -> Result<(), String> {
        use std::io::{BufRead, Write};
        self.cxx()?;
        let bin = self.cargo_fuzz()?;
        let bin_dir = bin.display().to_string();
        let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )))
        .map_err(|e| e.to_string())?;
        let corpora = self.cache()?.join("fuzz-corpus");
        let artifacts = self.root.join("target/fuzz-artifacts");
        let mut summaries = Vec::new();
        let mut failed = Vec::new();
        for target in FUZZ_TARGETS {
            let corpus = corpora.join(target);
            let crashes = artifacts.join(target);
            for dir in [&corpus, &crashes] {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("fuzz: {}: {e}", dir.display()))?;
            }
            let corpus = corpus.display().to_string();
            let seeds = self.root.join("fuzz/seeds").join(target);
            let seeds = seeds.display().to_string();
            let prefix = format!("-artifact_prefix={}/", crashes.display());
            let time = limit.flag();
            let mut c = self.cmd(
                "cargo",
                &[
                    "fuzz",
                    "run",
                    "--fuzz-dir",
                    "fuzz",
                    "--sanitizer",
                    "none",
                    target,
                    &corpus,
                    &seeds,
                    "--",
                    &time,
                    // cargo-fuzz passes its own `-artifact_prefix=` (fuzz/artifacts/) first;
                    // libFuzzer takes the last one given.
                    &prefix,
                    // A hang shows up as a `timeout-…` artifact instead of running on.
                    "-timeout=20",
                    "-print_final_stats=1",
                ],
            );
            c.env("PATH", &path).stderr(Stdio::piped());
            let log_path = artifacts.join(format!("{target}.log"));
            let mut log_file = std::fs::File::create(&log_path)
                .map_err(|e| format!("fuzz: {}: {e}", log_path.display()))?;
            eprintln!(
                "xtask: cargo fuzz run {target} {} (libFuzzer's output: {})",
                limit.describe(),
                log_path.display()
            );
            let mut child = c
                .spawn()
                .map_err(|e| format!("cargo fuzz run {target}: cannot start: {e}"))?;
            let mut stderr = std::io::BufReader::new(child.stderr.take().ok_or("no stderr")?);
            // All of it goes to the log; here, all but libFuzzer's progress lines (`#N\t…`,
            // `\tNEW_FUNC…`), its recommended dictionary, and its warnings that there is no
            // sanitizer runtime (expected with `--sanitizer none`).
            let mut log = String::new();
            let mut line = Vec::new();
            let mut in_dictionary = false;
            while stderr.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                let text = String::from_utf8_lossy(&line);
                let _ = log_file.write_all(&line);
                in_dictionary |= text.starts_with("###### Recommended dictionary");
                let progress = (text.starts_with('#')
                    && text[1..].starts_with(|c: char| c.is_ascii_digit()))
                    || text.starts_with("\tNEW_FUNC")
                    || text.starts_with("WARNING: Failed to find function \"__sanitizer_");
                if !progress && !in_dictionary {
                    eprint!("{text}");
                }
                in_dictionary &= !text.starts_with("###### End of recommended dictionary");
                log.push_str(&text);
                line.clear();
            }
            let status = child
                .wait()
                .map_err(|e| format!("cargo fuzz run {target}: {e}"))?;
            let stats = FuzzStats::parse(&log);
            let shown = |n: Option<u64>| n.map_or("?".to_string(), |n| n.to_string());
            let crashes = if stats.crashes.is_empty() {
                "0 crashes".to_string()
            } else {
                format!(
                    "{} crash(es): {}",
                    stats.crashes.len(),
                    stats.crashes.join(" ")
                )
            };
            let slow = if stats.slow.is_empty() {
                String::new()
            } else {
                format!(", slow inputs: {}", stats.slow.join(" "))
            };
            summaries.push(format!(
                "fuzz {target}: {} executions, {} exec/s, {crashes}{slow}",
                shown(stats.executions),
                shown(stats.exec_per_sec),
            ));
            if !stats.crashes.is_empty() {
                failed.push(format!("{target} crashed"));
                eprintln!(
                    "xtask: reproduce with: PATH=\"{}:$PATH\" cargo fuzz run --sanitizer none {target} {}",
                    bin_dir, stats.crashes[0]
                );
            } else if !status.success() {
                failed.push(format!("cargo fuzz run {target}: {status}"));
            }
        }
        for s in &summaries {
            println!("{s}");
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(format!("fuzz: {}", failed.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzz_stats_are_read_from_libfuzzer_output() {
        let done = "INFO: Seed: 1\n#2\tINITED cov: 10 ft: 10 corp: 3/88b exec/s: 0 rss: 30Mb\n\
                    #78335\tDONE   cov: 1586 ft: 5421 corp: 975/104Kb lim: 259 exec/s: 19583 rss: 30Mb\n\
                    Done 78335 runs in 4 second(s)\nstat::number_of_executed_units: 78335\n";
        assert_eq!(
            FuzzStats::parse(done),
            FuzzStats {
                executions: Some(78335),
                exec_per_sec: Some(19583),
                ..FuzzStats::default()
            }
        );
        let crash = "#4096\tpulse  cov: 1 ft: 1 corp: 1/1b exec/s: 2048 rss: 30Mb\n\
                     ==1== ERROR: libFuzzer: deadly signal\n    #0 0x1 in main\n\
                     artifact_prefix='a/'; Test unit written to a/crash-01\nBase64: AA==\n\
                     stat::number_of_executed_units: 5000\nstat::average_exec_per_sec:     2500\n";
        let stats = FuzzStats::parse(crash);
        assert_eq!(stats.executions, Some(5000));
        assert_eq!(stats.exec_per_sec, Some(2500));
        assert_eq!(stats.crashes, ["a/crash-01"]);
        let limit =
            |args: &[&str]| fuzz_limit(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>());
        assert_eq!(limit(&["--seconds", "30"]), Ok(FuzzLimit::Seconds(30)));
        assert_eq!(limit(&["--seconds=5"]), Ok(FuzzLimit::Seconds(5)));
        assert_eq!(limit(&["--runs", "10000"]), Ok(FuzzLimit::Runs(10_000)));
        assert_eq!(limit(&["--runs=7"]), Ok(FuzzLimit::Runs(7)));
        assert_eq!(limit(&[]), Ok(FuzzLimit::Seconds(60)));
        assert!(limit(&["--seconds"]).is_err());
        assert!(limit(&["--seconds=0"]).is_err());
        assert!(limit(&["--runs=x"]).is_err());
        assert!(limit(&["--secs"]).is_err());
        assert_eq!(FuzzLimit::Runs(10).flag(), "-runs=10");
    }
}
