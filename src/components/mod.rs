//! Widgets shared by the pages, and the search state they share.

pub mod dom;
mod entity_hits;
pub mod graph;
mod read_progress;
pub mod reading;
mod reading_keys;
mod search_box;
mod snippet;

use leptos::prelude::*;

pub use entity_hits::EntityHits;
pub use read_progress::ReadProgress;
pub use reading::TracksSummary;
pub use reading_keys::ReadingKeys;
pub use search_box::SearchBox;
pub use snippet::Highlighted;

/// State shared by the search box and the results page (provided by `App` as context): which
/// result the arrow keys have selected, and where each result leads.
#[derive(Clone, Copy)]
pub struct SearchState {
    /// Index of the selected result.
    pub selected: RwSignal<usize>,
    /// The hrefs of the results on screen, in order.
    pub hits: RwSignal<Vec<String>>,
}

impl Default for SearchState {
    fn default() -> Self {
        Self {
            selected: RwSignal::new(0),
            hits: RwSignal::new(Vec::new()),
        }
    }
}

/// An error a view could not get past (a file that would not load), in the app's error box.
#[component]
pub fn ErrorBox(message: String) -> impl IntoView {
    view! {
        <div class="da-error" role="alert">
            <p class="da-error-message">{message}</p>
        </div>
    }
}
