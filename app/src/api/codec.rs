//! The JSON that server functions answer with, read in the browser by `serde_json::from_str`.
//!
//! Resources hydrate their server-rendered values through `from_str`; server_fn's own `Json` decodes replies
//! through `from_slice`. Every type the browser receives then had two deserializers compiled into the WASM,
//! one per reader. Decoding replies as text too keeps one. The bytes on the wire are the same JSON.
//! Every `#[server]` in this crate says `output = JsonReply`; one that does not brings the second copy back.

use serde::de::{DeserializeOwned, Error as _};
use serde::Serialize;
use server_fn::codec::Post;
use server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};

pub struct JsonText;

/// `output = JsonReply` on a server function: a POST whose answer is [`JsonText`].
pub type JsonReply = Post<JsonText>;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(value).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        from_json_bytes(&bytes)
    }
}

/// JSON held as bytes, read as text (see the module's comment for why not `from_slice`).
pub fn from_json_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    let text = std::str::from_utf8(bytes).map_err(|_| serde_json::Error::custom("the JSON is not UTF-8"))?;
    serde_json::from_str(text)
}
