//! What an agent CLI asks on its interactive channel and what Grove answers, as functions without process or state (only
//! a file tool's path is resolved on disk): a `control_request` line parsed, the `AgentRequest`
//! made of it, the workspace's "always allow" rules (when one is offered, what it matches), and
//! the `control_response` of an answer, checked first so that no client input makes a malformed
//! one or a panic.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::protocol::{AgentRequest, AgentRespondParams, Behavior, RequestKind, Rule};
use crate::workspaces::names::invisible;

/// What the agent is told when the user denies without a message.
const DEFAULT_DENIAL: &str = "The user denied this request.";

/// A `control_request` line of the CLI.
#[derive(Debug, Clone, PartialEq)]
pub enum ControlRequest {
    /// `can_use_tool`: permission to use a tool, a question, or a plan.
    CanUseTool(ToolRequest),
    /// Any other subtype: declined.
    Other { request_id: String, subtype: String },
}

/// A `can_use_tool` request, as the CLI sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolRequest {
    pub request_id: String,
    pub tool_name: String,
    /// The tool's input (an allow without `updatedInput` echoes it).
    pub input: Value,
    pub description: Option<String>,
    pub tool_use_id: Option<String>,
    /// `permission_suggestions`, as sent (an empty array when missing).
    pub suggestions: Value,
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// A `control_request` line's JSON parsed; fields of the wrong type read as missing.
pub fn parse_control_request(v: &Value) -> ControlRequest {
    let request_id = text(&v["request_id"]).unwrap_or_default();
    let req = &v["request"];
    if req["subtype"] != "can_use_tool" {
        let subtype = req["subtype"].as_str().unwrap_or("(none)").to_string();
        return ControlRequest::Other {
            request_id,
            subtype,
        };
    }
    ControlRequest::CanUseTool(ToolRequest {
        request_id,
        tool_name: text(&req["tool_name"]).unwrap_or_default(),
        input: req["input"].clone(),
        description: text(&req["description"]),
        tool_use_id: text(&req["tool_use_id"]),
        suggestions: req
            .get("permission_suggestions")
            .cloned()
            .unwrap_or(Value::Array(Vec::new())),
    })
}

/// What a tool request is to the user: a question, a plan, or a tool to allow.
pub fn kind_of(tool_name: &str) -> RequestKind {
    match tool_name {
        "AskUserQuestion" => RequestKind::Question,
        "ExitPlanMode" => RequestKind::Plan,
        _ => RequestKind::Tool,
    }
}

/// The `AgentRequest` of a tool request of run `ids` (run, workspace); a plan's input is the
/// plan of the `ExitPlanMode` tool use before it (`plans`, by tool use id).
pub fn agent_request(
    ids: (&str, &str),
    worktree: &Path,
    tool: &ToolRequest,
    plans: &HashMap<String, Value>,
    created_at: String,
) -> AgentRequest {
    let kind = kind_of(&tool.tool_name);
    let input = match kind {
        RequestKind::Plan => tool
            .tool_use_id
            .as_ref()
            .and_then(|id| plans.get(id))
            .cloned()
            .unwrap_or_else(|| tool.input.clone()),
        _ => tool.input.clone(),
    };
    let description = tool
        .description
        .clone()
        .or_else(|| text(&input["command"]))
        .or_else(|| text(&input["file_path"]))
        .unwrap_or_else(|| match kind {
            RequestKind::Question => "The agent asks a question.".into(),
            RequestKind::Plan => "The agent proposes a plan.".into(),
            RequestKind::Tool => format!("The agent wants to use {}.", tool.tool_name),
        });
    let always = always_allow(kind, &tool.tool_name, &tool.input, worktree);
    AgentRequest {
        run_id: ids.0.to_string(),
        workspace_id: ids.1.to_string(),
        request_id: tool.request_id.clone(),
        kind,
        tool_name: tool.tool_name.clone(),
        input,
        description,
        suggestions: tool.suggestions.clone(),
        created_at,
        always_allow: always.is_ok(),
        always_allow_rule: always.as_ref().ok().cloned(),
        always_allow_why: always.err(),
    }
}

/// Shells.
const SHELLS: &str = "sh bash zsh dash fish ksh mksh csh tcsh ash busybox";

/// Wrappers: their arguments are a command.
const WRAPPERS: &str = "\
    env sudo doas su runuser pkexec sg xargs nohup time timeout nice ionice chrt taskset numactl \
    prlimit stdbuf unbuffer setsid watch chroot nsenter unshare flock script strace ltrace \
    valgrind gdb lldb perf parallel caffeinate arch xcrun open sandbox-exec launchctl \
    systemd-run at batch ssh-agent dbus-run-session xvfb-run firejail bwrap faketime expect tmux \
    screen entr watchexec nodemon hyperfine concurrently cross-env dotenv direnv mise asdf nix \
    nix-shell docker podman";

/// Programs with an option or a command language that runs a program (`find -exec`, `sed e`,
/// `tar --to-command`, `rg --pre`, `ssh -oProxyCommand`, a Makefile), and package runners that
/// fetch and run whatever package they are given.
const RUNNERS: &str = "\
    find fd fdfind rg sed gsed awk gawk mawk nawk tar gtar bsdtar make gmake ssh scp sftp rsync \
    man osascript npx pnpx bunx uvx pipx";

/// Shell keywords and builtins that run code (`trap`, `complete -C`, `enable -f`, `fc`…) or
/// change what later commands run (`alias`, `hash -p`, `export`…).
const SHELL_WORDS: &str = "\
    command exec eval builtin source . trap compgen complete enable mapfile readarray fc r bind \
    alias unalias hash export declare typeset local readonly set shopt let setopt unsetopt \
    emulate zmodload autoload functions sched zpty noglob nocorrect if then else elif while \
    until for foreach repeat do case select function coproc";

/// Programs that run whatever they are given, as lists of names: a rule for one would allow any
/// command. Compared in lower case (a case-insensitive disk runs `BASH` too).
const RUNS_ANYTHING: &[&str] = &[SHELLS, WRAPPERS, RUNNERS, SHELL_WORDS];

/// Interpreters, also with a version after the name (`python3.12`, `perl5.36`, `node22`).
const INTERPRETERS: &[&str] = &[
    "python", "pypy", "node", "nodejs", "deno", "bun", "perl", "ruby", "php", "lua", "luajit",
    "tclsh", "pwsh", "rscript",
];

