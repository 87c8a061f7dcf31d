//! What a profile is good for right now, computed from the store, the clock, the CLI's sign-in and
//! the last answer of each endpoint; the order a provider's profiles are tried in; cooldowns.

use std::collections::{BTreeMap, HashMap};

use super::store::{Credential, Document, Failure, Unusable, UsageStats};
use crate::protocol::{Profile, ProfileFailure, ProfileStatus, ProfileType};

const DAY_MS: u64 = 24 * 3600 * 1000;
const MINUTE_MS: u64 = 60 * 1000;

/// An agent CLI's own sign-in as listed: its profile, its status and the words for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Own {
    pub id: String,
    pub status: ProfileStatus,
    pub detail: Option<String>,
}

/// What the status depends on besides the store.
pub struct Facts<'a> {
    pub now: u64,
    /// The agent CLIs' own sign-ins to list (of installed CLIs; the default's always), in the
    /// registry's order.
    pub own: &'a [Own],
    /// Per endpoint base URL: the models it served, or None when it did not answer.
    pub reach: &'a HashMap<String, Option<Vec<String>>>,
}

/// A stored time (milliseconds since the epoch) as RFC 3339; anything past the year 9999 (a
/// hand-edited store, a hostile import, a token's `exp`) is shown as its last second, never a
/// panic.
pub fn rfc3339(ms: u64) -> String {
    crate::clock::rfc3339_seconds(ms)
}

fn in_words(ms: u64) -> String {
    let mins = ms / MINUTE_MS;
    match mins {
        0 => "less than a minute".into(),
        1..=119 => format!("{mins} min"),
        _ if mins < 48 * 60 => format!("{} h", mins / 60),
        _ => format!("{} days", mins / (24 * 60)),
    }
}

/// A profile as the client sees it.
pub fn profile(
    id: &str,
    cred: Option<&Credential>,
    usage: Option<&UsageStats>,
    f: &Facts,
) -> Profile {
    let provider = id.split(':').next().unwrap_or_default().to_string();
    let kind = cred.and_then(|c| c.kind).unwrap_or(ProfileType::Cli);
    let mut p = Profile {
        id: id.to_string(),
        provider,
        kind,
        label: cred.and_then(|c| c.label.clone()),
        base_url: cred.and_then(|c| c.base_url.clone()),
        status: ProfileStatus::Static,
        expires_at: None,
        cooldown_until: None,
        last_used: usage.and_then(|u| u.last_used).map(rfc3339),
        last_failure: usage
            .and_then(|u| u.last_failure.as_ref())
            .map(|l| ProfileFailure {
                message: l.message.clone(),
                at: rfc3339(l.at),
            }),
        detail: None,
        models: None,
        agents: Vec::new(),
    };
    let (status, detail) = base_status(cred, f, &mut p);
    let cooling = usage
        .and_then(|u| u.cooldown_until)
        .filter(|until| *until > f.now);
    p.cooldown_until = cooling.map(rfc3339);
    (p.status, p.detail) = match (status, cooling) {
        (ProfileStatus::Missing | ProfileStatus::Expired | ProfileStatus::Unusable, _) => {
            (status, detail)
        }
        (_, Some(until)) => (
            ProfileStatus::Cooldown,
            Some(format!(
                "Failed recently; skipped for {}",
                in_words(until - f.now)
            )),
        ),
        _ => (status, detail),
    };
    p
}

