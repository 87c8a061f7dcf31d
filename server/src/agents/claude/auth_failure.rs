//! The one place that decides whether CLI output means "the credentials failed": structured
//! stream-json signals first, then the CLI's known wording. Sign-in validation, agent runs and
//! usage all report through it.

use serde_json::Value;

/// Phrases the CLI and the API use when credentials are missing, expired, revoked or rejected.
const PHRASES: &[&str] = &[
    "not logged in",
    "please run /login",
    "invalid authentication credentials",
    "invalid x-api-key",
    "authentication_error",
    "authentication_failed",
    "token refresh failed",
    "expired or been revoked",
    "oauth token has expired",
    "invalid api key",
];

/// What is shown when a signal carries no words of its own.
const REJECTED: &str = "The Anthropic API rejected Claude Code's credentials (HTTP 401).";

/// A stream-json line from `claude -p --output-format stream-json`: `Some(message)` when it
/// reports an authentication failure.
pub fn classify_event(event: &Value) -> Option<String> {
    let kind = event["type"].as_str().unwrap_or("");
    let subtype = event["subtype"].as_str().unwrap_or("");
    if kind == "system" && subtype == "api_retry" {
        let status = event["error_status"].as_i64();
        if status == Some(401) || event["error"] == "authentication_failed" {
            return Some(REJECTED.to_string());
        }
        return None;
    }
    if event["error"] == "authentication_failed" {
        return Some(assistant_text(event).unwrap_or_else(|| REJECTED.to_string()));
    }
    if kind == "result" && event["is_error"] == true {
        let text = event["result"].as_str().unwrap_or("");
        if event["api_error_status"].as_i64() == Some(401) {
            return Some(if text.is_empty() {
                REJECTED.to_string()
            } else {
                text.to_string()
            });
        }
        return classify_text(text);
    }
    None
}

/// A plain line (stderr, or a result text): `Some(line)` when it speaks of failed credentials.
pub fn classify_text(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    PHRASES
        .iter()
        .any(|p| lower.contains(p))
        .then(|| line.trim().to_string())
}

fn assistant_text(event: &Value) -> Option<String> {
    let text: Vec<&str> = event["message"]["content"]
        .as_array()?
        .iter()
        .filter_map(|block| block["text"].as_str())
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(name: &str) -> Vec<Value> {
        crate::fixtures::lines(name)
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn a_401_retry_is_an_auth_failure_at_its_first_line() {
        let events = lines("stream-401-retrying.jsonl");
        assert_eq!(classify_event(&events[0]), None, "init is not a failure");
        assert_eq!(classify_event(&events[1]).as_deref(), Some(REJECTED));
    }

    #[test]
    fn not_logged_in_is_an_auth_failure_with_the_cli_words() {
        let events = lines("stream-not-logged-in.jsonl");
        assert_eq!(
            classify_event(&events[1]).as_deref(),
            Some("Not logged in · Please run /login")
        );
        assert_eq!(
            classify_event(&events[2]).as_deref(),
            Some("Not logged in · Please run /login")
        );
    }

    #[test]
    fn a_good_run_has_no_auth_failure() {
        for name in [
            "stream-write-tool.jsonl",
            "stream-resume.jsonl",
            "stream-write-tool-partial.jsonl",
        ] {
            assert!(
                lines(name).iter().all(|e| classify_event(e).is_none()),
                "{name}"
            );
        }
    }

    #[test]
    fn other_retries_and_errors_are_not_auth_failures() {
        let retry = serde_json::json!({"type":"system","subtype":"api_retry","error_status":529,"error":"overloaded"});
        assert_eq!(classify_event(&retry), None);
        let result =
            serde_json::json!({"type":"result","is_error":true,"result":"Rate limit reached"});
        assert_eq!(classify_event(&result), None);
        assert!(classify_text("OAuth token has expired. Please obtain a new token").is_some());
        assert!(classify_text("all good").is_none());
    }
}
