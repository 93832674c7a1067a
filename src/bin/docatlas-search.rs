//! Entry point of the search-first module (`docatlas::search_first`): starts it, nothing else.

fn main() {
    docatlas::search_first::start();
}
