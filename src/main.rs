//! Entry point of the browser app: mounts it, nothing else.

fn main() {
    docatlas::mount();
}
