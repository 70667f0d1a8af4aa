//! What only a browser can do for the console: the clipboard, file downloads and the viewer's time zone. On
//! the server, where event handlers never run, they say so instead of doing nothing silently.

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

/// The browser's time zone as IANA names it (`Europe/Madrid`), if it says.
#[cfg(feature = "hydrate")]
pub fn time_zone_name() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into()).ok()?.as_string()
}

/// How far the browser's wall clock is ahead of UTC at `ms`, in minutes (60 in Madrid in winter, 120 in
/// summer): asked per moment, so summer time is right on both sides of the change.
#[cfg(feature = "hydrate")]
pub fn time_zone_offset_minutes(ms: i64) -> i64 {
    -(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64)).get_timezone_offset() as i64)
}

/// The moment a `datetime-local` value (`2026-12-02T17:58`) names on the browser's wall clock, in Unix
/// milliseconds; None when it is not a date and time.
pub fn local_input_ms(text: &str) -> Option<i64> {
    #[cfg(feature = "hydrate")]
    {
        // ECMAScript reads a date-time without an offset as local time.
        let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(text)).get_time();
        (!ms.is_nan() && text.len() >= 16).then_some(ms as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        None
    }
}
