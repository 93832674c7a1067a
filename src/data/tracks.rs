//! The site's reading tracks (`tracks.bin`, fetched once) and the reader's progress, shared by
//! every view through [`Reading`] (provided by `App` as context). The views display; the rules
//! (what counts as read, what is next, what changed) are `docatlas_core::tracks`.

use std::sync::Arc;

use docatlas_core::format::TRACKS_FILE;
use docatlas_core::tracks::{self, MergeReport, Progress, SectionHash, TrackSet};
use leptos::prelude::*;

use super::fetch::fetch;
use super::progress::Store;
use super::Atlas;

/// Fetches and decodes the site's `tracks.bin`.
pub async fn load(atlas: &Atlas) -> Result<TrackSet, String> {
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
pub fn page_sections(atlas: &Atlas, set: Option<&TrackSet>, path: &str) -> Vec<SectionHash> {
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

/// The tracks and the reader's progress, for every view of one app instance.
#[derive(Clone, Copy)]
pub struct Reading {
    /// `tracks.bin` once loaded, or why it could not be.
    pub set: RwSignal<Option<Result<Arc<TrackSet>, String>>>,
    /// What the reader has marked.
    pub progress: RwSignal<Progress>,
    /// Why progress is kept in memory only (storage blocked or full); `None` while it is saved.
    pub memory_only: RwSignal<Option<String>>,
    /// What the last action did, for a polite status line ("Imported 3 pages").
    pub status: RwSignal<String>,
    store: StoredValue<Option<Store>, LocalStorage>,
    site_id: StoredValue<String>,
    started: StoredValue<bool>,
}

impl Default for Reading {
    fn default() -> Self {
        Self::new()
    }
}

impl Reading {
    /// Empty state; [`Reading::start`] loads it.
    pub fn new() -> Self {
        Self {
            set: RwSignal::new(None),
            progress: RwSignal::new(Progress::default()),
            memory_only: RwSignal::new(None),
            status: RwSignal::new(String::new()),
            store: StoredValue::new_local(None),
            site_id: StoredValue::new(String::new()),
            started: StoredValue::new(false),
        }
    }

    /// Loads `tracks.bin` and then the saved progress for its site id; only the first call
    /// does anything.
    pub fn start(self, atlas: &Arc<Atlas>) {
        if self.started.get_value() {
            return;
        }
        self.started.set_value(true);
        let atlas = atlas.clone();
        leptos::task::spawn_local(async move {
            match load(&atlas).await {
                Ok(set) => {
                    let (store, why) = Store::open(&set.site_id);
                    let mut saved = store.load().unwrap_or_else(|e| {
                        self.status.set(format!(
                            "Saved progress could not be read ({e}); new marks will replace it"
                        ));
                        Progress::default()
                    });
                    // Marks made while loading join the saved ones.
                    let early = self.progress.get_untracked();
                    saved.merge(&early);
                    self.progress.set(saved);
                    self.memory_only.set(why);
                    self.site_id.set_value(set.site_id.clone());
                    self.store.set_value(Some(store));
                    self.set.set(Some(Ok(Arc::new(set))));
                    if early != Progress::default() {
                        self.save();
                    }
                }
                Err(e) => {
                    // Without the site id there is no storage key: marks stay in memory.
                    self.memory_only
                        .set(Some("the site's reading tracks could not be loaded".into()));
                    self.set.set(Some(Err(e)));
                }
            }
        });
    }

    /// The tracks, once loaded (tracked: views update when they arrive).
    pub fn tracks(self) -> Option<Arc<TrackSet>> {
        self.set.get().and_then(Result::ok)
    }

    /// The site id progress is saved under.
    pub fn site_id(self) -> String {
        self.site_id.get_value()
    }

    /// Changes the progress and saves it.
    pub fn update(self, change: impl FnOnce(&mut Progress)) {
        self.progress.update(change);
        self.save();
    }

    fn save(self) {
        let current = self.progress.get_untracked();
        let site = self.site_id.get_value();
        let saved = self
            .store
            .try_update_value(|s| s.as_mut().map(|s| s.save(&current, &site)))
            .flatten();
        match saved {
            Some(Ok(merged)) if merged != current => self.progress.set(merged),
            Some(Err(why)) => self.memory_only.set(Some(why)),
            _ => {}
        }
    }

    /// Marks the page at `path` read (with its sections as they are now) or unread.
    pub fn set_read(self, atlas: &Atlas, path: &str, read: bool) {
        let set = self.set.get_untracked().and_then(Result::ok);
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
        if self
            .progress
            .with_untracked(|p| p.track.as_deref() != Some(id))
        {
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
        self.store.with_value(|s| {
            if let Some(s) = s {
                s.clear();
            }
        });
        self.progress.set(Progress::default());
    }

    /// Takes in what another tab saved (the `storage` event), without saving back.
    pub fn reload(self, key: &str) {
        let stored = self.store.with_value(|s| {
            s.as_ref()
                .filter(|s| s.key() == key)
                .and_then(|s| s.load().ok())
        });
        if let Some(stored) = stored {
            self.progress.update(|p| {
                p.merge(&stored);
            });
        }
    }
}
