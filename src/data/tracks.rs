//! The site's reading tracks (`tracks.bin`, fetched once) and the reader's progress, shared by
//! every view through [`Reading`] (provided by `App` as context): a change made in one view (a
//! tick in a page's box) shows in every other at once, since they all read the same signals.
//! The views display; the rules (what counts as read, what is next, what changed) are
//! `docatlas_core::tracks`.

use std::sync::Arc;

use docatlas_core::format::TRACKS_FILE;
use docatlas_core::tracks::{self, MergeReport, Progress, SectionHash, TrackSet};
use docatlas_web::fetch::fetch;
use leptos::prelude::*;

use super::progress::Store;
use super::Docs;

/// Fetches and decodes the site's `tracks.bin`.
pub async fn load(docs: &Docs) -> Result<TrackSet, String> {
    let url = docs.url(TRACKS_FILE);
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
pub fn page_sections(docs: &Docs, set: Option<&TrackSet>, path: &str) -> Vec<SectionHash> {
    if let Some(p) = set
        .and_then(|s| s.page_by_path(path))
        .filter(|p| !p.sections.is_empty())
    {
        return p.sections.clone();
    }
    docs.loaded_page(path)
        .map(|d| tracks::section_hashes(&d.sections))
        .unwrap_or_default()
}

/// How long a status message stays up.
const STATUS_MS: u32 = 5_000;

/// `tracks.bin` once loaded, or why it could not be.
pub type Loaded = Result<Arc<TrackSet>, String>;

/// The tracks and the reader's progress, for every view of one app instance.
#[derive(Clone, Copy)]
pub struct Reading {
    /// The docs whose tracks to load: `None` until a view or key asks for them.
    wanted: RwSignal<Option<Arc<Docs>>>,
    /// `None` (as a value) until wanted, then the tracks or why they could not load.
    loaded: LocalResource<Option<Loaded>>,
    /// What the reader has marked.
    pub progress: RwSignal<Progress>,
    /// Why progress is kept in memory only (storage blocked or full); `None` while it is saved.
    pub memory_only: RwSignal<Option<String>>,
    /// What the last action did, for a polite status line ("Imported 3 pages").
    pub status: RwSignal<String>,
    /// Bumped by each status message, so a message's timer clears only its own.
    status_id: StoredValue<u32>,
    store: StoredValue<Option<Store>, LocalStorage>,
    site_id: StoredValue<String>,
}

impl Reading {
    /// Nothing loaded; [`Reading::start`] loads the tracks, then the saved progress.
    pub fn new() -> Self {
        let wanted = RwSignal::new(None::<Arc<Docs>>);
        let loaded = LocalResource::new(move || {
            let docs = wanted.get();
            async move { Some(load(&*docs?).await.map(Arc::new)) }
        });
        let reading = Self {
            wanted,
            loaded,
            progress: RwSignal::new(Progress::default()),
            memory_only: RwSignal::new(None),
            status: RwSignal::new(String::new()),
            status_id: StoredValue::new(0),
            store: StoredValue::new_local(None),
            site_id: StoredValue::new(String::new()),
        };
        // Once the tracks are in, the saved progress (named by their site id) joins what the
        // reader marked meanwhile.
        Effect::new(move |_| match loaded.get().flatten() {
            Some(Ok(set)) => reading.open_store(&set),
            Some(Err(_)) => reading
                .memory_only
                .set(Some("the site's reading tracks could not be loaded".into())),
            None => {}
        });
        reading
    }

    fn open_store(self, set: &TrackSet) {
        if self.store.with_value(Option::is_some) {
            return;
        }
        let (store, why) = Store::open(&set.site_id);
        let mut saved = store.load().unwrap_or_else(|e| {
            self.say(format!(
                "Saved progress could not be read ({e}); new marks will replace it"
            ));
            Progress::default()
        });
        let early = self.progress.get_untracked();
        saved.merge(&early);
        self.progress.set(saved);
        self.memory_only.set(why);
        self.site_id.set_value(set.site_id.clone());
        self.store.set_value(Some(store));
        if early != Progress::default() {
            self.save();
        }
    }

    /// Starts loading the tracks of `docs` (and then the saved progress); only the first call
    /// does anything. Views that show the tracks call it when they are created.
    pub fn start(self, docs: &Arc<Docs>) {
        if self.wanted.with_untracked(Option::is_none) {
            self.wanted.set(Some(docs.clone()));
        }
    }

    /// The tracks, or why they could not load (tracked; read under a `Suspense`, which waits
    /// for them): `None` while they load or before [`Reading::start`].
    pub fn loaded(self) -> Option<Loaded> {
        self.loaded.get().flatten()
    }

    /// Whether a view asked for the tracks ([`Reading::start`]); tracked.
    pub fn is_wanted(self) -> bool {
        self.wanted.with(Option::is_some)
    }

    /// The tracks if they have loaded, without tracking or waiting (for event handlers).
    pub fn tracks_now(self) -> Option<Arc<TrackSet>> {
        self.loaded.get_untracked().flatten().and_then(Result::ok)
    }

    /// The site id progress is saved under.
    pub fn site_id(self) -> String {
        self.site_id.get_value()
    }

    /// Says what the last reading action did, in the status line, for a few seconds.
    pub fn say(self, message: impl Into<String>) {
        self.status_id.update_value(|n| *n = n.wrapping_add(1));
        let id = self.status_id.get_value();
        self.status.set(message.into());
        gloo_timers::callback::Timeout::new(STATUS_MS, move || {
            if self.status_id.try_get_value() == Some(id) {
                self.status.set(String::new());
            }
        })
        .forget();
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
    pub fn set_read(self, docs: &Docs, path: &str, read: bool) {
        let set = self.tracks_now();
        let sections = page_sections(docs, set.as_deref(), path);
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
            let mut next = self.progress.get_untracked();
            next.merge(&stored);
            if next != self.progress.get_untracked() {
                self.progress.set(next);
            }
        }
    }
}

impl Default for Reading {
    fn default() -> Self {
        Self::new()
    }
}
