//! What only a browser can do for the console: the clipboard and file downloads. On the server, where event
//! handlers never run, they say so instead of doing nothing silently.

/// Puts `text` on the clipboard.
pub async fn copy_text(text: String) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        let clipboard = leptos::prelude::window().navigator().clipboard();
        wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
            .await
            .map(|_| ())
            .map_err(|_| "The browser did not allow copying to the clipboard.".to_string())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        Err("Copying needs the browser.".into())
    }
}

/// Saves `json` as a file named `filename`, as a download.
pub fn download_json(filename: &str, json: &str) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{JsCast, JsValue};
        let failed = |_| "The browser did not allow the download.".to_string();
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let parts = js_sys::Array::of1(&JsValue::from_str(json));
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
        let link: web_sys::HtmlAnchorElement =
            leptos::prelude::document().create_element("a").map_err(failed)?.unchecked_into();
        link.set_href(&url);
        link.set_download(filename);
        link.click();
        web_sys::Url::revoke_object_url(&url).map_err(failed)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (filename, json);
        Err("Downloading needs the browser.".into())
    }
}
