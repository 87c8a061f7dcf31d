//! Grove's own files in its state directory: 0700 folders, 0600 files written atomically, and a
//! lock shared by every sidecar on the machine (each editor window runs its own).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// `$GROVE_STATE_DIR`, else `$XDG_STATE_HOME/grove`, else the platform's place for app state.
pub fn state_dir() -> PathBuf {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = env("GROVE_STATE_DIR") {
        return dir;
    }
    if let Some(dir) = env("XDG_STATE_HOME") {
        return dir.join("grove");
    }
    let home = env("HOME").unwrap_or_else(std::env::temp_dir);
    if cfg!(target_os = "macos") {
        home.join("Library/Application Support/grove")
    } else {
        home.join(".local/state/grove")
    }
}

/// Creates `dir` (and its parents) with mode 0700 for what is created.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Replaces `path` with `bytes` so that readers see the old or the new file, never a part: a 0600
/// temporary file in the same folder, renamed over `path`. Not synced to disk: for Grove's own
/// state, which is rebuilt from what is on disk (an fsync right after a large checkout would wait
/// for all of it to be written).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, bytes, 0o600, false)
}

/// Like `write_atomic`, with the given mode, and synced (file and folder) before it returns: for
/// files whose loss after a crash would hurt, like the CLI's rotated credentials.
pub fn write_durable(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    replace(path, bytes, mode, true)
}

fn replace(path: &Path, bytes: &[u8], mode: u32, sync: bool) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), nonce()));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)?;
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        if sync {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The bytes of `path` if it is a regular file of at most `max` bytes; `None` for anything else.
/// A link, a FIFO or a device is never opened (a link to `/dev/zero` or to the sidecar's own
/// stdin must not be read through), and the file is checked again once open, in case it was
/// swapped in between.
pub fn read_regular(path: &Path, max: u64) -> Option<Vec<u8>> {
    read_bounded(path, max).ok()
}

/// Like `read_regular`, saying why not: `NotFound` when nothing is there, `InvalidInput` for a
/// link, a FIFO, a device or a folder, `FileTooLarge` over `max` bytes (each naming `path`).
pub fn read_bounded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    let not_regular = || {
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{} is not a regular file (a link, a FIFO, a device or a folder); Grove does not read it",
                path.display()
            ),
        )
    };
    let too_large = || {
        Error::new(
            ErrorKind::FileTooLarge,
            format!(
                "{} is larger than {} KiB; Grove does not read it",
                path.display(),
                max / 1024
            ),
        )
    };
    let meta = std::fs::symlink_metadata(path)?;
    if !meta.file_type().is_file() {
        return Err(not_regular());
    }
    if meta.len() > max {
        return Err(too_large());
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => not_regular(),
            _ => e,
        })?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(not_regular());
    }
    if meta.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// How old a temporary copy must be to be removed even when its writer's pid is in use again.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes the temporary copies that `write_atomic` and `write_durable` leave behind when a
/// process is killed mid-write (`.<name>.<pid>.<nonce>.tmp` in `dir`): those of processes that
/// are gone, and any older than a minute (a write takes milliseconds). They may hold tokens.
/// Returns how many were removed.
pub fn sweep_temporaries(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temporary_owner) else {
            continue;
        };
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        let mine = pid == std::process::id();
        let gone = !crate::process::Owner { pid, start: None }.alive();
        if ((!mine && gone) || old) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    if removed > 0 {
        tracing::info!(
            "removed {removed} stale temporary copies in {}",
            dir.display()
        );
    }
    removed
}

/// The pid in a temporary copy's name (`.<name>.<pid>.<nonce>.tmp`).
fn temporary_owner(file: &str) -> Option<u32> {
    let rest = file.strip_prefix('.')?.strip_suffix(".tmp")?;
    let mut parts = rest.rsplitn(3, '.');
    let nonce = parts.next()?;
    let pid = parts.next()?;
    parts.next().filter(|n| !n.is_empty())?;
    nonce.parse::<u64>().ok()?;
    pid.parse().ok()
}

/// A number unlikely to repeat: for temporary names and ids.
pub fn nonce() -> u64 {
    let mut bytes = [0u8; 8];
    if File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok()
    {
        return u64::from_le_bytes(bytes);
    }
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    t.as_nanos() as u64 ^ (u64::from(std::process::id()) << 32)
}