/// Whether `name` (a command word without its directory, in lower case) runs other commands.
fn runs_anything(name: &str) -> bool {
    RUNS_ANYTHING.iter().any(|list| listed(list, name))
        || INTERPRETERS.iter().any(|base| {
            name.strip_prefix(base).is_some_and(|rest| {
                rest.is_empty()
                    || (rest.starts_with(|c: char| c.is_ascii_digit())
                        && rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
            })
        })
}

/// A toolchain whose rule is the program and its subcommand (`git status`, `npm test`): the
/// program with any subcommand would run anything (`npm exec`, `git -c core.pager=…`).
struct Toolchain {
    name: &'static str,
    /// Subcommands that run a command they are given, fetch and run code, or change what later
    /// commands run: never a rule.
    refused: &'static str,
    /// Whether the program takes any unique abbreviation of a subcommand (`npm exe` is `npm
    /// exec`): then no abbreviation of a refused one gets a rule either.
    abbreviates: bool,
    /// Subcommands whose rule also names their next word, the script or package (`npm run build`).
    targeted: &'static str,
    /// Letters that may not appear in a bundle of short options (`git grep -iO<pager>`).
    short: &'static str,
}

/// Subcommands no toolchain gets a rule for.
const REFUSED_EVERYWHERE: &str = "exec x dlx shell tool explore create init innit console config \
    c set env";

const TOOLCHAINS: &[Toolchain] = &[
    Toolchain {
        name: "git",
        refused: "rebase submodule bisect filter-branch difftool mergetool send-email daemon \
            instaweb hook credential clone ls-remote upload-pack receive-pack upload-archive \
            archive",
        abbreviates: false,
        targeted: "",
        short: "cO",
    },
    Toolchain {
        name: "npm",
        refused: "",
        abbreviates: true,
        targeted: "run run-script rum urn",
        short: "",
    },
    Toolchain {
        name: "pnpm",
        refused: "",
        abbreviates: false,
        targeted: "run",
        short: "",
    },
    Toolchain {
        name: "yarn",
        refused: "node workspace workspaces",
        abbreviates: false,
        targeted: "run",
        short: "",
    },
    Toolchain {
        name: "cargo",
        refused: "install rustc rustdoc",
        abbreviates: false,
        targeted: "",
        short: "",
    },
    Toolchain {
        name: "go",
        refused: "",
        abbreviates: false,
        targeted: "run",
        short: "",
    },
    Toolchain {
        name: "bundle",
        refused: "open",
        abbreviates: false,
        targeted: "",
        short: "",
    },
];

/// Python's project managers: `run` names what it runs; `shell`, `tool` and `exec` are refused.
const PYTHON_PROJECTS: &str = "uv poetry pipenv pdm hatch rye";

/// Whether the space-separated `list` holds `word`.
fn listed(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace().any(|w| w == word)
}

/// The toolchain that `name` (in lower case) is, if any.
fn toolchain(name: &str) -> Option<&'static Toolchain> {
    const PYTHON: Toolchain = Toolchain {
        name: "",
        refused: "",
        abbreviates: false,
        targeted: "run",
        short: "",
    };
    TOOLCHAINS
        .iter()
        .find(|t| t.name == name)
        .or_else(|| listed(PYTHON_PROJECTS, name).then_some(&PYTHON))
}

/// Options that make a toolchain run a program they name, or read configuration that does
/// (compared as prefixes, after `_` → `-`, long ones in lower case).
const REFUSED_OPTIONS: &str = "--config --exec -exec --toolexec -toolexec --vettool -vettool \
    --ldflags -ldflags --upload-pack --receive-pack --open-files-in-pager --extcmd --git-dir \
    --work-tree --template --separate-git-dir --script-shell --node-options --userconfig \
    --globalconfig --call --editor --shell --browser --viewer --git --node-gyp --use-yarnrc -Z";

/// Files and folders (any case) where a change makes commands run later: git's folder (hooks,
/// configuration), each agent CLI's settings (hooks, permissions; its adapter names them), the
/// editor's tasks and settings, MCP servers; and the words that list them.
fn protected_names() -> &'static (Vec<String>, String) {
    static NAMES: std::sync::OnceLock<(Vec<String>, String)> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut named: Vec<String> = vec![".git".into()];
        for a in crate::agents::registry::adapters() {
            named.extend(a.protected_paths().iter().map(|p| p.to_string()));
        }
        named.extend([".vscode".into(), ".mcp.json".into()]);
        let words = match named.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => named.concat(),
        };
        let mut names: Vec<String> = named.iter().map(|n| n.to_lowercase()).collect();
        // The 8.3 short name of `.git` on a file system that makes them.
        names.push("git~1".into());
        (names, words)
    })
}

/// Whether a file name is one of `protected_names`, ignoring case (as a case-insensitive disk folds
/// it: `ſ` is `s`, the Kelvin sign `k`) and characters a file system may ignore.
fn protected(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| !invisible(*c))
        .collect::<String>()
        .to_lowercase()
        .replace('ſ', "s");
    protected_names().0.contains(&folded)
}

/// Whether a character may be in a word of a command that a rule allows: letters, digits and
/// `. _ / = : , @ % + -`, nothing a shell reads as syntax (quotes, `$`, globs, braces, `~`, `!`,
/// `#`, separators, redirections), no control and no non-ASCII character.
fn safe_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '.' | '_' | '/' | '=' | ':' | ',' | '@' | '%' | '+' | '-')
}

/// The words of a command: split on spaces and tabs only, as a shell splits plain words.
fn words(command: &str) -> impl Iterator<Item = &str> {
    command.split([' ', '\t']).filter(|w| !w.is_empty())
}

/// Ok for a word of safe characters only; else why the command is asked each time.
fn plain_syntax(word: &str) -> std::result::Result<(), String> {
    let Some(c) = word.chars().find(|c| !safe_char(*c)) else {
        return Ok(());
    };
    let what = match c {
        '\'' | '"' => "quotes".to_string(),
        c if c.is_ascii_graphic() => format!("“{c}”"),
        c => format!("the character U+{:04X}", u32::from(c)),
    };
    Err(format!(
        "This command uses shell syntax ({what}) that could run other commands, so it is asked \
         each time."
    ))
}

/// `NAME=value`, a shell variable assignment.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// A shell command's words from its first real word on (after any `NAME=value` assignments), and
/// whether assignments came before it; the reason when there is none Grove can read.
fn command_words(command: &str) -> std::result::Result<(Vec<&str>, bool), String> {
    let mut assigned = false;
    let mut all = words(command);
    for word in all.by_ref() {
        if !is_assignment(word) {
            return Ok((std::iter::once(word).chain(all).collect(), assigned));
        }
        plain_syntax(word)?;
        assigned = true;
    }
    Err("The command has no command word: answer it each time.".into())
}

/// Whether `word` is a plain command name: letters, digits, `.`, `_`, `+`, `-`, not starting
/// with punctuation.
fn plain_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'))
}

