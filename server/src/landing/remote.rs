//! A remote's configured URL read as a hosted repository: host, owner and name (https, `ssh://`,
//! scp-like `git@host:owner/repo.git`, with ports and a `.git` suffix), the `-R host/owner/repo`
//! gh is given, and the host's page for opening a pull request in a browser. Credentials in a URL
//! never come out.

/// Where a repository is hosted, as far as the page for a new pull request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// github.com or a GitHub Enterprise host: the only one gh can make pull requests on.
    GitHub,
    GitLab,
    Bitbucket,
}

impl Provider {
    fn of(host: &str) -> Self {
        let name = host.to_ascii_lowercase();
        if name.contains("gitlab") {
            Self::GitLab
        } else if name.contains("bitbucket") {
            Self::Bitbucket
        } else {
            Self::GitHub
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::GitHub => "GitHub",
            Self::GitLab => "GitLab",
            Self::Bitbucket => "Bitbucket",
        }
    }
}

/// A hosted repository, from a remote's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteRepo {
    /// `http` or `https`: the web pages' scheme (an ssh remote's pages are on https).
    pub scheme: &'static str,
    /// The web host, with its port when an http(s) URL named one (an ssh port is not the web's).
    pub host: String,
    /// The owner; for GitLab, the groups (`group/subgroup`).
    pub owner: String,
    pub name: String,
    pub provider: Provider,
}

impl RemoteRepo {
    /// Reads a remote URL as configured; `None` for a local path, a `file://` URL, or anything
    /// that does not name a host, an owner and a repository.
    pub fn parse(url: &str) -> Option<Self> {
        let url = url.trim();
        let (scheme, rest, keep_port) = if let Some((scheme, rest)) = url.split_once("://") {
            match scheme.to_ascii_lowercase().as_str() {
                "https" => ("https", rest, true),
                "http" => ("http", rest, true),
                "ssh" | "git+ssh" | "ssh+git" | "git" => ("https", rest, false),
                _ => return None,
            }
        } else {
            // scp-like `[user@]host:path`: a colon before any slash.
            let colon = url.find(':')?;
            if url[..colon].contains('/') {
                return None;
            }
            let (authority, path) = url.split_at(colon);
            return Self::from_parts("https", authority, &path[1..], false);
        };
        let (authority, path) = rest.split_once('/')?;
        Self::from_parts(scheme, authority, path, keep_port)
    }

    fn from_parts(
        scheme: &'static str,
        authority: &str,
        path: &str,
        keep_port: bool,
    ) -> Option<Self> {
        // Credentials (`user:token@`) are dropped here and never kept.
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let (host, port) = match host_port.split_once(':') {
            Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
            Some(_) => return None,
            None => (host_port, None),
        };
        let host_ok = |h: &str| {
            !h.is_empty()
                && !h.starts_with(['.', '-'])
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        };
        if !host_ok(host) {
            return None;
        }
        let host = match port {
            Some(p) if keep_port => format!("{host}:{p}"),
            _ => host.to_string(),
        };
        let path = path.trim_matches('/');
        let path = path
            .strip_suffix(".git")
            .unwrap_or(path)
            .trim_end_matches('/');
        let segments: Vec<&str> = path.split('/').collect();
        let segment_ok = |s: &&str| {
            !s.is_empty()
                && *s != "."
                && *s != ".."
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        };
        if !segments.iter().all(segment_ok) {
            return None;
        }
        let provider = Provider::of(&host);
        let (name, owner) = segments.split_last()?;
        let fits = match provider {
            Provider::GitLab => !owner.is_empty(),
            _ => owner.len() == 1,
        };
        fits.then(|| Self {
            scheme,
            host,
            owner: owner.join("/"),
            name: name.to_string(),
            provider,
        })
    }

    /// `host/owner/repo`, for gh's `-R` (which keeps the port that gh itself drops from remotes).
    pub fn gh_repo(&self) -> String {
        format!("{}/{}/{}", self.host, self.owner, self.name)
    }

    /// The host's page for a new pull (merge) request of `branch` into `base`.
    pub fn compare_url(&self, base: &str, branch: &str) -> String {
        let repo = format!(
            "{}://{}/{}/{}",
            self.scheme, self.host, self.owner, self.name
        );
        match self.provider {
            Provider::GitHub => format!(
                "{repo}/compare/{}...{}?expand=1",
                encode(base),
                encode(branch)
            ),
            Provider::GitLab => format!(
                "{repo}/-/merge_requests/new?merge_request[source_branch]={}\
                 &merge_request[target_branch]={}",
                encode(branch),
                encode(base)
            ),
            Provider::Bitbucket => format!(
                "{repo}/pull-requests/new?source={}&dest={}",
                encode(branch),
                encode(base)
            ),
        }
    }
}