fn base_status(
    cred: Option<&Credential>,
    f: &Facts,
    p: &mut Profile,
) -> (ProfileStatus, Option<String>) {
    let Some(c) = cred else {
        return match f.own.iter().find(|o| o.id == p.id) {
            Some(o) => (o.status, o.detail.clone()),
            None => (ProfileStatus::Static, None),
        };
    };
    if !c.has_secret() {
        return (
            ProfileStatus::Missing,
            Some("Its secret is missing: add the profile again.".into()),
        );
    }
    if c.kind == Some(ProfileType::Endpoint) {
        let url = c.base_url.clone().unwrap_or_default();
        return match f.reach.get(&url) {
            Some(None) => (
                ProfileStatus::Unreachable,
                Some(format!("{url} did not answer")),
            ),
            Some(Some(models)) => {
                p.models = Some(models.clone());
                (
                    ProfileStatus::Static,
                    Some(match models.len() {
                        1 => format!("{url} · 1 model"),
                        n => format!("{url} · {n} models"),
                    }),
                )
            }
            None => (ProfileStatus::Static, Some(url)),
        };
    }
    if c.rest.get("refreshRejected") == Some(&serde_json::Value::Bool(true)) {
        return (
            ProfileStatus::Expired,
            Some("The sign-in expired and could not be renewed: sign in again".into()),
        );
    }
    let refreshable =
        c.kind == Some(ProfileType::Oauth) && c.refresh.as_deref().is_some_and(|r| !r.is_empty());
    let Some(expires) = c.expires.filter(|_| c.kind != Some(ProfileType::ApiKey)) else {
        return (ProfileStatus::Static, None);
    };
    p.expires_at = Some(rfc3339(expires));
    if refreshable {
        return (ProfileStatus::Ok, Some("Renewed automatically".into()));
    }
    if expires <= f.now {
        (ProfileStatus::Expired, Some("Expired: replace it".into()))
    } else if expires - f.now < DAY_MS {
        (
            ProfileStatus::Expiring,
            Some(format!("Expires in {}", in_words(expires - f.now))),
        )
    } else {
        (
            ProfileStatus::Ok,
            Some(format!("Expires in {}", in_words(expires - f.now))),
        )
    }
}

/// An entry Grove cannot run, as the client sees it: `unusable`, with why.
pub fn unusable(id: &str, u: &Unusable) -> Profile {
    let kind = u
        .raw
        .get("type")
        .and_then(|t| serde::Deserialize::deserialize(t).ok())
        .unwrap_or(ProfileType::Unknown);
    let label = u.raw.get("label").and_then(|l| l.as_str());
    Profile {
        id: id.to_string(),
        provider: id.split(':').next().unwrap_or_default().to_string(),
        kind,
        label: super::input::check_label(label).ok().flatten(),
        base_url: None,
        status: ProfileStatus::Unusable,
        expires_at: None,
        cooldown_until: None,
        last_used: None,
        last_failure: None,
        detail: Some(u.why.clone()),
        models: None,
        agents: Vec::new(),
    }
}

/// Whether a run may pick this profile on its own (the CLI's own sign-in while it is checked,
/// too: a run does not wait for the check, and it would take it afterwards).
pub fn usable(s: ProfileStatus) -> bool {
    matches!(
        s,
        ProfileStatus::Ok
            | ProfileStatus::Static
            | ProfileStatus::Expiring
            | ProfileStatus::Checking
    )
}

fn rank(kind: Option<ProfileType>) -> u8 {
    match kind {
        None | Some(ProfileType::Cli) => 0,
        Some(ProfileType::Oauth) => 1,
        Some(ProfileType::Token) => 2,
        Some(ProfileType::ApiKey) => 3,
        Some(ProfileType::Endpoint) => 4,
        Some(ProfileType::Unknown) => 5,
    }
}

/// Every provider's profiles in order: its explicit order first (ids that exist), then the rest:
/// the CLI's own sign-in, OAuth, tokens, API keys, endpoints, least recently used first.
pub fn order(doc: &Document, own: &[Own]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let exists = |id: &str| own.iter().any(|o| o.id == id) || doc.has(id);
    for (provider, ids) in &doc.order {
        let list = out.entry(provider.clone()).or_default();
        for id in ids {
            if exists(id) && id.starts_with(&format!("{provider}:")) && !list.contains(id) {
                list.push(id.clone());
            }
        }
    }
    let mut rest: Vec<(&str, Option<ProfileType>)> =
        own.iter().map(|o| (o.id.as_str(), None)).collect();
    rest.extend(doc.profiles.iter().map(|(id, c)| (id.as_str(), c.kind)));
    rest.extend(
        doc.unusable
            .keys()
            .filter(|id| !doc.profiles.contains_key(*id))
            .map(|id| (id.as_str(), Some(ProfileType::Unknown))),
    );
    let used = |id: &str| doc.usage.get(id).and_then(|u| u.last_used).unwrap_or(0);
    rest.sort_by_key(|(id, kind)| (rank(*kind), used(id), id.to_string()));
    for (id, _) in rest {
        let provider = id.split(':').next().unwrap_or_default();
        let list = out.entry(provider.to_string()).or_default();
        if !list.iter().any(|i| i == id) {
            list.push(id.to_string());
        }
    }
    out.retain(|_, ids| !ids.is_empty());
    out
}

