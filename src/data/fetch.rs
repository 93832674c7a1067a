//! Fetching a site file by URL, with errors that tell a reader what to do.

/// Fetches `url` (relative to the page) and returns its bytes.
pub async fn fetch(url: &str) -> Result<Vec<u8>, String> {
    let from_file = web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "file:");
    let resp = gloo_net::http::Request::get(url).send().await.map_err(|e| {
        if from_file {
            format!(
                "could not fetch {url}: browsers do not let a page opened from file:// read its data files. \
                 Serve the folder instead (`build-index serve SITE`, or any static web server)"
            )
        } else {
            format!("could not fetch {url}: {e}")
        }
    })?;
    if !resp.ok() {
        return Err(format!(
            "could not fetch {url}: the server answered {} {}",
            resp.status(),
            resp.status_text()
        ));
    }
    resp.binary()
        .await
        .map_err(|e| format!("could not read {url}: {e}"))
}
