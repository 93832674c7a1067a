//! The few `web_sys` calls the search-first module builds its DOM with: it stays small and
//! plain (no UI framework), since a first search waits for its WebAssembly. Text always goes in
//! as text nodes, never as HTML.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub use docatlas_web::host::document;

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
