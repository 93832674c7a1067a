//! The page's one Trusted Types policy, named [`POLICY`], through which the app inserts the
//! build's already-sanitised page HTML (build-index cleans every page with ammonia). A host or
//! site that enforces `require-trusted-types-for 'script'` allows it with
//! `trusted-types docatlas`. Where the browser has no Trusted Types, strings pass as they are.

use std::cell::OnceCell;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The policy's name, the one a Content-Security-Policy's `trusted-types` directive lists.
pub const POLICY: &str = "docatlas";

thread_local! {
    /// The policy once created (a policy name can be created once per page), or `None` when
    /// the browser has no Trusted Types or refused it.
    static CREATED: OnceCell<Option<JsValue>> = const { OnceCell::new() };
}

fn create() -> Option<JsValue> {
    let window = web_sys::window()?;
    let factory = Reflect::get(&window, &"trustedTypes".into()).ok()?;
    let create: Function = Reflect::get(&factory, &"createPolicy".into())
        .ok()?
        .dyn_into()
        .ok()?;
    // The HTML comes from the build's sanitiser; the policy marks it trusted, unchanged.
    let pass = Closure::<dyn Fn(String) -> String>::new(|html: String| html).into_js_value();
    let rules = Object::new();
    Reflect::set(&rules, &"createHTML".into(), &pass).ok()?;
    match create.call2(&factory, &POLICY.into(), &rules) {
        Ok(policy) => Some(policy),
        Err(e) => {
            web_sys::console::error_2(
                &"docatlas: the Trusted Types policy `docatlas` was refused; allow it with `trusted-types docatlas`".into(),
                &e,
            );
            None
        }
    }
}

/// `html` (sanitised by the build) as a value `innerHTML` accepts under Trusted Types: a
/// `TrustedHTML` from the [`POLICY`] policy, else the string itself. For `prop:innerHTML=`.
pub fn html(html: &str) -> JsValue {
    let policy = CREATED.with(|c| c.get_or_init(create).clone());
    let trusted = policy.and_then(|p| {
        let create: Function = Reflect::get(&p, &"createHTML".into())
            .ok()?
            .dyn_into()
            .ok()?;
        create.call1(&p, &html.into()).ok()
    });
    trusted.unwrap_or_else(|| JsValue::from_str(html))
}

/// Sets `element`'s content to `html` (sanitised by the build), through the [`POLICY`] policy.
pub fn set_inner_html(element: &web_sys::Element, html: &str) {
    let _ = Reflect::set(element, &"innerHTML".into(), &self::html(html));
}