/// Percent-encodes a branch name for a URL's path or query; slashes stay.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> Option<(String, String, String)> {
        RemoteRepo::parse(url).map(|r| (r.gh_repo(), r.owner, r.name))
    }

    #[test]
    fn https_ssh_and_scp_like_urls_name_host_owner_and_repo() {
        let want = Some(("github.com/acme/app".into(), "acme".into(), "app".into()));
        for url in [
            "https://github.com/acme/app.git",
            "https://github.com/acme/app",
            "https://github.com/acme/app/",
            "https://x-access-token:FAKE-token@github.com/acme/app.git",
            "git@github.com:acme/app.git",
            "github.com:acme/app",
            "ssh://git@github.com/acme/app.git",
            "ssh://git@github.com:22/acme/app.git",
            "git+ssh://git@github.com/acme/app",
            "git://github.com/acme/app.git",
            "  https://github.com/acme/app.git\n",
        ] {
            assert_eq!(parsed(url), want, "{url}");
        }
    }

    #[test]
    fn an_http_port_is_kept_and_an_ssh_port_is_dropped() {
        let r = RemoteRepo::parse("https://127.0.0.1:8443/owner/repo.git").unwrap();
        assert_eq!(r.gh_repo(), "127.0.0.1:8443/owner/repo");
        assert_eq!(r.scheme, "https");
        let r = RemoteRepo::parse("http://ghe.example.com:8080/owner/repo").unwrap();
        assert_eq!(
            (r.scheme, r.host.as_str()),
            ("http", "ghe.example.com:8080")
        );
        let r = RemoteRepo::parse("ssh://git@ghe.example.com:2222/owner/repo.git").unwrap();
        assert_eq!(r.gh_repo(), "ghe.example.com/owner/repo");
        assert_eq!(r.scheme, "https");
    }

    #[test]
    fn credentials_in_a_url_never_come_out() {
        let r = RemoteRepo::parse("https://me:ghp_FAKESECRET@github.com/acme/app.git").unwrap();
        let all = format!("{} {}", r.gh_repo(), r.compare_url("main", "grove/x"));
        assert!(!all.contains("FAKESECRET") && !all.contains("me:"), "{all}");
    }

    #[test]
    fn garbage_and_local_paths_are_refused() {
        for url in [
            "",
            "/srv/git/app.git",
            "../app",
            "file:///srv/git/app.git",
            "https://github.com/acme",
            "https://github.com/acme/app/extra",
            "https://github.com/",
            "https://github.com",
            "https:///acme/app",
            "https://github.com:port/acme/app",
            "https://-bad.com/acme/app",
            "https://github.com/acme/../app",
            "https://github.com/ac me/app",
            "ftp://github.com/acme/app",
            "git@github.com:",
            "git@:acme/app",
        ] {
            assert_eq!(RemoteRepo::parse(url), None, "{url:?}");
        }
    }

    #[test]
    fn gitlab_groups_nest_and_bitbucket_is_recognized() {
        let r = RemoteRepo::parse("git@gitlab.com:group/sub/app.git").unwrap();
        assert_eq!(
            (r.provider, r.owner.as_str()),
            (Provider::GitLab, "group/sub")
        );
        let r = RemoteRepo::parse("https://bitbucket.org/team/app.git").unwrap();
        assert_eq!(r.provider, Provider::Bitbucket);
        assert_eq!(RemoteRepo::parse("https://github.com/a/b/c"), None);
    }

    #[test]
    fn compare_urls_have_each_hosts_shape() {
        let gh = RemoteRepo::parse("git@github.com:acme/app.git").unwrap();
        assert_eq!(
            gh.compare_url("main", "grove/fix-login"),
            "https://github.com/acme/app/compare/main...grove/fix-login?expand=1"
        );
        let ghe = RemoteRepo::parse("https://127.0.0.1:8443/owner/repo.git").unwrap();
        assert_eq!(
            ghe.compare_url("main", "grove/x"),
            "https://127.0.0.1:8443/owner/repo/compare/main...grove/x?expand=1"
        );
        let gl = RemoteRepo::parse("https://gitlab.example.com/group/app.git").unwrap();
        assert_eq!(
            gl.compare_url("main", "grove/x"),
            "https://gitlab.example.com/group/app/-/merge_requests/new?\
             merge_request[source_branch]=grove/x&merge_request[target_branch]=main"
        );
        let bb = RemoteRepo::parse("git@bitbucket.org:team/app.git").unwrap();
        assert_eq!(
            bb.compare_url("main", "grove/x"),
            "https://bitbucket.org/team/app/pull-requests/new?source=grove/x&dest=main"
        );
        assert_eq!(
            gh.compare_url("main", "grove/a&b#c%"),
            "https://github.com/acme/app/compare/main...grove/a%26b%23c%25?expand=1"
        );
    }
}
