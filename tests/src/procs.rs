//! Looking at live processes through /proc: children of a process, members of a process group.

fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: split after its closing one.
    let rest = &stat[stat.rfind(')')? + 2..];
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

fn all_pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Live (not zombie) processes whose parent is `parent`, except the sidecar's own reaper
/// (`grove-server --reaper`), which lives as long as the sidecar.
pub fn children(parent: u32) -> Vec<u32> {
    all_pids()
        .into_iter()
        .filter(|p| stat_fields(*p).is_some_and(|f| f[0] != "Z" && f[1] == parent.to_string()))
        .filter(|p| {
            let cmdline = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
            !cmdline.split(|b| *b == 0).any(|arg| arg == b"--reaper")
        })
        .collect()
}

/// Live (not zombie) processes in process group `pgid`.
pub fn group_members(pgid: u32) -> Vec<u32> {
    all_pids()
        .into_iter()
        .filter(|p| stat_fields(*p).is_some_and(|f| f[0] != "Z" && f[2] == pgid.to_string()))
        .collect()
}

/// The process group of `pid`.
pub fn pgid(pid: u32) -> Option<u32> {
    stat_fields(pid)?.get(2)?.parse().ok()
}

/// Every live process under `pid`, however deep (the reaper excepted).
pub fn descendants(pid: u32) -> Vec<u32> {
    let mut out = children(pid);
    let mut i = 0;
    while i < out.len() {
        let more = children(out[i]);
        out.extend(more);
        i += 1;
    }
    out
}

/// The command lines of every process under `pid`, arguments joined by spaces.
pub fn cmdlines_under(pid: u32) -> Vec<String> {
    descendants(pid)
        .iter()
        .filter_map(|p| std::fs::read(format!("/proc/{p}/cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .collect()
}
