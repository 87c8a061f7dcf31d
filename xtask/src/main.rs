//! Project tasks: `cargo xtask test|dist|install|demo|bench`. Installs what each task needs (via
//! `tests/tools.sh`, cached outside the clone) so that a fresh clone needs only cargo and npm.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <test|dist [--debug]|install|demo [--check]|bench>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let x = Xtask { root };
    let result = match args.first().map(String::as_str) {
        Some("test") => x.test(),
        Some("dist") => x.dist(args.iter().any(|a| a == "--debug")).map(|vsix| {
            println!("{}", vsix.display());
        }),
        Some("install") => x.install(),
        Some("demo") if args.iter().any(|a| a == "--check") => x
            .dist(true)
            .and_then(|vsix| x.tools(&["claude", "editor"]).map(|env| (vsix, env)))
            .and_then(|(vsix, env)| x.demo_check(&vsix, env)),
        Some("demo") => x.demo(),
        Some("bench") => x.bench(),
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

    /// The pinned outside tools (`claude`, `editor`), installed on first use; their paths.
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
        let tools = self.tools(&["claude", "editor"]);
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
            for script in ["check", "lint", "test"] {
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
                        self.demo_check(&vsix, env.clone()),
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
    fn demo(&self) -> Result<(), String> {
        let vsix = self.dist(false)?;
        let env = self.tools(&["claude", "editor"])?;
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

    /// What `cargo xtask demo` runs, checked: the launcher prints its address, the editor answers
    /// there, and Ctrl-C (SIGINT to its process group) stops it cleanly.
    fn demo_check(&self, vsix: &Path, mut env: Env) -> Result<(), String> {
        use std::io::{BufRead, Read, Write};
        use std::os::unix::process::CommandExt;
        let home = self.root.join("target/demo/home");
        std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
        env.insert("GROVE_DEMO_HOME".into(), home.display().to_string());
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
            (Some(url), Some(line)) if line.contains(" 200") && ended && !group_alive => {
                eprintln!("xtask: the demo served {url} ({line}) and stopped cleanly");
                Ok(())
            }
            (url, line) => Err(format!(
                "demo: address {url:?}, answer {line:?}, exit {status:?}, processes left: {group_alive}"
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
}
