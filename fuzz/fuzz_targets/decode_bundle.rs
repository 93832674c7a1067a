//! Fuzzes the bundle decoder: any bytes give a bundle or an error, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(bundle) = docatlas_core::decode(data) {
        let docs = bundle.docs;
        if let Ok(index) = docatlas_core::SearchIndex::new(bundle.index, &docs) {
            let _ = index.search(&docs, "a", 3);
        }
    }
});
