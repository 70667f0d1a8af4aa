//! A compact text form, sent as one JSON string, for what the Sessions page reads before it is interactive: its
//! page of sessions, the signed-in user and the console's errors.
//!
//! serde's derived `Deserialize` compiles, for every struct, a field-name matcher and a map reader and a sequence
//! reader, each specialised for serde_json: about 16 KB of the main WASM for the Sessions page's reply alone.
//! Reading the same fields from one string in a fixed order costs a few hundred bytes. Fields follow each other
//! without separators between them:
//! - a text is its length in bytes, `:`, then the text itself (so it may hold any character);
//! - a number is its decimal digits, then `;`;
//! - a flag is `1` or `0`;
//! - a missing optional value is `~`;
//! - a list is its length, as a number, then its items.

mod console_error;
mod current_user;
mod session_page;

use std::fmt::Write as _;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

/// The text could not be read back: cut short, or not written by [`Writer`].
#[derive(Debug, PartialEq, Eq)]
pub struct Garbled;

#[derive(Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn text(&mut self, text: &str) {
        let _ = write!(self.out, "{}:{text}", text.len());
    }

    pub fn number(&mut self, number: i64) {
        let _ = write!(self.out, "{number};");
    }

    pub fn flag(&mut self, flag: bool) {
        self.out.push(if flag { '1' } else { '0' });
    }

    pub fn optional<T>(&mut self, value: Option<T>, write: impl FnOnce(&mut Writer, T)) {
        match value {
            Some(value) => write(self, value),
            None => self.out.push('~'),
        }
    }

    pub fn list<T>(&mut self, items: &[T], mut write: impl FnMut(&mut Writer, &T)) {
        self.number(items.len() as i64);
        for item in items {
            write(self, item);
        }
    }

    /// Hands the written text to `serializer` as one string.
    pub fn finish<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.out)
    }
}

pub struct Reader<'a> {
    rest: &'a str,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader { rest: text }
    }

    fn until(&mut self, end: char) -> Result<&'a str, Garbled> {
        let (head, tail) = self.rest.split_once(end).ok_or(Garbled)?;
        self.rest = tail;
        Ok(head)
    }

    pub fn text(&mut self) -> Result<String, Garbled> {
        let len: usize = self.until(':')?.parse().map_err(|_| Garbled)?;
        // Checked: a length past the end or inside a character is an error, not a panic.
        let (text, rest) = self.rest.split_at_checked(len).ok_or(Garbled)?;
        self.rest = rest;
        Ok(text.to_owned())
    }

    pub fn number(&mut self) -> Result<i64, Garbled> {
        self.until(';')?.parse().map_err(|_| Garbled)
    }

    pub fn flag(&mut self) -> Result<bool, Garbled> {
        let flag = match self.rest.as_bytes().first() {
            Some(b'1') => true,
            Some(b'0') => false,
            _ => return Err(Garbled),
        };
        self.rest = &self.rest[1..];
        Ok(flag)
    }

    pub fn optional<T>(
        &mut self,
        read: impl FnOnce(&mut Reader<'a>) -> Result<T, Garbled>,
    ) -> Result<Option<T>, Garbled> {
        match self.rest.strip_prefix('~') {
            Some(rest) => {
                self.rest = rest;
                Ok(None)
            }
            None => read(self).map(Some),
        }
    }

    pub fn list<T>(
        &mut self,
        mut read: impl FnMut(&mut Reader<'a>) -> Result<T, Garbled>,
    ) -> Result<Vec<T>, Garbled> {
        let len = usize::try_from(self.number()?).map_err(|_| Garbled)?;
        // Every item takes at least one character: a forged length cannot reserve more than the text holds.
        let mut items = Vec::with_capacity(len.min(self.rest.len()));
        for _ in 0..len {
            items.push(read(self)?);
        }
        Ok(items)
    }

    /// The whole text must have been read.
    pub fn end(self) -> Result<(), Garbled> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Garbled)
        }
    }
}

/// Reads a value written by [`Writer`] from the one string `deserializer` holds.
pub fn read_from<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    what: &'static str,
    read: impl FnOnce(&mut Reader<'_>) -> Result<T, Garbled>,
) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    let mut reader = Reader::new(&text);
    let value = read(&mut reader).and_then(|value| reader.end().map(|()| value));
    value.map_err(|Garbled| D::Error::custom(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(write: impl FnOnce(&mut Writer)) -> String {
        let mut writer = Writer::default();
        write(&mut writer);
        writer.out
    }

    #[test]
    fn texts_of_any_content_read_back_whole() {
        let texts = ["", "plain", "a:b;c~1", "Zoë 🦀 naïve", "12:not a length"];
        let text = written(|w| texts.iter().for_each(|t| w.text(t)));
        let mut reader = Reader::new(&text);
        for expected in texts {
            assert_eq!(reader.text().unwrap(), expected);
        }
        assert_eq!(reader.end(), Ok(()));
    }

    #[test]
    fn numbers_flags_options_and_lists_read_back() {
        let text = written(|w| {
            w.number(-42);
            w.number(i64::MAX);
            w.flag(true);
            w.flag(false);
            w.optional(None::<i64>, Writer::number);
            w.optional(Some(7), Writer::number);
            w.list(&["x", "yz"], |w, t| w.text(t));
        });
        let mut reader = Reader::new(&text);
        assert_eq!(reader.number(), Ok(-42));
        assert_eq!(reader.number(), Ok(i64::MAX));
        assert_eq!(reader.flag(), Ok(true));
        assert_eq!(reader.flag(), Ok(false));
        assert_eq!(reader.optional(Reader::number), Ok(None));
        assert_eq!(reader.optional(Reader::number), Ok(Some(7)));
        assert_eq!(reader.list(Reader::text), Ok(vec!["x".to_string(), "yz".to_string()]));
        assert_eq!(reader.end(), Ok(()));
    }

    #[test]
    fn text_cut_short_or_forged_is_an_error_not_a_panic() {
        for bad in ["5:abc", "3", "x:abc", "1:ë", "99999999999999999999:", "-1:a", "12", "1;", "2"] {
            let mut reader = Reader::new(bad);
            let read = reader.text().and_then(|_| reader.number());
            assert_eq!(read, Err(Garbled), "{bad:?}");
        }
        assert_eq!(Reader::new("9999999999;").list(Reader::number), Err(Garbled));
        assert_eq!(Reader::new("2").flag(), Err(Garbled));
        assert_eq!(Reader::new("1:ab").text().map(|_| ()), Ok(()));
        let mut reader = Reader::new("1:ab");
        reader.text().unwrap();
        assert_eq!(reader.end(), Err(Garbled), "text left over");
    }
}
