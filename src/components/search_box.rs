//! The search box in the header: the URL follows what is typed once typing pauses (the search
//! page runs the query); ↑/↓ choose a result, Enter opens it at its section, Esc clears. It is
//! labelled and keyed as the search-first module's box is (`docatlas_web::search_box`), which it
//! replaces with the same query and focus.

use gloo_timers::callback::Timeout;
use leptos::html::Input;
use leptos::prelude::*;

use docatlas_web::search_box::{follow, DEBOUNCE_MS, HITS_ID, LABEL, PLACEHOLDER};

use docatlas_web::route::{go, Route};

/// What the arrow keys have chosen: an entity card above the results, or a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Entity card `n` (in the order shown).
    Card(usize),
    /// Result `n`.
    Hit(usize),
}

impl Choice {
    /// The next choice down (`down`) or up among `cards` cards then `hits` results, wrapping
    /// around; the cards come first, as on screen.
    pub fn step(self, down: bool, cards: usize, hits: usize) -> Choice {
        let total = cards.saturating_add(hits);
        if total == 0 {
            return self;
        }
        let at = match self {
            Choice::Card(i) => i.min(cards.saturating_sub(1)),
            Choice::Hit(i) => cards.saturating_add(i.min(hits.saturating_sub(1))),
        };
        let next = if down {
            (at + 1) % total
        } else {
            (at + total - 1) % total
        };
        if next < cards {
            Choice::Card(next)
        } else {
            Choice::Hit(next - cards)
        }
    }
}

/// What the box, the entity cards and the search page share (context): the results and cards
/// on screen, and the one the arrow keys have chosen.
#[derive(Clone, Copy)]
pub struct SearchState {
    /// The chosen card or result (a new query chooses its first result).
    pub selected: RwSignal<Choice>,
    /// Where each result on screen leads, in order (empty when none are on screen).
    pub hrefs: RwSignal<Vec<String>>,
    /// Where each entity card on screen leads (its impact view), in order.
    pub cards: RwSignal<Vec<String>>,
}

impl Default for SearchState {
    fn default() -> Self {
        Self {
            selected: RwSignal::new(Choice::Hit(0)),
            hrefs: RwSignal::new(Vec::new()),
            cards: RwSignal::new(Vec::new()),
        }
    }
}

impl SearchState {
    /// Where the chosen card or result leads.
    fn chosen_href(self) -> Option<String> {
        match self.selected.get_untracked() {
            Choice::Card(i) => self.cards.with_untracked(|c| c.get(i).cloned()),
            Choice::Hit(i) => self.hrefs.with_untracked(|h| h.get(i).cloned()),
        }
    }

    /// The `id` of the chosen card's or result's element, for `aria-activedescendant`.
    fn active_id(self) -> Option<String> {
        let (cards, hits) = (self.cards.with(Vec::len), self.hrefs.with(Vec::len));
        match self.selected.get() {
            Choice::Card(i) if i < cards => Some(card_id(i)),
            Choice::Hit(i) if i < hits => Some(format!("da-hit-{i}")),
            _ => None,
        }
    }
}

/// The `id` of entity card `i`'s title link.
pub fn card_id(i: usize) -> String {
    format!("da-card-{i}")
}

/// The box's element (context), for `/` and Ctrl-K and for taking over the search-first
/// module's focus.
#[derive(Clone, Copy)]
pub struct SearchInput(pub NodeRef<Input>);

/// The header's search field, bound to the `#/search?q=` route.
#[component]
pub fn SearchBox(route: Memo<Route>) -> impl IntoView {
    let state = expect_context::<SearchState>();
    let SearchInput(input) = expect_context::<SearchInput>();
    let query_of = |r: Route| match r {
        Route::Search { query } => Some(query),
        _ => None,
    };
    // What is in the box; it follows the route when that changes from elsewhere (Back, a chip).
    let text = RwSignal::new(query_of(route.get_untracked()).unwrap_or_default());
    Effect::new(move |_| {
        if let Some(query) = query_of(route.get()) {
            if query != text.get_untracked() {
                text.set(query);
            }
        }
    });
    // Bumped by each keystroke (and Esc); only the last of a burst navigates.
    let typed = StoredValue::new(0u64);
    let on_input = move |ev| {
        let query = event_target_value(&ev);
        text.set(query.clone());
        typed.update_value(|n| *n = n.wrapping_add(1));
        let mine = typed.get_value();
        Timeout::new(DEBOUNCE_MS, move || {
            if typed.try_get_value() == Some(mine) {
                follow(query);
            }
        })
        .forget();
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" | "ArrowUp" => {
            ev.prevent_default();
            let (cards, hits) = (
                state.cards.with_untracked(Vec::len),
                state.hrefs.with_untracked(Vec::len),
            );
            let down = ev.key() == "ArrowDown";
            state.selected.update(|c| *c = c.step(down, cards, hits));
        }
        "Enter" => {
            ev.prevent_default();
            match state.chosen_href() {
                Some(h) => {
                    if let Some(el) = input.get_untracked() {
                        let _ = el.blur();
                    }
                    let _ = window().location().set_hash(&h);
                }
                None => go(
                    &Route::Search {
                        query: text.get_untracked(),
                    },
                    false,
                ),
            }
        }
        "Escape" => {
            ev.prevent_default();
            typed.update_value(|n| *n = n.wrapping_add(1));
            text.set(String::new());
            if matches!(route.get_untracked(), Route::Search { .. }) {
                go(
                    &Route::Search {
                        query: String::new(),
                    },
                    true,
                );
            }
        }
        _ => {}
    };
    view! {
        <form class="da-search" role="search" on:submit=|ev| ev.prevent_default()>
            <input node_ref=input type="search" class="da-search-input" placeholder=PLACEHOLDER
                aria-label=LABEL role="combobox" aria-autocomplete="list" aria-controls=HITS_ID
                aria-expanded=move || if state.hrefs.with(Vec::is_empty) { "false" } else { "true" }
                aria-activedescendant=move || state.active_id()
                autocomplete="off" spellcheck="false"
                prop:value=move || text.get() on:input=on_input on:keydown=on_keydown/>
        </form>
    }
}
