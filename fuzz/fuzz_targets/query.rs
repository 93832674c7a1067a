//! Fuzzes the query parser and the tokenizer on arbitrary strings.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(q) = std::str::from_utf8(data) {
        let _ = docatlas_core::query::parse(q, &|k| k == "kind");
        let _ = docatlas_core::text::tokenize(q);
        let _ = docatlas_core::text::percent_decode(q);
    }
});