/// An exclusive lock on a file, held until dropped; blocks until every other holder lets go.
/// Works across processes (`File::lock`: `flock` on Unix), so every sidecar on the machine
/// agrees on it.
pub struct FileLock {
    file: File,
}

impl FileLock {
    pub fn exclusive(path: &Path) -> std::io::Result<Self> {
        if let Some(dir) = path.parent() {
            private_dir(dir)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)?;
        file.lock()?;
        Ok(Self { file })
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Closing the file would release it too; this says when.
        let _ = self.file.unlock();
    }
}

/// `id` with anything but ASCII letters, digits and `-` as `_`: readable, but shared by ids that
/// differ only there (`a.b`, `a_b`, `a:b`).
pub fn readable_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The name of a folder kept for profile `id`: `<readable>.<hash>`, the readable form of `id` (at
/// most 80 characters, for people looking at the folder), a dot, and the first 128 bits of the
/// SHA-256 of the whole id in hex, which keeps every id apart.
pub fn profile_dir_name(id: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, id.as_bytes());
    let hash: String = digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let readable: String = readable_name(id).chars().take(80).collect();
    format!("{readable}.{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn atomic_writes_are_private_and_replace_the_file() {
        let dir = tempfile_dir();
        let p = dir.join("a.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::metadata(&p).unwrap().mode() & 0o777, 0o600);
        let leftovers = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn stale_temporaries_of_dead_writers_are_swept() {
        let dir = tempfile_dir();
        let mut dead = std::process::Command::new("true").spawn().unwrap();
        let dead_pid = dead.id();
        dead.wait().unwrap();
        let stale = dir.join(format!(".creds.json.{dead_pid}.77.tmp"));
        let live = dir.join(format!(".creds.json.{}.78.tmp", std::process::id()));
        let other = dir.join(".creds.json.not-ours.tmp");
        for p in [&stale, &live, &other] {
            std::fs::write(p, "x").unwrap();
        }
        assert_eq!(sweep_temporaries(&dir), 1);
        assert!(!stale.exists() && live.exists() && other.exists());
        assert_eq!(temporary_owner(".a.b.json.12.34.tmp"), Some(12));
        assert_eq!(temporary_owner("..12.34.tmp"), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn only_small_regular_files_are_read() {
        let dir = tempfile_dir();
        std::fs::write(dir.join("f"), "hello").unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero")).unwrap();
        std::os::unix::fs::symlink(dir.join("f"), dir.join("link")).unwrap();
        assert_eq!(
            read_regular(&dir.join("f"), 5).as_deref(),
            Some(&b"hello"[..])
        );
        assert_eq!(read_regular(&dir.join("f"), 4), None);
        assert_eq!(read_regular(&dir.join("zero"), 1 << 20), None);
        assert_eq!(read_regular(&dir.join("link"), 1 << 20), None);
        assert_eq!(read_regular(Path::new("/dev/null"), 1 << 20), None);
        let why = |p: &Path, max| read_bounded(p, max).unwrap_err().kind();
        assert_eq!(
            why(&dir.join("zero"), 1 << 20),
            std::io::ErrorKind::InvalidInput
        );
        assert_eq!(why(&dir.join("f"), 4), std::io::ErrorKind::FileTooLarge);
        assert_eq!(why(&dir.join("none"), 4), std::io::ErrorKind::NotFound);
        assert!(
            read_bounded(&dir.join("zero"), 1 << 20)
                .unwrap_err()
                .to_string()
                .contains("zero")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_lock_is_exclusive_and_released_on_drop() {
        use std::sync::mpsc;
        let path = tempfile_dir().join("x.lock");
        let held = FileLock::exclusive(&path).unwrap();
        let (tx, rx) = mpsc::channel();
        let p = path.clone();
        let waiter = std::thread::spawn(move || {
            let _second = FileLock::exclusive(&p).unwrap();
            tx.send(()).unwrap();
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(200))
                .is_err(),
            "a second holder waits"
        );
        drop(held);
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .expect("the lock is free once dropped");
        waiter.join().unwrap();
    }

    #[test]
    fn private_dirs_are_0700() {
        let dir = tempfile_dir().join("x/y");
        private_dir(&dir).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
    }

    fn tempfile_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("grove-store-test-{}", nonce()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