/// Ok when the command word may make a rule: a plain name of a program that runs nothing else.
fn check_command_word(word: &str) -> std::result::Result<(), String> {
    let name = word.rsplit('/').next().unwrap_or(word).to_lowercase();
    if runs_anything(&name) {
        return Err(format!(
            "“{name}” runs other commands (a shell, an interpreter, a wrapper, or a program whose \
             arguments name a command to run), so always allowing it would allow anything: \
             answer it each time."
        ));
    }
    if word.contains('/') {
        return Err(format!(
            "“{word}” is a path, and the program there can change: always allow is offered for \
             command names only."
        ));
    }
    if !plain_name(word) {
        return Err(format!(
            "“{word}” is not a plain command name (it has quotes, variables or patterns): \
             answer it each time."
        ));
    }
    Ok(())
}

/// Ok when no argument names a protected file (as a path, or an option's value).
fn check_protected(args: &[&str]) -> std::result::Result<(), String> {
    match args
        .iter()
        .find(|a| a.split(['/', '=', ':', ',']).any(protected))
    {
        Some(arg) => Err(format!(
            "“{arg}” names {}, where a change can make commands run later, so this command is \
             asked each time.",
            protected_names().1
        )),
        None => Ok(()),
    }
}

/// The words of a toolchain's rule (`git status`, `npm run build`); else why none is offered.
fn toolchain_rule<'a>(
    chain: &Toolchain,
    words: &[&'a str],
) -> std::result::Result<Vec<&'a str>, String> {
    let name = words[0];
    let sub = words.get(1).copied().unwrap_or_default();
    if !sub.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "“{name}” is always allowed one subcommand at a time, and this command's second word \
             is none: answer it each time."
        ));
    }
    let lower = sub.to_lowercase();
    let refused = |list: &str| {
        list.split_ascii_whitespace()
            .any(|r| r == lower || (chain.abbreviates && r.starts_with(&lower)))
    };
    if refused(chain.refused) || refused(REFUSED_EVERYWHERE) {
        return Err(format!(
            "“{name} {sub}” runs other commands or changes what later commands run, so always \
             allowing it would allow anything: answer it each time."
        ));
    }
    if let Some(arg) = words[2..].iter().find(|a| runs_a_program(chain, a)) {
        return Err(format!(
            "The option “{arg}” can make {name} run another program, so this command is asked \
             each time."
        ));
    }
    if !listed(chain.targeted, &lower) {
        return Ok(words[..2].to_vec());
    }
    match words.get(2) {
        Some(target) if !target.starts_with('-') => Ok(words[..3].to_vec()),
        _ => Err(format!(
            "“{name} {sub}” is always allowed for one script or package at a time, and this \
             command names none: answer it each time."
        )),
    }
}

/// Whether an argument of a toolchain's command is an option that can make it run a program.
fn runs_a_program(chain: &Toolchain, arg: &str) -> bool {
    let long = arg.starts_with("--");
    let option = if long {
        arg.to_lowercase()
    } else {
        arg.to_string()
    }
    .replace('_', "-");
    let bundle = arg.starts_with('-') && !long;
    REFUSED_OPTIONS
        .split_ascii_whitespace()
        .any(|o| option.starts_with(o))
        || (bundle && arg.contains(|c: char| chain.short.contains(c)))
}

/// The rule "always allow" makes of a Bash command: its command word (with the subcommand for a
/// toolchain), if the command is plain words of safe characters and the program runs nothing
/// else; else why none is offered.
fn bash_rule(command: &str) -> std::result::Result<Rule, String> {
    let (words, _) = command_words(command)?;
    check_command_word(words[0])?;
    for word in &words[1..] {
        plain_syntax(word)?;
    }
    check_protected(&words[1..])?;
    let rule = match toolchain(&words[0].to_lowercase()) {
        Some(chain) => toolchain_rule(chain, &words)?,
        None => words[..1].to_vec(),
    };
    Ok(Rule {
        tool_name: "Bash".into(),
        prefix: Some(rule.join(" ")),
    })
}

/// The tools that write a file, with the input field that names it.
const FILE_TOOLS: &[(&str, &str)] = &[
    ("Write", "file_path"),
    ("Edit", "file_path"),
    ("MultiEdit", "file_path"),
    ("NotebookEdit", "notebook_path"),
];

/// `path` with its links resolved: the deepest part of it that exists, resolved, and the rest as
/// written. `None` when a part is a dangling link or cannot be read.
fn resolve(path: &Path) -> Option<PathBuf> {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        match existing.symlink_metadata() {
            Ok(_) => break,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                rest.push(existing.file_name()?.to_os_string());
                existing = existing.parent()?.to_path_buf();
            }
            Err(_) => return None,
        }
    }
    let mut real = existing.canonicalize().ok()?;
    real.extend(rest.iter().rev());
    Some(real)
}

/// Ok when a file tool may be always allowed to write `path`: absolute, without `..`, inside the
/// worktree once links are resolved, and in no protected file or folder; else what is wrong.
fn writable_in(path: &str, worktree: &Path) -> std::result::Result<(), &'static str> {
    let path = Path::new(path);
    if !path.is_absolute() {
        return Err("is not an absolute path");
    }
    if path.components().any(|c| c == Component::ParentDir) {
        return Err("goes up a folder with “..”");
    }
    let root = worktree
        .canonicalize()
        .map_err(|_| "cannot be checked (the worktree is not there)")?;
    let real = resolve(path).ok_or("cannot be resolved (a dangling link, or unreadable)")?;
    let inside = real
        .strip_prefix(&root)
        .map_err(|_| "is outside the worktree")?;
    let written = path.strip_prefix(worktree).unwrap_or(inside);
    let names = |p: &Path| {
        p.components()
            .any(|c| protected(&c.as_os_str().to_string_lossy()))
    };
    if inside.as_os_str().is_empty() {
        return Err("is the worktree itself");
    }
    if names(inside) || names(written) {
        static WORDS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        return Err(WORDS.get_or_init(|| {
            format!(
                "is in {}, where a change can make commands run later",
                protected_names().1
            )
        }));
    }
    Ok(())
}

/// Ok when `tool_name` writes no file, or writes one a rule may cover; else why it is asked.
fn file_rule_path(
    tool_name: &str,
    input: &Value,
    worktree: &Path,
) -> std::result::Result<(), String> {
    let Some((_, field)) = FILE_TOOLS.iter().find(|(tool, _)| *tool == tool_name) else {
        return Ok(());
    };
    let Some(path) = input[*field].as_str().filter(|p| !p.is_empty()) else {
        return Err(format!(
            "The request names no file, so a {tool_name} is asked each time."
        ));
    };
    writable_in(path, worktree)
        .map_err(|why| format!("“{path}” {why}, so a {tool_name} there is asked each time."))
}

