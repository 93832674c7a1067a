//! Where a reader's progress is kept, and its file format.
//!
//! Progress is saved in the browser's localStorage (through gloo-storage) under
//! `docatlas:progress:<site id>`, so two portals on one origin never share it. When storage is
//! unavailable (private mode, a `file://` page, a full quota) it stays in memory and the views say
//! so. The saved text is the same JSON as an exported progress file, read and written with the
//! browser's own `JSON` (no serde_json in the app):
//!
//! ```json
//! {"format": "docatlas-progress", "version": 1, "site": "kestrel-engineering-portal",
//!  "track": "short-on-time-read-these-first",
//!  "pages": {"engineering/stack.md": {"read": true, "at": 1715000000000, "sections": {"": 123, "why-nestjs": 456}}},
//!  "checks": {"README:1a2b3c4d": {"done": true, "at": 1715000000000}}}
//! ```

use docatlas_core::tracks::{storage_key, Mark, PageMark, Progress};
use gloo_storage::Storage as _;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// The `format` field of a progress file.
pub const FORMAT: &str = "docatlas-progress";
/// The `version` field this app writes; files of a later version are refused.
pub const VERSION: u32 = 1;

/// One site's progress in the browser's storage, if the browser lets the page use it.
pub struct Store {
    key: String,
    storage: Option<web_sys::Storage>,
}

impl Store {
    /// Opens localStorage for `site_id`; with it unavailable, the store keeps nothing and the
    /// second value says why.
    pub fn open(site_id: &str) -> (Store, Option<String>) {
        let key = storage_key(site_id);
        match probe() {
            Ok(()) => (
                Store {
                    key,
                    storage: Some(gloo_storage::LocalStorage::raw()),
                },
                None,
            ),
            Err(why) => (Store { key, storage: None }, Some(why.to_string())),
        }
    }

    /// The saved progress (empty when nothing is saved yet).
    pub fn load(&self) -> Result<Progress, String> {
        let Some(storage) = &self.storage else {
            return Ok(Progress::default());
        };
        match storage.get_item(&self.key) {
            Ok(Some(text)) => from_json(&text).map(|(p, _)| p),
            _ => Ok(Progress::default()),
        }
    }

    /// Saves `progress`, merged with what is stored already (another tab's marks are never
    /// overwritten), and returns the merged progress. If the browser refuses (quota), the store
    /// stops saving and the error says so.
    pub fn save(&mut self, progress: &Progress, site_id: &str) -> Result<Progress, String> {
        let Some(storage) = &self.storage else {
            return Ok(progress.clone());
        };
        let mut merged = progress.clone();
        if let Ok(Some(text)) = storage.get_item(&self.key) {
            if let Ok((stored, _)) = from_json(&text) {
                merged.merge(&stored);
            }
        }
        match storage.set_item(&self.key, &to_json(&merged, site_id)) {
            Ok(()) => Ok(merged),
            Err(_) => {
                self.storage = None;
                Err("the browser refused to save more (its storage for this site is full)".into())
            }
        }
    }

    /// Forgets the saved progress.
    pub fn clear(&self) {
        if let Some(s) = &self.storage {
            let _ = s.remove_item(&self.key);
        }
    }

    /// The storage key, to recognise another tab's saves.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// Whether localStorage can be written; the reason when it cannot.
fn probe() -> Result<(), &'static str> {
    let window = web_sys::window().ok_or("there is no browser window")?;
    let storage = window
        .local_storage()
        .map_err(|_| {
            "the browser blocks storage for this page (private mode, or a page opened from a file)"
        })?
        .ok_or("this browser has no local storage")?;
    const PROBE: &str = "docatlas:probe";
    storage.set_item(PROBE, "1").map_err(|_| {
        "the browser refuses to store data for this page (private mode, or its storage is full)"
    })?;
    let _ = storage.remove_item(PROBE);
    Ok(())
}

fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

/// The progress file for `progress` of the site `site_id`, as pretty-printed JSON.
pub fn to_json(progress: &Progress, site_id: &str) -> String {
    let root = Object::new();
    set(&root, "format", FORMAT);
    set(&root, "version", VERSION);
    set(&root, "site", site_id);
    set(
        &root,
        "track",
        progress
            .track
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str),
    );
    let pages = Object::new();
    for (path, mark) in &progress.pages {
        let page = Object::new();
        set(&page, "read", mark.read);
        set(&page, "at", mark.at as f64);
        let sections = Object::new();
        for (anchor, hash) in &mark.sections {
            set(&sections, anchor, *hash);
        }
        set(&page, "sections", sections);
        set(&pages, path, page);
    }
    set(&root, "pages", pages);
    let checks = Object::new();
    for (id, mark) in &progress.checks {
        let check = Object::new();
        set(&check, "done", mark.done);
        set(&check, "at", mark.at as f64);
        set(&checks, id, check);
    }
    set(&root, "checks", checks);
    JSON::stringify_with_replacer_and_space(&root, &JsValue::NULL, &JsValue::from(1))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// (key, value) of each property of a JSON object; nothing for anything else.
fn entries(value: &JsValue) -> Vec<(String, JsValue)> {
    let Some(obj) = value.dyn_ref::<Object>().filter(|_| value.is_object()) else {
        return Vec::new();
    };
    Object::entries(obj)
        .iter()
        .filter_map(|pair| {
            let pair: Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1)))
        })
        .collect()
}

fn time(value: &JsValue) -> u64 {
    value
        .as_f64()
        .filter(|t| t.is_finite() && *t >= 0.0)
        .map_or(0, |t| t as u64)
}

/// Reads a progress file: the progress and the site it was saved for. Entries it cannot make
/// sense of are skipped; a file that is not progress at all is an error saying so.
pub fn from_json(text: &str) -> Result<(Progress, Option<String>), String> {
    let root = JSON::parse(text)
        .map_err(|_| "this file is not JSON, so it cannot be docatlas progress".to_string())?;
    if get(&root, "format").as_string().as_deref() != Some(FORMAT) {
        return Err(format!(
            "this file is not a docatlas progress file (it has no \"format\": \"{FORMAT}\"); export progress from the tracks page to get one"
        ));
    }
    // Compared as a number but printed as an integer: float formatting costs the app 10 KiB.
    let version = get(&root, "version").as_f64().unwrap_or(0.0);
    if version > f64::from(VERSION) {
        return Err(format!(
            "this progress file is version {}, newer than this site reads ({VERSION}); update the site, or export again from it",
            version as u64
        ));
    }
    let mut progress = Progress {
        track: get(&root, "track").as_string(),
        ..Progress::default()
    };
    for (path, mark) in entries(&get(&root, "pages")) {
        let sections = entries(&get(&mark, "sections"))
            .into_iter()
            .filter_map(|(anchor, hash)| Some((anchor, hash.as_f64().map(|h| h as u32)?)))
            .collect();
        progress.pages.insert(
            path,
            PageMark {
                read: get(&mark, "read").as_bool().unwrap_or(false),
                at: time(&get(&mark, "at")),
                sections,
            },
        );
    }
    for (id, mark) in entries(&get(&root, "checks")) {
        progress.checks.insert(
            id,
            Mark {
                done: get(&mark, "done").as_bool().unwrap_or(false),
                at: time(&get(&mark, "at")),
            },
        );
    }
    Ok((progress, get(&root, "site").as_string()))
}
