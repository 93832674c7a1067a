//! Plain DOM building for the reading views' live regions (track lists, the page's progress
//! box), which re-render whole when the progress changes.
//!
//! Why not `view!`: every Leptos view type inside a reactive closure compiles to its own build
//! and rebuild code; written that way the reading views made the app's WebAssembly 70 KiB larger
//! (release build, names stripped) than these few `web_sys` calls per element.
//! Text always goes in as text nodes, never as HTML. Clicks and changes reach Rust through one listener per
//! region: an element's `data-da-action` and `data-da-arg` say what it does.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// An element being built.
pub struct Node(web_sys::Element);

/// A new `<tag>` element.
pub fn el(tag: &str) -> Node {
    // web_sys, not Leptos' `document()`: the search-first module builds with these too and
    // links no Leptos.
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("the app runs in a page with a document");
    Node(
        document
            .create_element(tag)
            .expect("creating an element cannot fail for a valid tag"),
    )
}

/// `<a href=href>text</a>`.
pub fn link(href: &str, text: &str) -> Node {
    el("a").attr("href", href).text(text)
}

impl Node {
    /// Sets the `class` attribute.
    pub fn class(self, class: &str) -> Self {
        self.attr("class", class)
    }

    /// Sets an attribute.
    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Makes the element do `action` with `arg` when clicked or changed (see [`Action`]).
    pub fn action(self, action: &str, arg: &str) -> Self {
        self.attr("data-da-action", action).attr("data-da-arg", arg)
    }

    /// Appends text, as a text node.
    pub fn text(self, text: &str) -> Self {
        let _ = self.0.append_with_str_1(text);
        self
    }

    /// Appends a child element.
    pub fn child(self, child: Node) -> Self {
        let _ = self.0.append_child(&child.0);
        self
    }

    /// The element built.
    pub fn into_element(self) -> web_sys::Element {
        self.0
    }

    /// Appends the children there are.
    pub fn children(self, children: impl IntoIterator<Item = Node>) -> Self {
        children.into_iter().fold(self, Node::child)
    }
}

/// What a reader did in a live region: the `data-da-action` and `data-da-arg` of the element,
/// and, for a checkbox, whether it is now ticked.
pub struct Action {
    /// What to do (`read`, `check`...).
    pub name: String,
    /// What to do it to (a page path, a checklist entry id).
    pub arg: String,
    /// For a checkbox: ticked after the change.
    pub checked: bool,
    /// The element itself (a file input's files, say).
    pub element: web_sys::Element,
}

fn action_of(ev: &web_sys::Event) -> Option<Action> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let el = target.closest("[data-da-action]").ok()??;
    let checked = el
        .dyn_ref::<web_sys::HtmlInputElement>()
        .is_some_and(web_sys::HtmlInputElement::checked);
    Some(Action {
        name: el.get_attribute("data-da-action")?,
        arg: el.get_attribute("data-da-arg").unwrap_or_default(),
        checked,
        element: el,
    })
}

/// Replaces the children of `root` with `nodes`, keeping keyboard focus on the element that
/// has the same `data-da-action` and `data-da-arg` as the focused one had.
fn replace(root: &web_sys::Element, nodes: Vec<Node>) {
    let focused = document()
        .active_element()
        .filter(|a| root.contains(Some(a)))
        .and_then(|a| {
            Some((
                a.get_attribute("data-da-action")?,
                a.get_attribute("data-da-arg").unwrap_or_default(),
            ))
        });
    root.set_text_content(None);
    for n in nodes {
        let _ = root.append_child(&n.0);
    }
    if let Some((action, arg)) = focused {
        let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let selector = format!(
            "[data-da-action=\"{}\"][data-da-arg=\"{}\"]",
            quote(&action),
            quote(&arg)
        );
        if let Some(el) = root
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
}

/// A button that does `action` with `arg`.
pub fn button(label: &str, action: &str, arg: &str) -> Node {
    el("button")
        .attr("type", "button")
        .class("da-btn")
        .action(action, arg)
        .text(label)
}

/// A region filled by `render`, again whenever the signals it reads change; clicks and changes
/// on elements with an action go to `act`.
#[component]
pub fn Live(
    /// Builds the region's contents (reading signals makes it re-render when they change).
    render: Box<dyn Fn() -> Vec<Node>>,
    /// Handles the region's actions.
    act: Box<dyn Fn(Action)>,
    /// The region's class.
    class: &'static str,
) -> impl IntoView {
    let root: NodeRef<leptos::html::Div> = NodeRef::new();
    Effect::new(move |_| {
        let nodes = render();
        if let Some(r) = root.get() {
            replace(&r, nodes);
        }
    });
    let act = std::rc::Rc::new(act);
    let on_change = {
        let act = act.clone();
        move |ev: leptos::ev::Event| {
            if let Some(a) = action_of(&ev) {
                act(a)
            }
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        // Inputs (checkboxes, files) act on `change`; buttons and the like on `click`.
        let is_input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[data-da-action]").ok().flatten())
            .is_some_and(|t| t.dyn_ref::<web_sys::HtmlInputElement>().is_some());
        if !is_input {
            if let Some(a) = action_of(&ev) {
                act(a)
            }
        }
    };
    view! { <div class=class node_ref=root on:change=on_change on:click=on_click></div> }
}
