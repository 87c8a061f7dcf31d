//! `grove-server profiles status [--json] [--check] [--<agent>-path PATH]`: the profile listing in
//! a terminal, read from the same store the sidecars share (an agent CLI's binary given by its
//! `--<agent>-path`). `--check` exits 0 when all is well, 1 when a profile is expired or missing,
//! 2 when one expires within 24 hours.

use std::io::Write;
use std::sync::Arc;

use crate::agents::registry;
use crate::protocol::{Profile, ProfileStatus, ProfilesList};

/// How the command is called.
pub fn usage() -> String {
    let paths: Vec<String> = registry::adapters()
        .iter()
        .map(|a| format!(" [--{}-path PATH]", a.id()))
        .collect();
    format!(
        "usage: grove-server profiles status [--json] [--check]{}",
        paths.concat()
    )
}

/// Runs the command; returns the process's exit code.
pub fn main(args: &[String]) -> i32 {
    let (mut json, mut check) = (false, false);
    let mut paths = std::collections::HashMap::new();
    let mut rest = args.iter();
    if rest.next().map(String::as_str) != Some("status") {
        let _ = writeln!(std::io::stderr(), "{}", usage());
        return 64;
    }
    while let Some(a) = rest.next() {
        let agent = a
            .strip_prefix("--")
            .and_then(|a| a.strip_suffix("-path"))
            .and_then(registry::adapter);
        match (a.as_str(), agent) {
            ("--json", _) => json = true,
            ("--check", _) => check = true,
            (_, Some(agent)) => {
                if let Some(path) = rest.next() {
                    paths.insert(agent.binary().setting.to_string(), path.clone());
                }
            }
            (other, None) => {
                let _ = writeln!(std::io::stderr(), "unknown argument {other:?}\n{}", usage());
                return 64;
            }
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let listing = runtime.block_on(listing(paths));
    let list = match listing {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "grove-server: {e}");
            return 70;
        }
    };
    let out = if json {
        serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
    } else {
        table(&list)
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    if check { exit_code(&list.profiles) } else { 0 }
}

async fn listing(
    paths: std::collections::HashMap<String, String>,
) -> Result<ProfilesList, crate::error::Error> {
    let notifier = crate::notifier::Notifier::new(crate::notifier::Discard);
    let cli = Arc::new(crate::cli::Cli::default());
    cli.set_paths(paths);
    let default_sign_in = Arc::new(registry::DefaultSignIn::new(notifier.clone(), cli.clone()));
    // Not installed or not answering: the CLI's own profile reads "missing".
    let _ = default_sign_in.refresh().await;
    let cx = crate::agents::adapter::OwnCx {
        cli,
        default_sign_in,
    };
    let profiles = super::Profiles::new(notifier, &cx, crate::store::state_dir());
    profiles.detect().await?;
    profiles.list().await
}

/// 1 when a profile is expired or missing, else 2 when one is expiring, else 0. `checking` (which
/// the command waits past) and `unusable` (an entry this Grove cannot run) change nothing.
pub fn exit_code(profiles: &[Profile]) -> i32 {
    let any = |s: &[ProfileStatus]| profiles.iter().any(|p| s.contains(&p.status));
    if any(&[ProfileStatus::Expired, ProfileStatus::Missing]) {
        1
    } else if any(&[ProfileStatus::Expiring]) {
        2
    } else {
        0
    }
}

fn word(s: ProfileStatus) -> &'static str {
    match s {
        ProfileStatus::Ok => "ok",
        ProfileStatus::Expiring => "expiring",
        ProfileStatus::Expired => "expired",
        ProfileStatus::Static => "static",
        ProfileStatus::Missing => "missing",
        ProfileStatus::Cooldown => "cooldown",
        ProfileStatus::Unreachable => "unreachable",
        ProfileStatus::Checking => "checking",
        ProfileStatus::Unusable => "unusable",
    }
}

/// One row per profile, in each provider's order.
pub fn table(list: &ProfilesList) -> String {
    let rows: Vec<[String; 5]> = list
        .profiles
        .iter()
        .map(|p| {
            let kind = serde_json::to_value(p.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let when = p
                .cooldown_until
                .as_deref()
                .or(p.expires_at.as_deref())
                .unwrap_or("-")
                .to_string();
            let detail = match &p.last_failure {
                Some(f) if p.status == ProfileStatus::Cooldown => {
                    format!("{} ({})", f.message, f.at)
                }
                _ => p.detail.clone().unwrap_or_default(),
            };
            [p.id.clone(), kind, word(p.status).into(), when, detail]
        })
        .collect();
    let head = ["PROFILE", "TYPE", "STATUS", "EXPIRES/UNTIL", "DETAIL"].map(String::from);
    let mut widths = [0; 4];
    for r in std::iter::once(&head).chain(&rows) {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in std::iter::once(&head).chain(&rows) {
        for (c, w) in r.iter().zip(widths) {
            out.push_str(&format!("{c:<w$}  "));
        }
        out.push_str(&r[4]);
        out.push('\n');
    }
    if list
        .profiles
        .iter()
        .all(|p| registry::is_own_profile(&p.id))
    {
        out.push_str(
            "\nOnly the agent CLIs' own sign-ins: add profiles in the editor's Account view.\n",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ProfileType;

    fn with(status: ProfileStatus) -> Profile {
        Profile {
            id: "anthropic:claude-cli".into(),
            provider: "anthropic".into(),
            kind: ProfileType::Cli,
            label: None,
            base_url: None,
            status,
            expires_at: None,
            cooldown_until: None,
            last_used: None,
            last_failure: None,
            detail: Some("Checking the claude CLI's sign-in…".into()),
            models: None,
            agents: Vec::new(),
        }
    }

    #[test]
    fn checking_and_unusable_are_shown_and_change_no_exit_code() {
        for (status, word) in [
            (ProfileStatus::Checking, "checking"),
            (ProfileStatus::Unusable, "unusable"),
        ] {
            let list = ProfilesList {
                profiles: vec![with(status)],
                ..ProfilesList::default()
            };
            let row = table(&list);
            assert!(row.lines().nth(1).unwrap().contains(word), "{row}");
            assert_eq!(exit_code(&list.profiles), 0);
        }
        assert_eq!(exit_code(&[with(ProfileStatus::Missing)]), 1);
    }
}