/// Every profile of the store and the CLIs' own, in each provider's order, as the client sees
/// them.
pub fn list(doc: &Document, f: &Facts) -> (BTreeMap<String, Vec<String>>, Vec<Profile>) {
    let order = order(doc, f.own);
    let profiles = order
        .values()
        .flatten()
        .map(|id| {
            if let Some(u) = doc
                .unusable
                .get(id)
                .filter(|_| !doc.profiles.contains_key(id))
            {
                return unusable(id, u);
            }
            profile(id, doc.profiles.get(id), doc.usage.get(id), f)
        })
        .collect();
    (order, profiles)
}

/// The profile to use among `ordered` (first usable, else the first): (id, whether usable).
pub fn pick(ordered: &[Profile]) -> Option<&Profile> {
    ordered
        .iter()
        .find(|p| usable(p.status))
        .or_else(|| ordered.first())
}

/// Cooldown after the n-th failure in a row: 1, 5, 25, then 60 minutes.
pub fn cooldown_ms(failures: u32) -> u64 {
    let n = failures.clamp(1, 4) - 1;
    (5u64.pow(n) * MINUTE_MS).min(60 * MINUTE_MS)
}

/// Records a failure: the count goes up (from zero again after a quiet day) and the cooldown
/// starts.
pub fn fail(stats: &mut UsageStats, message: &str, now: u64) {
    let quiet = stats
        .last_failure
        .as_ref()
        .is_none_or(|l| now.saturating_sub(l.at) > DAY_MS);
    // The count and the time come from the store, which may hold anything: saturating.
    stats.error_count = if quiet {
        1
    } else {
        stats.error_count.saturating_add(1)
    };
    stats.cooldown_until = Some(now.saturating_add(cooldown_ms(stats.error_count)));
    stats.last_failure = Some(Failure {
        message: message.to_string(),
        at: now,
    });
}