/// The rule "always allow this here" makes of a tool request of a run in `worktree`: the tool,
/// and for `Bash` its command's command word (and a toolchain's subcommand); or why none is
/// offered (questions, plans, shells, shell syntax, a file outside the worktree…).
pub fn rule_for(
    tool_name: &str,
    input: &Value,
    worktree: &Path,
) -> std::result::Result<Rule, String> {
    match tool_name {
        "AskUserQuestion" => Err("A question is answered each time it is asked.".into()),
        "ExitPlanMode" => Err("A plan is approved each time.".into()),
        "" => Err("The request names no tool.".into()),
        "Bash" => match input["command"].as_str() {
            Some(command) => bash_rule(command),
            None => Err("The request has no command.".into()),
        },
        _ => file_rule_path(tool_name, input, worktree).map(|()| Rule {
            tool_name: tool_name.into(),
            prefix: None,
        }),
    }
}

/// Whether "always allow" is offered for a request, as the rule it adds; else why not.
pub fn always_allow(
    kind: RequestKind,
    tool_name: &str,
    input: &Value,
    worktree: &Path,
) -> std::result::Result<Rule, String> {
    match kind {
        RequestKind::Question => Err("A question is answered each time it is asked.".into()),
        RequestKind::Plan => Err("A plan is approved each time.".into()),
        RequestKind::Tool => rule_for(tool_name, input, worktree),
    }
}

/// Whether `rule` allows the tool use of a run in `worktree`. A Bash rule allows a command only
/// if the command would make the same rule (plain words of safe characters, the same command
/// word and toolchain subcommand, no shell or wrapper, no `.git`…), and sets no variable first
/// (`PATH=.` or `LD_PRELOAD=` change what runs). A file tool's rule allows only a file inside the
/// worktree and outside the protected files and folders (`.git`, the agent CLIs' settings,
/// `.vscode`, `.mcp.json`).
pub fn allows(rule: &Rule, tool_name: &str, input: &Value, worktree: &Path) -> bool {
    if rule.tool_name != tool_name {
        return false;
    }
    if tool_name != "Bash" {
        return rule.prefix.is_none() && file_rule_path(tool_name, input, worktree).is_ok();
    }
    let Some(command) = input["command"].as_str() else {
        return false;
    };
    let assigned = !matches!(command_words(command), Ok((_, false)));
    !assigned && rule.prefix.is_some() && bash_rule(command).as_ref() == Ok(rule)
}

/// The `control_response` that allows a tool use with `input`.
pub fn allow_line(request_id: &str, input: &Value) -> String {
    json!({"type": "control_response", "response": {"subtype": "success", "request_id": request_id,
        "response": {"behavior": "allow", "updatedInput": input}}})
    .to_string()
}

/// The `control_response` that denies a tool use; the model reads `message`.
pub fn deny_line(request_id: &str, message: &str) -> String {
    json!({"type": "control_response", "response": {"subtype": "success", "request_id": request_id,
        "response": {"behavior": "deny", "message": message}}})
    .to_string()
}

/// The `control_response` that declines a control request Grove does not handle.
pub fn error_line(request_id: &str, message: &str) -> String {
    json!({"type": "control_response", "response": {"subtype": "error", "request_id": request_id,
        "error": message}})
    .to_string()
}

/// What an answer does.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The `control_response` line the CLI reads.
    pub line: String,
    /// The workspace rule to add (`allowAlways`).
    pub rule: Option<Rule>,
    /// What `requestDone` says: `allow`, `deny` or `allowAlways`.
    pub outcome: &'static str,
}

