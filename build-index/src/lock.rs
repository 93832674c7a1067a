//! One build per output folder at a time: an OS file lock inside the folder.
//!
//! Two builds writing one folder at once leave a site made of both (a head from one, shards
//! from the other) that answers with the wrong pages and looks fine. The lock is the kernel's
//! (`flock` on Unix, `LockFileEx` on Windows): it goes with the process, so a killed build never
//! blocks the next one, and there is no stale-lock clean-up to get wrong. The lock file stays in
//! the folder; deleting it while another build waits on it would let a third build lock a new
//! file beside the waiter.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use docatlas_core::format::BUNDLE_FILE;

use crate::Error;

/// The lock file's name inside the output folder. Never part of a site: the writer neither
/// lists nor deletes it.
pub const LOCK_FILE: &str = ".docatlas-lock";

/// What to do when another build holds the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Wait for it to end, then build.
    Yes,
    /// Fail at once with [`Error::Busy`].
    No,
}

/// Held for as long as a build writes its folder; the lock is released when this is dropped or
/// the process ends, however it ends.
#[derive(Debug)]
pub struct OutputLock {
    folder: PathBuf,
    file: File,
}

impl OutputLock {
    /// Locks `out` for one build, creating it when missing. When another process holds it,
    /// `waiting` is called once with that process's id (when known) and the call blocks until the
    /// lock is free, or fails with [`Error::Busy`] when `wait` is [`Wait::No`].
    ///
    /// A folder that is neither empty nor a site is refused before anything is written into it,
    /// as [`crate::site::write`] would refuse it.
    pub fn acquire(
        out: &Path,
        wait: Wait,
        waiting: impl FnOnce(Option<u32>),
    ) -> Result<OutputLock, Error> {
        check_out_folder(out)?;
        std::fs::create_dir_all(out).map_err(|error| io(out, error))?;
        let path = out.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|error| io(&path, error))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = holder(&mut file);
                if wait == Wait::No {
                    return Err(Error::Busy {
                        out: out.to_path_buf(),
                        pid: holder,
                    });
                }
                waiting(holder);
                file.lock().map_err(|error| io(&path, error))?;
            }
            Err(TryLockError::Error(error)) => return Err(io(&path, error)),
        }
        // Written over what is there, then cut to length: the file is never empty in between,
        // so a waiter reads a whole id.
        let id = format!("{}\n", std::process::id());
        file.rewind().map_err(|error| io(&path, error))?;
        file.write_all(id.as_bytes())
            .map_err(|error| io(&path, error))?;
        file.set_len(id.len() as u64)
            .map_err(|error| io(&path, error))?;
        Ok(OutputLock {
            folder: out.to_path_buf(),
            file,
        })
    }

    /// The output folder this lock holds.
    pub fn folder(&self) -> &Path {
        &self.folder
    }
}

impl Drop for OutputLock {
    /// Empties the lock file before it is unlocked: a finished site holds the same bytes
    /// whichever process built it (a killed build leaves its id, which says who it was).
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}

/// What a build prints while it waits for `out`, held by the process `pid` (when known).
pub fn waiting_message(out: &Path, pid: Option<u32>) -> String {
    let by = pid.map_or_else(|| "another process".to_string(), |p| format!("process {p}"));
    format!("waiting for the build of {} by {by}", out.display())
}

/// Whether `out` holds an earlier site (`false`: it is missing, or empty but for a build's
/// lock file). Errs when it holds something that is not a site, which is left alone, unread.
pub(crate) fn check_out_folder(out: &Path) -> Result<bool, Error> {
    if !out.exists() {
        return Ok(false);
    }
    let empty = std::fs::read_dir(out)
        .map_err(|error| io(out, error))?
        .filter_map(Result::ok)
        .all(|e| e.file_name() == LOCK_FILE);
    if empty {
        return Ok(false);
    }
    // The lock file marks a folder a build wrote into, even one killed before its head.
    if !out.join(BUNDLE_FILE).is_file() && !out.join(LOCK_FILE).is_file() {
        return Err(Error::NotASite(out.to_path_buf()));
    }
    Ok(true)
}

/// The process id the holder wrote; it writes it just after it locks, so a build that finds the
/// lock taken at that moment waits a little for it.
fn holder(file: &mut File) -> Option<u32> {
    for _ in 0..20 {
        let mut text = String::new();
        file.rewind().ok()?;
        file.read_to_string(&mut text).ok()?;
        if let Ok(id) = text.trim().parse() {
            return Some(id);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    None
}

fn io(path: &Path, error: std::io::Error) -> Error {
    Error::Io {
        path: PathBuf::from(path),
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_a_held_folder_is_refused_or_waits_and_a_dropped_one_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = OutputLock::acquire(&out, Wait::No, |_| panic!("nobody holds it")).unwrap();
        // A second handle on the same file conflicts with the first, as another process would.
        match OutputLock::acquire(&out, Wait::No, |_| panic!("must not wait")) {
            Err(Error::Busy { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("expected Busy, got {other:?}"),
        }
        drop(first);
        OutputLock::acquire(&out, Wait::No, |_| panic!("the lock was released")).unwrap();
    }

    #[test]
    fn a_folder_that_is_not_a_site_gets_no_lockfile() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = OutputLock::acquire(dir.path(), Wait::Yes, |_| {}).unwrap_err();
        assert!(matches!(err, Error::NotASite(_)), "{err}");
        assert!(!dir.path().join(LOCK_FILE).exists());
    }
}