/// A success ends the cooldown and the count.
pub fn succeed(stats: &mut UsageStats) {
    stats.error_count = 0;
    stats.cooldown_until = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cred(kind: ProfileType) -> Credential {
        Credential {
            kind: Some(kind),
            provider: "anthropic".into(),
            token: Some("t".into()),
            key: Some("k".into()),
            ..Credential::default()
        }
    }

    fn status_of(c: &Credential, u: Option<&UsageStats>, now: u64) -> ProfileStatus {
        let reach = HashMap::new();
        let f = Facts {
            now,
            own: &[],
            reach: &reach,
        };
        profile("anthropic:x", Some(c), u, &f).status
    }

    #[test]
    fn statuses_never_call_an_expired_profile_ok() {
        let now = 1_800_000_000_000;
        let mut t = cred(ProfileType::Token);
        assert_eq!(status_of(&t, None, now), ProfileStatus::Static);
        t.expires = Some(now - 1);
        assert_eq!(status_of(&t, None, now), ProfileStatus::Expired);
        t.expires = Some(now + 3_600_000);
        assert_eq!(status_of(&t, None, now), ProfileStatus::Expiring);
        t.expires = Some(now + 3 * DAY_MS);
        assert_eq!(status_of(&t, None, now), ProfileStatus::Ok);
        let mut o = cred(ProfileType::Oauth);
        o.access = Some("a".into());
        o.expires = Some(now - 1);
        assert_eq!(
            status_of(&o, None, now),
            ProfileStatus::Expired,
            "no refresh token"
        );
        o.refresh = Some("r".into());
        assert_eq!(status_of(&o, None, now), ProfileStatus::Ok);
        let cooling = UsageStats {
            cooldown_until: Some(now + 1000),
            ..UsageStats::default()
        };
        assert_eq!(
            status_of(&cred(ProfileType::ApiKey), Some(&cooling), now),
            ProfileStatus::Cooldown
        );
        t.expires = Some(now - 1);
        assert_eq!(status_of(&t, Some(&cooling), now), ProfileStatus::Expired);
        let mut empty = cred(ProfileType::ApiKey);
        empty.key = None;
        assert_eq!(status_of(&empty, None, now), ProfileStatus::Missing);
    }

    /// The first millisecond of the year 10000: past what RFC 3339 (and humantime) can write.
    const YEAR_10000_MS: u64 = 253_402_300_800_000;

    #[test]
    fn times_past_the_year_9999_are_listed_and_never_panic() {
        let now = 1_800_000_000_000;
        let reach = HashMap::new();
        let f = Facts {
            now,
            own: &[],
            reach: &reach,
        };
        for far in [YEAR_10000_MS, YEAR_10000_MS - 1, u64::MAX / 2, u64::MAX] {
            let mut t = cred(ProfileType::Token);
            t.expires = Some(far);
            let u = UsageStats {
                last_used: Some(far),
                cooldown_until: Some(far),
                last_failure: Some(Failure {
                    message: "401".into(),
                    at: far,
                }),
                error_count: u32::MAX,
                ..UsageStats::default()
            };
            let p = profile("anthropic:x", Some(&t), Some(&u), &f);
            assert_eq!(p.status, ProfileStatus::Cooldown, "{far}");
            for shown in [
                p.expires_at.as_deref(),
                p.cooldown_until.as_deref(),
                p.last_used.as_deref(),
                p.last_failure.as_ref().map(|l| l.at.as_str()),
            ] {
                let shown = shown.unwrap();
                assert!(shown.starts_with("9999-12-31T23:59:"), "{far}: {shown}");
            }
            assert!(p.detail.unwrap().contains("days"));
            let mut stats = u.clone();
            fail(&mut stats, "401", now);
            assert_eq!(stats.error_count, u32::MAX, "saturates");
            fail(&mut stats, "401", u64::MAX);
            assert_eq!(stats.cooldown_until, Some(u64::MAX), "saturates");
        }
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_800_000_000_999), "2027-01-15T08:00:00Z");
    }

    #[test]
    fn cooldowns_grow_and_reset() {
        assert_eq!(
            (1..=5)
                .map(|n| cooldown_ms(n) / MINUTE_MS)
                .collect::<Vec<_>>(),
            [1, 5, 25, 60, 60]
        );
        let mut s = UsageStats::default();
        fail(&mut s, "401", 0);
        fail(&mut s, "401", 1000);
        assert_eq!(s.error_count, 2);
        assert_eq!(s.cooldown_until, Some(1000 + 5 * MINUTE_MS));
        fail(&mut s, "401", 1000 + 2 * DAY_MS);
        assert_eq!(s.error_count, 1, "a quiet day resets the count");
        succeed(&mut s);
        assert_eq!((s.error_count, s.cooldown_until), (0, None));
    }

    #[test]
    fn explicit_order_first_then_the_rest_by_kind() {
        let mut doc = Document::default();
        for (id, kind) in [
            ("anthropic:key", ProfileType::ApiKey),
            ("anthropic:tok", ProfileType::Token),
            ("anthropic:b", ProfileType::ApiKey),
        ] {
            doc.profiles.insert(id.into(), cred(kind));
        }
        doc.order.insert(
            "anthropic".into(),
            vec![
                "anthropic:b".into(),
                "anthropic:gone".into(),
                "ollama:x".into(),
            ],
        );
        let own = [Own {
            id: "anthropic:own".into(),
            status: ProfileStatus::Ok,
            detail: None,
        }];
        assert_eq!(
            order(&doc, &own)["anthropic"],
            [
                "anthropic:b",
                "anthropic:own",
                "anthropic:tok",
                "anthropic:key"
            ]
        );
    }
}