/// The answers as the question's input wants them: question text → label, in the order asked.
fn answers_object(input: &Value, answers: &BTreeMap<String, String>) -> Map<String, Value> {
    let asked = input["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|q| q["question"].as_str());
    let mut out = Map::new();
    for question in asked {
        if let Some(label) = answers.get(question) {
            out.insert(question.to_string(), Value::String(label.clone()));
        }
    }
    for (question, label) in answers {
        if !out.contains_key(question) {
            out.insert(question.clone(), Value::String(label.clone()));
        }
    }
    out
}

fn not_offered(request: &AgentRequest) -> Error {
    let why = request
        .always_allow_why
        .as_deref()
        .unwrap_or("It is not offered for this request.");
    Error::InvalidParams {
        message: format!("Always allow is not offered here: {why} Answer allow or deny instead."),
        data: Some(json!({ "requestId": request.request_id, "reason": "alwaysAllowNotOffered" })),
    }
}

/// The answer `p` gives to `request` (whose input, as the CLI sent it, is `original`), or why it
/// cannot be given (-32602; the request keeps waiting).
pub fn answer(request: &AgentRequest, original: &Value, p: &AgentRespondParams) -> Result<Answer> {
    if p.behavior == Behavior::Deny {
        let message = p
            .message
            .as_deref()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or(DEFAULT_DENIAL);
        return Ok(Answer {
            line: deny_line(&request.request_id, message),
            rule: None,
            outcome: "deny",
        });
    }
    let (rule, outcome) = match p.behavior {
        Behavior::AllowAlways => match &request.always_allow_rule {
            Some(rule) if request.always_allow => (Some(rule.clone()), "allowAlways"),
            _ => return Err(not_offered(request)),
        },
        _ => (None, "allow"),
    };
    let mut input = match &p.updated_input {
        Some(updated) => Value::Object(updated.0.clone()),
        None => original.clone(),
    };
    if let (RequestKind::Question, Some(answers)) = (request.kind, &p.answers) {
        let answers = answers_object(&input, &answers.0);
        let Some(fields) = input.as_object_mut() else {
            return Err(Error::invalid_params(
                "The question's input is not a JSON object, so the answers cannot go with it: \
                 send updatedInput with the questions, or deny.",
            ));
        };
        fields.insert("answers".into(), Value::Object(answers));
    }
    Ok(Answer {
        line: allow_line(&request.request_id, &input),
        rule,
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    /// The worktree of tests that need none (a path no file is ever at).
    fn nowhere() -> &'static Path {
        Path::new("/nonexistent/grove-worktree")
    }

    fn bash(command: &str) -> Value {
        json!({ "command": command })
    }

    fn prefix(command: &str) -> std::result::Result<Option<String>, String> {
        rule_for("Bash", &bash(command), nowhere()).map(|r| r.prefix)
    }

    #[test]
    fn bash_rules_allow_the_same_first_word_and_nothing_chained() {
        let rule = rule_for("Bash", &bash("touch made.txt"), nowhere()).unwrap();
        assert_eq!(rule.prefix.as_deref(), Some("touch"));
        assert!(allows(&rule, "Bash", &bash("touch other.txt"), nowhere()));
        assert!(!allows(&rule, "Bash", &bash("mkdir d"), nowhere()));
        assert!(!allows(
            &rule,
            "Bash",
            &bash("touch a && rm -rf b"),
            nowhere()
        ));
        assert!(!allows(&rule, "Bash", &bash("touch $(rm x)"), nowhere()));
        assert!(!allows(&rule, "Write", &bash("touch a"), nowhere()));
        let fetch = rule_for("WebFetch", &json!({"url": "a"}), nowhere()).unwrap();
        assert!(allows(&fetch, "WebFetch", &json!({"url": "b"}), nowhere()));
        assert!(rule_for("AskUserQuestion", &json!({}), nowhere()).is_err());
    }

    #[test]
    fn a_rule_is_made_from_the_command_word_after_assignments() {
        assert_eq!(prefix("X=1 touch made.txt"), Ok(Some("touch".into())));
        assert_eq!(prefix("  A=1 B_2=x  mkdir d"), Ok(Some("mkdir".into())));
        assert_eq!(prefix("FOO= npm test"), Ok(Some("npm test".into())));
        // Not assignments: the word itself is not a plain name.
        assert!(prefix("1X=1 touch a").is_err());
        assert!(prefix("X+=1 touch a").is_err());
        // Quoted or substituted values cannot be read word by word.
        let why = prefix("X='a b' touch a").unwrap_err();
        assert!(why.contains("quotes"), "{why}");
        assert!(prefix("X=$(rm -rf ~) touch a").is_err());
        assert!(prefix("X=1").is_err());
        assert!(prefix("   ").is_err());
        assert!(rule_for("Bash", &json!({"command": 3}), nowhere()).is_err());
        assert!(rule_for("Bash", &json!("touch a"), nowhere()).is_err());
    }

    #[test]
    fn shells_interpreters_wrappers_and_paths_make_no_rule() {
        for command in [
            "bash -c 'rm -rf /'",
            "sh x.sh",
            "zsh",
            "python3 -c 'import os'",
            "python3.12 x.py",
            "perl5.36 -e 1",
            "node x.js",
            "env rm x",
            "sudo rm x",
            "xargs rm",
            "nohup rm x",
            "time rm x",
            "timeout 5 rm x",
            "nice rm x",
            "command rm x",
            "exec rm x",
            "eval rm x",
            ". ./env.sh",
            "source env.sh",
            "X=1 bash -c x",
            "/bin/sh -c x",
            "/usr/bin/env rm x",
            "awk 'BEGIN{system(\"rm x\")}'",
        ] {
            let why = prefix(command).unwrap_err();
            assert!(why.contains("runs other commands"), "{command}: {why}");
        }
        for command in ["./build.sh", "/usr/bin/touch x", "bin/tool"] {
            let why = prefix(command).unwrap_err();
            assert!(why.contains("path"), "{command}: {why}");
        }
        for command in ["'touch' x", "\\rm x", "$CMD x", "t*ch x", "-rf x", "!"] {
            assert!(prefix(command).is_err(), "{command}");
        }
        // Names that only start like an interpreter are commands of their own.
        assert_eq!(prefix("pythonic x"), Ok(Some("pythonic".into())));
        assert_eq!(prefix("envsubst a"), Ok(Some("envsubst".into())));
        assert_eq!(prefix("python3-config"), Ok(Some("python3-config".into())));
    }

    #[test]
    fn a_rule_never_matches_a_command_with_another_word_or_assignments_first() {
        let touch = rule_for("Bash", &bash("touch a"), nowhere()).unwrap();
        for command in [
            "X=1 rm -f victim.txt",
            "X=1 touch a",
            "PATH=. touch a",
            "LD_PRELOAD=x.so touch a",
            "X=1 touch; rm a",
            "touch a\rrm b",
            "/usr/bin/touch a",
            "env touch a",
        ] {
            assert!(
                !allows(&touch, "Bash", &bash(command), nowhere()),
                "{command}"
            );
        }
        assert!(allows(&touch, "Bash", &bash("  touch   b.txt"), nowhere()));
        // Rules an earlier Grove made, or hand-written ones, allow nothing they should not.
        let old = |prefix: &str| Rule {
            tool_name: "Bash".into(),
            prefix: Some(prefix.into()),
        };
        assert!(!allows(
            &old("X=1"),
            "Bash",
            &bash("X=1 rm -f victim.txt"),
            nowhere()
        ));
        assert!(!allows(
            &old("bash"),
            "Bash",
            &bash("bash -c 'rm x'"),
            nowhere()
        ));
        assert!(!allows(&old("./x"), "Bash", &bash("./x"), nowhere()));
        let any_bash = Rule {
            tool_name: "Bash".into(),
            prefix: None,
        };
        assert!(!allows(&any_bash, "Bash", &bash("touch a"), nowhere()));
        assert!(!allows(
            &touch,
            "Bash",
            &json!({"command": ["touch"]}),
            nowhere()
        ));
    }

    fn touch_rule() -> Rule {
        Rule {
            tool_name: "Bash".into(),
            prefix: Some("touch".into()),
        }
    }

    #[test]
    fn shell_syntax_outside_the_safe_set_is_never_offered_nor_matched() {
        let touch = touch_rule();
        for command in [
            // bash 5.2: both delete victim.txt through an expansion of a plain-looking word.
            r"touch ${x=$'\x24(rm\x20-f\x20victim.txt)'}${x@P}",
            r"touch ${x=$'a[\x24(rm\x20-f\x20victim.txt)]'}$[x]",
            // zsh: process substitution and a glob qualifier that runs code.
            "touch =(rm x)",
            "touch *(e:'rm x':)",
            "touch $HOME/x",
            "touch ~/x",
            "touch a*",
            "touch a?",
            "touch a[1]",
            "touch {a,b}",
            "touch 'a'",
            "touch \"a\"",
            "touch a\\ b",
            "touch !x",
            "touch a#b",
            "touch a^b",
            "touch é",
            "touch a\u{7F}",
            "touch a\u{2028}b",
            "touch a\u{E0041}",
        ] {
            assert!(
                !allows(&touch, "Bash", &bash(command), nowhere()),
                "{command}"
            );
            let why = prefix(command).unwrap_err();
            assert!(why.contains("shell syntax"), "{command}: {why}");
        }
        // Only space and tab separate words: other whitespace is part of the word.
        for command in [
            "touch\u{A0}x",
            "touch\u{3000}x",
            "touch\u{2003}x",
            "touch\u{0B}x",
            "touch\u{0C}x",
            "touch\u{85}x",
            "touch x\u{A0}",
        ] {
            assert!(
                !allows(&touch, "Bash", &bash(command), nowhere()),
                "{command:?}"
            );
            assert!(prefix(command).is_err(), "{command:?}");
        }
        // Plain words are as before.
        for command in [
            "touch a.txt",
            "touch src/a-b_c.rs x/y/z",
            "touch a=b x:y a,b u@h 50% +x --flag=1 -rf",
            "touch\ta\t b",
            "touch .gitignore",
        ] {
            assert!(
                allows(&touch, "Bash", &bash(command), nowhere()),
                "{command:?}"
            );
            assert_eq!(prefix(command), Ok(Some("touch".into())), "{command:?}");
        }
        for (command, word) in [
            ("mkdir -p a/b", "mkdir"),
            ("cat a", "cat"),
            ("ls -la", "ls"),
        ] {
            assert_eq!(prefix(command), Ok(Some(word.into())), "{command}");
        }
    }

    #[test]
    fn the_deny_list_ignores_case() {
        for command in [
            "BASH -c x",
            "Bash x",
            "SH x",
            "Python3 x",
            "RSCRIPT x",
            "ENV rm x",
            "Sudo rm x",
            "NPX x",
            "Find . -delete",
            "XARGS rm",
        ] {
            let why = prefix(command).unwrap_err();
            assert!(why.contains("runs other commands"), "{command}: {why}");
        }
    }

    #[test]
    fn builtins_and_programs_that_run_their_arguments_make_no_rule() {
        for command in [
            "trap x EXIT",
            "compgen -C x",
            "complete -C x y",
            "enable -f x.so y",
            "mapfile -C x",
            "readarray -C x",
            "fc -s",
            "bind -x x",
            "caffeinate rm x",
            "arch -x86_64 rm x",
            "npx x",
            "pnpx x",
            "bunx x",
            "find . -exec rm",
            "sed --expression=e",
            "tar --to-command=rm -xf a.tar",
            "make -f x",
            "alias touch=rm",
            "hash -p ./x touch",
            "export PATH=.",
            "declare -i x=y",
            "set -o x",
            "shopt -s x",
            "let x=y",
            "ssh -oProxyCommand=./x host",
            "rsync -e ./x a b",
            "docker run x",
            "uvx x",
            "open x.command",
            "repeat 3 rm x",
            "noglob rm x",
        ] {
            let why = prefix(command).unwrap_err();
            assert!(why.contains("runs other commands"), "{command}: {why}");
        }
    }

    #[test]
    fn toolchains_get_a_rule_per_subcommand() {
        for (command, rule) in [
            ("git status", "git status"),
            ("git diff --stat HEAD", "git diff"),
            ("git add .gitignore", "git add"),
            ("npm test", "npm test"),
            ("npm run build --silent", "npm run build"),
            ("pnpm test", "pnpm test"),
            ("yarn lint", "yarn lint"),
            ("cargo test -p x", "cargo test"),
            ("cargo run", "cargo run"),
            ("go test ./...", "go test"),
            ("go run .", "go run ."),
            ("GIT status", "GIT status"),
            ("uv run pytest -k x", "uv run pytest"),
            ("uv sync", "uv sync"),
            ("bundle install", "bundle install"),
        ] {
            assert_eq!(prefix(command), Ok(Some(rule.into())), "{command}");
        }
        let rule = |prefix: &str| Rule {
            tool_name: "Bash".into(),
            prefix: Some(prefix.into()),
        };
        let git_status = rule("git status");
        assert!(allows(
            &git_status,
            "Bash",
            &bash("git status --short"),
            nowhere()
        ));
        assert!(allows(&git_status, "Bash", &bash("git status"), nowhere()));
        for command in [
            "git diff",
            "git",
            "git -c core.pager=./x status",
            "git --exec-path=. status",
            "git -C /tmp status",
            "git status -c x",
            "git status --config-env=core.pager=X",
            "git status --exec=./x",
            "git statusx",
            "git  status --upload-pack=./x",
        ] {
            assert!(
                !allows(&git_status, "Bash", &bash(command), nowhere()),
                "{command}"
            );
        }
        let npm_build = rule("npm run build");
        assert!(allows(
            &npm_build,
            "Bash",
            &bash("npm run build -- --x"),
            nowhere()
        ));
        assert!(!allows(
            &npm_build,
            "Bash",
            &bash("npm run lint"),
            nowhere()
        ));
        assert!(!allows(
            &rule("npm run"),
            "Bash",
            &bash("npm run x"),
            nowhere()
        ));
        let npm_test = rule("npm test");
        assert!(!allows(
            &npm_test,
            "Bash",
            &bash("npm test --script-shell=./x"),
            nowhere()
        ));
        assert!(!allows(&npm_test, "Bash", &bash("npm exec x"), nowhere()));
        // Rules an earlier Grove made for the whole program match nothing now.
        assert!(!allows(
            &rule("git"),
            "Bash",
            &bash("git status"),
            nowhere()
        ));
        assert!(!allows(
            &rule("npm"),
            "Bash",
            &bash("npm exec rm"),
            nowhere()
        ));
    }

    #[test]
    fn toolchain_subcommands_and_options_that_run_programs_make_no_rule() {
        let refused = "\
git
git -c core.pager=./x log
git --exec-path=. log
git -C /tmp status
git config core.fsmonitor ./x
git config alias.x !rm
git rebase -x ./x main
git grep -O./x pattern
git grep -iO./x pattern
git log --open-files-in-pager=./x
git fetch --upload-pack=./x origin
git push --receive-pack=./x origin
git clone -u ./x a b
git submodule foreach rm
git difftool -x ./x
git bisect run rm
npm
npm exec rm
npm x rm
npm exe rm
npm conf set script-shell=./x
npm run
npm run -s build
npm explore x
npm init x
npm test --script-shell=./x
npm test --script_shell ./x
npm test --node-options=--require=./x
npm docs x --browser=./x
npm edit x --editor ./x
npm install --git=./x
npm config set script-shell ./x
pnpm exec rm
pnpm dlx x
yarn dlx x
yarn exec rm
yarn node x
yarn workspaces foreach run x
cargo install x
cargo test --config=target.x.runner=./x
cargo rustc -- -Clinker=./x
go env -w GOFLAGS=-toolexec=./x
go test -exec=./x
go build -toolexec=./x
go vet -vettool=./x
go build -ldflags=-extld=./x
go run
uv run
uv run -m x
uv tool run x
poetry shell
pipenv run
bundle exec rm";
        for command in refused.lines() {
            assert!(prefix(command).is_err(), "{command}");
        }
    }

    #[test]
    fn bash_rules_never_match_arguments_naming_git_or_agent_settings() {
        let touch = touch_rule();
        for command in [
            "touch .git/hooks/pre-commit",
            "touch .GIT/hooks/pre-commit",
            "touch ../repo/.git/config",
            "touch x --file=.git/config",
            "touch .claude/settings.local.json",
            "touch /home/u/.claude/settings.json",
            "touch .mcp.json",
            "touch .vscode/tasks.json",
            "touch .git",
        ] {
            assert!(
                !allows(&touch, "Bash", &bash(command), nowhere()),
                "{command}"
            );
            assert!(prefix(command).is_err(), "{command}");
        }
        for command in [
            "touch .gitignore",
            "touch .github/x",
            "touch a.git",
            "touch claude",
        ] {
            assert!(
                allows(&touch, "Bash", &bash(command), nowhere()),
                "{command}"
            );
        }
    }

    /// A worktree in a temporary folder, with a `.git` file as git makes one for a worktree.
    fn temp_worktree() -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!("grove-rules-{}", crate::store::nonce()));
        let wt = root.join("wt");
        std::fs::create_dir_all(wt.join("src")).unwrap();
        std::fs::create_dir_all(root.join("outside")).unwrap();
        std::fs::write(wt.join(".git"), "gitdir: /elsewhere\n").unwrap();
        std::fs::write(wt.join("src/a.rs"), "").unwrap();
        wt
    }

    #[test]
    fn file_tools_rules_allow_only_paths_inside_the_worktree_and_outside_git() {
        let wt = temp_worktree();
        let outside = wt.parent().unwrap().join("outside");
        std::os::unix::fs::symlink(&outside, wt.join("out")).unwrap();
        std::os::unix::fs::symlink(outside.join("new.txt"), wt.join("dangling")).unwrap();
        let at = |p: &std::path::Path| json!({"file_path": p.to_str().unwrap()});
        let write = rule_for("Write", &at(&wt.join("src/a.rs")), &wt).unwrap();
        assert_eq!(write.prefix, None);
        for inside in [
            at(&wt.join("src/a.rs")),
            at(&wt.join("src/new/deep/b.rs")),
            at(&wt.join("./src/c.rs")),
            at(&wt.join(".gitignore")),
        ] {
            assert!(allows(&write, "Write", &inside, &wt), "{inside}");
            assert!(rule_for("Write", &inside, &wt).is_ok(), "{inside}");
        }
        let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
        for outside in [
            at(&wt.join(".git")),
            at(&wt.join(".git/hooks/pre-commit")),
            at(&wt.join(".GIT/hooks/pre-commit")),
            at(&wt.join("src/../.git/config")),
            at(&wt.join("src/../../outside/x")),
            at(&wt.join("sub/.git/config")),
            at(&wt.join(".claude/settings.json")),
            at(&wt.join(".mcp.json")),
            at(&wt.join(".vscode/tasks.json")),
            at(&wt.join(".vſcode/tasks.json")),
            at(&wt.join(".g\u{200C}it/config")),
            at(&wt.join("out/x.txt")),
            at(&wt.join("dangling")),
            at(&outside.join("x")),
            json!({"file_path": format!("{home}/.claude/settings.json")}),
            json!({"file_path": "~/.claude/settings.json"}),
            json!({"file_path": "/etc/passwd"}),
            json!({"file_path": "../outside/x"}),
            json!({"file_path": "src/relative.rs"}),
            json!({"file_path": ""}),
            json!({"file_path": 3}),
            json!({}),
        ] {
            assert!(!allows(&write, "Write", &outside, &wt), "{outside}");
            let why = rule_for("Write", &outside, &wt).unwrap_err();
            assert!(why.contains("each time"), "{outside}: {why}");
        }
        // The same for every tool that writes a file; other tools are not limited.
        for (tool, field) in [
            ("Edit", "file_path"),
            ("MultiEdit", "file_path"),
            ("NotebookEdit", "notebook_path"),
        ] {
            let rule = Rule {
                tool_name: tool.into(),
                prefix: None,
            };
            let with = |p: std::path::PathBuf| {
                Value::Object(Map::from_iter([(
                    field.to_string(),
                    json!(p.to_str().unwrap()),
                )]))
            };
            let (good, bad) = (with(wt.join("src/a.rs")), with(wt.join(".git/hooks/x")));
            assert!(allows(&rule, tool, &good, &wt), "{tool}");
            assert!(!allows(&rule, tool, &bad, &wt), "{tool}");
            assert!(!allows(&rule, tool, &good, nowhere()), "{tool}");
        }
        // A request the rule would not cover is not offered it.
        let line = can_use_tool("Write", at(&wt.join(".git/hooks/pre-commit")));
        let ControlRequest::CanUseTool(tool) = parse_control_request(&line) else {
            panic!("a tool request");
        };
        let request = agent_request(("r", "w"), &wt, &tool, &HashMap::new(), String::new());
        assert!(!request.always_allow, "{request:?}");
        let _ = std::fs::remove_dir_all(wt.parent().unwrap());
    }

    #[test]
    fn property_a_touch_rule_allows_only_safe_words_starting_with_touch() {
        let safe = |c: char| c.is_ascii_alphanumeric() || "._/=:,@%+-".contains(c);
        let piece = prop_oneof![
            Just("touch".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            "[a-z./=:,@%+-]{0,4}",
            "[ -~]{0,4}",
            ".{0,3}",
            Just("$(".to_string()),
            Just("${x@P}".to_string()),
            Just("\u{A0}".to_string()),
        ];
        let command = proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat());
        TestRunner::new(Config::with_cases(10_000))
            .run(&command, |command| {
                let tail = format!("touch {command}");
                for c in [command.as_str(), tail.as_str()] {
                    if allows(&touch_rule(), "Bash", &bash(c), nowhere()) {
                        let words: Vec<&str> =
                            c.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
                        prop_assert_eq!(words.first().copied(), Some("touch"), "{:?}", c);
                        prop_assert!(
                            c.chars().all(|ch| ch == ' ' || ch == '\t' || safe(ch)),
                            "{:?}",
                            c
                        );
                    }
                }
                Ok(())
            })
            .unwrap();
    }

    fn params(behavior: &str, extra: Value) -> AgentRespondParams {
        let mut p = json!({"runId": "r", "requestId": "q", "behavior": behavior});
        for (k, v) in extra.as_object().unwrap() {
            p[k] = v.clone();
        }
        serde_json::from_value(p).unwrap()
    }

    fn request_of(line: Value) -> (AgentRequest, Value) {
        let ControlRequest::CanUseTool(tool) = parse_control_request(&line) else {
            panic!("not a tool request: {line}");
        };
        let request = agent_request(("r", "w"), nowhere(), &tool, &HashMap::new(), String::new());
        (request, tool.input)
    }

    fn can_use_tool(tool_name: &str, input: Value) -> Value {
        json!({"type": "control_request", "request_id": "q", "request": {
            "subtype": "can_use_tool", "tool_name": tool_name, "input": input}})
    }

    #[test]
    fn malformed_answers_are_refused_with_the_reason_at_parse_time() {
        let refused = |p: Value| {
            serde_json::from_value::<AgentRespondParams>(p)
                .unwrap_err()
                .to_string()
        };
        let base = json!({"runId": "r", "requestId": "q", "behavior": "allow"});
        let with = |k: &str, v: Value| {
            let mut p = base.clone();
            p[k] = v;
            p
        };
        let why = refused(with("updatedInput", json!("a string")));
        assert!(why.contains("updatedInput must be a JSON object"), "{why}");
        assert!(why.contains("not a string"), "{why}");
        assert!(refused(with("updatedInput", json!([1]))).contains("an array"));
        let why = refused(with("answers", json!({"Which color?": 3})));
        assert!(why.contains("\"Which color?\" is a number"), "{why}");
        assert!(refused(with("answers", json!("Blue"))).contains("not a string"));
        let ok: AgentRespondParams =
            serde_json::from_value(with("updatedInput", Value::Null)).unwrap();
        assert_eq!(ok.updated_input, None);
    }

    #[test]
    fn answers_go_with_the_questions_in_the_order_asked() {
        let questions = json!({"questions": [{"question": "Size?"}, {"question": "Color?"}]});
        let (request, original) = request_of(can_use_tool("AskUserQuestion", questions));
        assert!(!request.always_allow);
        assert!(request.always_allow_why.is_some());
        let p = params(
            "allow",
            json!({"answers": {"Color?": "Blue", "Size?": "L"}}),
        );
        let a = answer(&request, &original, &p).unwrap();
        let line: Value = serde_json::from_str(&a.line).unwrap();
        let sent = &line["response"]["response"]["updatedInput"]["answers"];
        let keys: Vec<&String> = sent.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Size?", "Color?"]);
        assert_eq!((a.rule, a.outcome), (None, "allow"));
        // A question whose input the CLI sent as something else is refused, not a panic.
        let (request, original) = request_of(can_use_tool("AskUserQuestion", json!("odd")));
        let err = answer(&request, &original, &p).unwrap_err();
        assert_eq!(err.code(), -32602);
    }

    #[test]
    fn allow_always_is_refused_where_it_is_not_offered() {
        let (request, original) = request_of(can_use_tool("Bash", bash("bash -c 'touch x'")));
        assert!(!request.always_allow && request.always_allow_rule.is_none());
        let why = request.always_allow_why.clone().unwrap();
        assert!(why.contains("“bash”"), "{why}");
        let err = answer(&request, &original, &params("allowAlways", json!({}))).unwrap_err();
        assert_eq!(err.code(), -32602);
        assert!(err.to_string().contains(&why), "{err}");
        let (request, original) = request_of(can_use_tool("Bash", bash("X=1 touch made.txt")));
        let a = answer(&request, &original, &params("allowAlways", json!({}))).unwrap();
        assert_eq!(a.outcome, "allowAlways");
        assert_eq!(a.rule.and_then(|r| r.prefix).as_deref(), Some("touch"));
        let edited = params("allow", json!({"updatedInput": {"command": "touch y"}}));
        let a = answer(&request, &original, &edited).unwrap();
        assert!(a.line.contains(r#""updatedInput":{"command":"touch y"}"#));
    }

    #[test]
    fn lines_the_cli_reads() {
        let v: Value = serde_json::from_str(&deny_line("r1", "no")).unwrap();
        assert_eq!(v["response"]["response"]["behavior"], "deny");
        assert_eq!(v["response"]["request_id"], "r1");
        let other =
            json!({"type": "control_request", "request_id": "i1", "request": {"subtype": "hook"}});
        assert_eq!(
            parse_control_request(&other),
            ControlRequest::Other {
                request_id: "i1".into(),
                subtype: "hook".into()
            }
        );
    }

    /// Any JSON value, up to a few levels deep, with the field names the parsers look for.
    fn any_json() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            Just("command".to_string()),
            Just("questions".to_string()),
            Just("question".to_string()),
            Just("answers".to_string()),
            Just("input".to_string()),
            ".{0,6}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<f64>().prop_map(|f| json!(f)),
            any::<i64>().prop_map(Value::from),
            prop_oneof![
                Just("X=1 touch a".to_string()),
                Just("bash -c x".to_string()),
                ".{0,12}"
            ]
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec((key.clone(), inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn property_arbitrary_requests_and_answers_never_panic() {
        let tool_name = prop_oneof![
            Just(Value::from("Bash")),
            Just(Value::from("AskUserQuestion")),
            Just(Value::from("ExitPlanMode")),
            Just(Value::from("Write")),
            any_json(),
        ];
        let answers = prop_oneof![
            proptest::collection::btree_map(".{0,8}", ".{0,8}", 0..3).prop_map(|m| json!(m)),
            any_json(),
        ];
        let behavior = prop_oneof![
            Just(json!("allow")),
            Just(json!("deny")),
            Just(json!("allowAlways")),
            any_json(),
        ];
        let updated = prop_oneof![
            Just(Value::Null),
            proptest::collection::vec((".{0,6}", any_json()), 0..3)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            any_json(),
        ];
        let message = prop_oneof![
            Just(Value::Null),
            ".{0,8}".prop_map(Value::from),
            any_json()
        ];
        let strategy = (
            tool_name,
            any_json(),
            any_json(),
            behavior,
            updated,
            answers,
            message,
        );
        TestRunner::new(Config::with_cases(10_000))
            .run(
                &strategy,
                |(tool_name, input, rest, behavior, updated, answers, message)| {
                    let line = json!({"type": "control_request", "request_id": rest["id"].clone(),
                        "request": {"subtype": "can_use_tool", "tool_name": tool_name,
                            "input": input, "description": rest["d"].clone(),
                            "tool_use_id": rest["t"].clone(), "permission_suggestions": rest}});
                    let ControlRequest::CanUseTool(tool) = parse_control_request(&line) else {
                        return Err(TestCaseError::fail("a can_use_tool request"));
                    };
                    let plans = HashMap::from([(String::new(), rest.clone())]);
                    let request =
                        agent_request(("r", "w"), nowhere(), &tool, &plans, String::new());
                    prop_assert_eq!(request.always_allow, request.always_allow_rule.is_some());
                    prop_assert_eq!(request.always_allow, request.always_allow_why.is_none());
                    let _ = parse_control_request(&rest);
                    if let Some(rule) = &request.always_allow_rule {
                        prop_assert!(request.tool_name != "Bash" || rule.prefix.is_some());
                        let _ = allows(rule, &request.tool_name, &tool.input, nowhere());
                    }
                    let params = json!({"runId": "r", "requestId": tool.request_id,
                        "behavior": behavior, "updatedInput": updated, "answers": answers,
                        "message": message});
                    if let Ok(p) = serde_json::from_value::<AgentRespondParams>(params)
                        && let Ok(a) = answer(&request, &tool.input, &p)
                    {
                        prop_assert!(serde_json::from_str::<Value>(&a.line).is_ok());
                        prop_assert!(a.rule.is_none() || request.always_allow);
                    }
                    Ok(())
                },
            )
            .unwrap();
    }
}
