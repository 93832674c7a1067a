//! Plain DOM building: every view of the app is made of these few `web_sys` calls, and live
//! regions re-render whole when what they show changes.
//!
//! Why not a UI framework: the app ships as WebAssembly over the wire. Written with Leptos'
//! `view!` the app was 332 KiB gzipped, most of it the framework's build and rebuild code for
//! each view type; these builders cost a few bytes per element.
//!
//! Text always goes in as text nodes, never as HTML (the one exception, a page's sanitised
//! body, is set by the page view itself). Clicks and changes in a live region reach Rust through
//! one listener per region: an element's `data-da-action` and `data-da-arg` say what it does.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub use crate::host::document;

/// An element being built.
pub struct Node(web_sys::Element);

/// A new `<tag>` element.
pub fn el(tag: &str) -> Node {
    Node(
        document()
            .create_element(tag)
            .expect("creating an element cannot fail for a valid tag"),
    )
}

/// A new SVG `<tag>` element.
pub fn svg(tag: &str) -> Node {
    Node(
        document()
            .create_element_ns(Some("http://www.w3.org/2000/svg"), tag)
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

    /// Sets a boolean attribute (`checked`, `selected`, `hidden`) when `on`.
    pub fn flag(self, name: &str, on: bool) -> Self {
        if on {
            self.attr(name, "")
        } else {
            self
        }
    }

    /// Makes the element do `action` with `arg` when clicked or changed inside a [`live`]
    /// region (see [`Action`]).
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

    /// Appends the children there are.
    pub fn children(self, children: impl IntoIterator<Item = Node>) -> Self {
        children.into_iter().fold(self, Node::child)
    }

    /// Runs `f` on each `event` at this element. The handler lives as long as the element:
    /// the browser's garbage collector frees both.
    pub fn on(self, event: &str, f: impl FnMut(web_sys::Event) + 'static) -> Self {
        listen(&self.0, event, f);
        self
    }

    /// The element built.
    pub fn element(&self) -> &web_sys::Element {
        &self.0
    }

    /// The element built.
    pub fn into_element(self) -> web_sys::Element {
        self.0
    }
}

/// Runs `f` on each `event` at `target` for as long as the target lives.
pub fn listen(target: &web_sys::EventTarget, event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let f = Closure::<dyn FnMut(web_sys::Event)>::new(f).into_js_value();
    let _ = target.add_event_listener_with_callback(event, f.unchecked_ref());
}

/// Runs `f` after `ms` milliseconds.
pub fn after(ms: i32, f: impl FnOnce() + 'static) {
    let f = Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), ms);
    }
}

/// Replaces the children of `root` with `nodes`.
pub fn show(root: &web_sys::Element, nodes: impl IntoIterator<Item = Node>) {
    root.set_text_content(None);
    for n in nodes {
        let _ = root.append_child(&n.0);
    }
}

/// A text input showing `value`, labelled `label` (the label also finds it again: see
/// [`input_value`]). The value is set as a property: what the reader types replaces it.
pub fn text_input(placeholder: &str, label: &str, value: &str) -> Node {
    let input = el("input")
        .attr("type", "text")
        .attr("placeholder", placeholder)
        .attr("aria-label", label);
    if let Some(i) = input.element().dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    }
    input
}

/// The value of the input labelled `label` in `form` (empty when there is none).
pub fn input_value(form: &web_sys::Element, label: &str) -> String {
    form.query_selector(&format!("input[aria-label=\"{label}\"]"))
        .ok()
        .flatten()
        .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
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
    show(root, nodes);
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

/// Builds a live region's contents.
type Render = Rc<dyn Fn() -> Vec<Node>>;

thread_local! {
    /// The live regions of the view on screen, re-rendered by [`refresh`].
    static REGIONS: RefCell<Vec<(web_sys::Element, Render)>> = const { RefCell::new(Vec::new()) };
    /// A refresh is running; a refresh asked for meanwhile runs once it is done.
    static REFRESHING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
}

/// A `<div class=class>` filled by `render`, again on every [`refresh`] while it is in the
/// page; clicks and changes on its elements with an action go to `act`.
pub fn live(
    class: &str,
    render: impl Fn() -> Vec<Node> + 'static,
    act: impl Fn(Action) + 'static,
) -> Node {
    let render: Render = Rc::new(render);
    let act = Rc::new(act);
    let on_change = {
        let act = act.clone();
        move |ev: web_sys::Event| {
            if let Some(a) = action_of(&ev) {
                act(a)
            }
        }
    };
    let on_click = move |ev: web_sys::Event| {
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
    let region = el("div")
        .class(class)
        .on("change", on_change)
        .on("click", on_click);
    show(region.element(), render());
    REGIONS.with(|r| r.borrow_mut().push((region.element().clone(), render)));
    region
}

/// Re-renders every live region on screen: what they show changed (reading progress, the
/// tracks arriving).
pub fn refresh() {
    if REFRESHING.with(|r| r.replace(true)) {
        AGAIN.with(|a| a.set(true));
        return;
    }
    loop {
        let regions: Vec<(web_sys::Element, Render)> = REGIONS.with(|r| {
            let mut r = r.borrow_mut();
            // A view is built and placed in one go, so a region not in the page has left it.
            r.retain(|(el, _)| el.is_connected());
            r.clone()
        });
        for (el, render) in regions {
            replace(&el, render());
        }
        if !AGAIN.with(|a| a.replace(false)) {
            break;
        }
    }
    REFRESHING.with(|r| r.set(false));
}
