//! The site's reading tracks (`tracks.bin`, fetched once) and the reader's progress, shared by
//! every view through [`Reading`]. The views display; the rules (what counts as read, what is
//! next, what changed) are `docatlas_core::tracks`. A change re-renders the live regions on
//! screen ([`docatlas_web::dom::refresh`]).

use std::cell::RefCell;
use std::sync::Arc;

use docatlas_core::format::TRACKS_FILE;
use docatlas_core::tracks::{self, MergeReport, Progress, SectionHash, TrackSet};

use super::fetch::fetch;
use super::progress::Store;
use super::Docs;
use docatlas_web::dom::{after, document, refresh};

/// Fetches and decodes the site's `tracks.bin`.
pub async fn load(atlas: &Docs) -> Result<TrackSet, String> {
    let url = atlas.url(TRACKS_FILE);
    let bytes = fetch(&url).await?;
    tracks::decode(&bytes).map_err(|e| format!("{url}: {e}"))
}

/// Milliseconds since 1970, the time progress marks carry.
pub fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// The sections of the page at `path` as they are now, with their content hashes: `tracks.bin`
/// lists them for pages in tracks and checklists; for any other page they come from its page
/// file, once loaded (the page view loads it before it shows the reading progress).
pub fn page_sections(atlas: &Docs, set: Option<&TrackSet>, path: &str) -> Vec<SectionHash> {
    if let Some(p) = set
        .and_then(|s| s.page_by_path(path))
        .filter(|p| !p.sections.is_empty())
    {
        return p.sections.clone();
    }
    atlas
        .loaded_page(path)
        .map(|d| tracks::section_hashes(&d.sections))
        .unwrap_or_default()
}

/// How long a status message stays up.
const STATUS_MS: i32 = 5_000;

/// What [`Reading`] holds.
#[derive(Default)]
struct State {
    /// `tracks.bin` once loaded, or why it could not be.
    set: Option<Result<Arc<TrackSet>, String>>,
    progress: Progress,
    /// Why progress is kept in memory only (storage blocked or full); `None` while it is saved.
    memory_only: Option<String>,
    store: Option<Store>,
    site_id: String,
    started: bool,
    /// Bumped by each status message, so a message's timer clears only its own.
    status_id: u32,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// The tracks and the reader's progress, for every view of the app: a handle to one state per
/// page. Every change re-renders the live regions on screen.
#[derive(Clone, Copy)]
pub struct Reading;

fn with<T>(f: impl FnOnce(&mut State) -> T) -> T {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

impl Reading {
    /// Loads `tracks.bin` and then the saved progress for its site id; only the first call
    /// does anything.
    pub fn start(self, atlas: &Arc<Docs>) {
        if with(|s| std::mem::replace(&mut s.started, true)) {
            return;
        }
        let atlas = atlas.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match load(&atlas).await {
                Ok(set) => {
                    let (store, why) = Store::open(&set.site_id);
                    let mut saved = store.load().unwrap_or_else(|e| {
                        self.say(format!(
                            "Saved progress could not be read ({e}); new marks will replace it"
                        ));
                        Progress::default()
                    });
                    // Marks made while loading join the saved ones.
                    let early = with(|s| {
                        saved.merge(&s.progress);
                        let early = std::mem::replace(&mut s.progress, saved);
                        s.memory_only = why;
                        s.site_id = set.site_id.clone();
                        s.store = Some(store);
                        s.set = Some(Ok(Arc::new(set)));
                        early
                    });
                    if early != Progress::default() {
                        self.save();
                    }
                }
                Err(e) => with(|s| {
                    // Without the site id there is no storage key: marks stay in memory.
                    s.memory_only = Some("the site's reading tracks could not be loaded".into());
                    s.set = Some(Err(e));
                }),
            }
            refresh();
        });
    }

    /// The tracks, once loaded, or why they could not be (`None` while loading).
    pub fn loaded(self) -> Option<Result<Arc<TrackSet>, String>> {
        with(|s| s.set.clone())
    }

    /// The tracks, once loaded.
    pub fn tracks(self) -> Option<Arc<TrackSet>> {
        self.loaded().and_then(Result::ok)
    }

    /// Reads the progress.
    pub fn progress<T>(self, f: impl FnOnce(&Progress) -> T) -> T {
        with(|s| f(&s.progress))
    }

    /// Why progress is kept in memory only; `None` while it is saved.
    pub fn memory_only(self) -> Option<String> {
        with(|s| s.memory_only.clone())
    }

    /// The site id progress is saved under.
    pub fn site_id(self) -> String {
        with(|s| s.site_id.clone())
    }

    /// Says what the last reading action did, in the status line, for a few seconds.
    pub fn say(self, message: impl Into<String>) {
        let id = with(|s| {
            s.status_id = s.status_id.wrapping_add(1);
            s.status_id
        });
        set_toast(&message.into());
        after(STATUS_MS, move || {
            if with(|s| s.status_id) == id {
                set_toast("");
            }
        });
    }

    /// Changes the progress and saves it.
    pub fn update(self, change: impl FnOnce(&mut Progress)) {
        with(|s| change(&mut s.progress));
        self.save();
        refresh();
    }

    fn save(self) {
        with(|s| {
            let saved = s.store.as_mut().map(|st| st.save(&s.progress, &s.site_id));
            match saved {
                Some(Ok(merged)) if merged != s.progress => s.progress = merged,
                Some(Err(why)) => s.memory_only = Some(why),
                _ => {}
            }
        });
    }

    /// Marks the page at `path` read (with its sections as they are now) or unread.
    pub fn set_read(self, atlas: &Docs, path: &str, read: bool) {
        let set = self.tracks();
        let sections = page_sections(atlas, set.as_deref(), path);
        let path = path.to_string();
        self.update(move |p| {
            if read {
                p.mark_read(&path, &sections, now());
            } else {
                p.mark_unread(&path, now());
            }
        });
    }

    /// Ticks or unticks a checklist entry.
    pub fn set_check(self, entry_id: &str, done: bool) {
        let id = entry_id.to_string();
        self.update(move |p| p.set_check(&id, done, now()));
    }

    /// Remembers the track the reader opened last (`n` follows it).
    pub fn follow_track(self, id: &str) {
        if self.progress(|p| p.track.as_deref() != Some(id)) {
            let id = id.to_string();
            self.update(move |p| p.track = Some(id));
        }
    }

    /// Merges imported or shared progress into the reader's.
    pub fn import(self, other: &Progress) -> MergeReport {
        let mut report = MergeReport::default();
        self.update(|p| report = p.merge(other));
        report
    }

    /// Forgets every mark, here and in storage.
    pub fn reset(self) {
        with(|s| {
            if let Some(st) = &s.store {
                st.clear();
            }
            s.progress = Progress::default();
        });
        refresh();
    }

    /// Takes in what another tab saved (the `storage` event), without saving back.
    pub fn reload(self, key: &str) {
        let changed = with(|s| {
            let stored = s
                .store
                .as_ref()
                .filter(|st| st.key() == key)
                .and_then(|st| st.load().ok());
            stored.is_some_and(|stored| {
                let before = s.progress.clone();
                s.progress.merge(&stored);
                s.progress != before
            })
        });
        if changed {
            refresh();
        }
    }
}

/// Shows `text` in the app's status line (`.da-toast`).
fn set_toast(text: &str) {
    if let Ok(Some(toast)) = document().query_selector(".docatlas .da-toast") {
        toast.set_text_content(Some(text));
    }
}
