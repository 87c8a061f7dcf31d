//! `grove/auth/validate`: one minimal authenticated CLI request (no tools, no MCP, no session, the
//! smallest model, a one-cent budget) that catches what `claude auth status` cannot see, such as a
//! revoked token. An authentication failure ends it at its first sign, not after the CLI's retries.

use std::process::Stdio;
use std::time::Duration;

use super::auth::Auth;
use super::auth_failure::{classify_event, classify_text};
use crate::cli::Cli;
use crate::error::Result;
use crate::process::RunEnv;
use crate::protocol::{AuthValidateResult, FailureSource};
use crate::redact::redact;
use crate::{cli, process};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};

const LIMIT: Duration = Duration::from_secs(30);
const PROMPT: &str = "Reply with exactly: OK";

/// How a validation ended.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Ok,
    AuthFailed(String),
    Failed(String),
}

pub async fn validate(cli: &Cli, auth: &Auth) -> Result<AuthValidateResult> {
    let outcome = attempt(cli, &RunEnv::default(), "haiku").await?;
    tracing::info!(?outcome, "validated the CLI's credentials");
    Ok(match outcome {
        Outcome::Ok => {
            auth.clear_failure().await;
            AuthValidateResult {
                ok: true,
                message: None,
            }
        }
        Outcome::AuthFailed(message) => {
            auth.record_failure(FailureSource::Validate, &message).await;
            AuthValidateResult {
                ok: false,
                message: Some(redact(&message)),
            }
        }
        Outcome::Failed(message) => AuthValidateResult {
            ok: false,
            message: Some(redact(&message)),
        },
    })
}

/// The minimal request with `model`, the CLI's environment changed by `env` (an auth profile's).
pub async fn attempt(cli: &Cli, env: &RunEnv, model: &str) -> Result<Outcome> {
    let path = cli.resolve(&super::BINARY).await?;
    let mut cmd = cli::command(&path);
    env.apply(&mut cmd);
    cmd.args(["-p", PROMPT, "--output-format", "stream-json", "--verbose"])
        .args(["--no-session-persistence", "--disable-slash-commands"])
        .args([
            "--strict-mcp-config",
            "--mcp-config",
            r#"{"mcpServers":{}}"#,
        ])
        .args(["--tools", "", "--model", model, "--max-budget-usd", "0.01"])
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cli::spawn(&mut cmd, &path)?;
    let stdout = child.stdout.take().map(|o| BufReader::new(o).lines());
    let stderr = child.stderr.take().map(|e| BufReader::new(e).lines());
    let outcome = tokio::time::timeout(LIMIT, read_outcome(stdout, stderr))
        .await
        .unwrap_or_else(|_| {
            Outcome::Failed(format!(
                "Claude Code did not answer within {} s.",
                LIMIT.as_secs()
            ))
        });
    process::stop_group(&mut child, Duration::from_millis(500)).await;
    Ok(outcome)
}

type Lines<R> = Option<tokio::io::Lines<BufReader<R>>>;

async fn read_outcome<O, E>(stdout: Lines<O>, stderr: Lines<E>) -> Outcome
where
    O: tokio::io::AsyncRead + Unpin,
    E: tokio::io::AsyncRead + Unpin + Send + 'static,
{
    // stderr is read alongside, so a chatty CLI never blocks on a full pipe.
    let stderr_task = tokio::spawn(async move {
        // The last line that speaks of credentials, else the last line with anything in it.
        let (mut auth_line, mut last) = (None, None);
        if let Some(mut lines) = stderr {
            while let Ok(Some(line)) = lines.next_line().await {
                if classify_text(&line).is_some() {
                    auth_line = Some(line);
                } else if !line.trim().is_empty() {
                    last = Some(line);
                }
            }
        }
        auth_line.or(last)
    });
    if let Some(mut lines) = stdout {
        while let Ok(Some(line)) = lines.next_line().await {
            let Ok(event) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            if let Some(message) = classify_event(&event) {
                stderr_task.abort();
                return Outcome::AuthFailed(message);
            }
            if event["type"] == "result" {
                stderr_task.abort();
                return result_outcome(&event);
            }
        }
    }
    let last = stderr_task.await.ok().flatten().unwrap_or_default();
    match classify_text(&last) {
        Some(message) => Outcome::AuthFailed(message),
        None if last.trim().is_empty() => {
            Outcome::Failed("Claude Code exited without an answer.".into())
        }
        None => Outcome::Failed(last.trim().to_string()),
    }
}

/// A result proves the credentials unless it is an error; running out of the tiny budget still
/// means the API accepted them.
fn result_outcome(event: &Value) -> Outcome {
    if event["is_error"] != true || event["subtype"] == "error_max_budget_usd" {
        return Outcome::Ok;
    }
    let text = event["result"]
        .as_str()
        .unwrap_or("Claude Code reported an error.");
    Outcome::Failed(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn outcome_of(stdout: &'static str, stderr: &'static str) -> Outcome {
        read_outcome(
            Some(BufReader::new(stdout.as_bytes()).lines()),
            Some(BufReader::new(stderr.as_bytes()).lines()),
        )
        .await
    }

    #[tokio::test]
    async fn recorded_streams_give_the_right_outcome() {
        let ok =
            include_str!("../../../../tests/fixtures/claude-code-2.1.329/stream-write-tool.jsonl");
        assert_eq!(outcome_of(ok, "").await, Outcome::Ok);
        let out = include_str!(
            "../../../../tests/fixtures/claude-code-2.1.329/stream-not-logged-in.jsonl"
        );
        assert_eq!(
            outcome_of(out, "").await,
            Outcome::AuthFailed("Not logged in · Please run /login".into())
        );
        let retry = include_str!(
            "../../../../tests/fixtures/claude-code-2.1.329/stream-401-retrying.jsonl"
        );
        assert!(matches!(
            outcome_of(retry, "").await,
            Outcome::AuthFailed(_)
        ));
    }

    #[tokio::test]
    async fn budget_exhaustion_still_proves_the_credentials_and_stderr_is_classified() {
        let budget =
            "{\"type\":\"result\",\"subtype\":\"error_max_budget_usd\",\"is_error\":true}\n";
        assert_eq!(outcome_of(budget, "").await, Outcome::Ok);
        assert!(matches!(
            outcome_of("", "Invalid API key · Fix external API key\n").await,
            Outcome::AuthFailed(_)
        ));
        assert_eq!(
            outcome_of("", "boom\n").await,
            Outcome::Failed("boom".into())
        );
    }
}
