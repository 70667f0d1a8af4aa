//! Writes a small MaxMind-format database for tests: one IPv4 network, 203.0.113.0/24, with one record. No
//! crate writes the format, and shipping a vendor's test file would only prove the vendor's file.
//! Format: <https://maxmind.github.io/MaxMind-DB/> (search tree, 16-byte separator, data section, metadata).

use std::path::Path;

/// A record field: a string or an unsigned number.
pub enum Entry {
    Text(&'static str, &'static str),
    Number(&'static str, u32),
}

impl Entry {
    pub fn text(key: &'static str, value: &'static str) -> Entry {
        Entry::Text(key, value)
    }

    pub fn number(key: &'static str, value: u32) -> Entry {
        Entry::Number(key, value)
    }
}

/// The network's 24 leading bits, one tree node each.
const PREFIX: [u8; 3] = [203, 0, 113];
const NODES: u32 = 24;

/// A control byte: the type in the top 3 bits (8 and above go in an extension byte), the size in the low 5;
/// a size from 29 to 284 is 29 there and the rest in the byte after.
fn control(out: &mut Vec<u8>, kind: u8, size: usize) {
    assert!(size < 285, "longer sizes need forms these tests never use");
    let (short, rest) = if size < 29 { (size as u8, None) } else { (29, Some((size - 29) as u8)) };
    if kind <= 7 {
        out.push(kind << 5 | short);
    } else {
        out.push(short);
        out.push(kind - 7);
    }
    out.extend(rest);
}

fn text(out: &mut Vec<u8>, value: &str) {
    control(out, 2, value.len());
    out.extend_from_slice(value.as_bytes());
}

/// uint16 (5), uint32 (6) or uint64 (9), in as few big-endian bytes as the value needs.
fn unsigned(out: &mut Vec<u8>, kind: u8, value: u64) {
    let bytes = value.to_be_bytes();
    let first = bytes.iter().position(|byte| *byte != 0).unwrap_or(bytes.len());
    control(out, kind, bytes.len() - first);
    out.extend_from_slice(&bytes[first..]);
}

fn map_of(out: &mut Vec<u8>, entries: &[Entry]) {
    control(out, 7, entries.len());
    for entry in entries {
        match entry {
            Entry::Text(key, value) => {
                text(out, key);
                text(out, value);
            }
            Entry::Number(key, value) => {
                text(out, key);
                unsigned(out, 6, u64::from(*value));
            }
        }
    }
}

/// A 24-bit record.
fn record(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_be_bytes()[1..]);
}

pub fn write_network_database(path: &Path, database_type: &str, fields: &[Entry]) {
    let mut file = Vec::new();
    // The search tree: node i follows bit i of the prefix to node i + 1; the last one points at the record (the
    // data section's first byte: NODES + 16 + 0); every other branch is "no data" (NODES).
    for node in 0..NODES {
        let bit = PREFIX[(node / 8) as usize] >> (7 - node % 8) & 1;
        let next = if node + 1 == NODES { NODES + 16 } else { node + 1 };
        let (left, right) = if bit == 0 { (next, NODES) } else { (NODES, next) };
        record(&mut file, left);
        record(&mut file, right);
    }
    file.extend_from_slice(&[0; 16]);
    map_of(&mut file, fields);
    file.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
    control(&mut file, 7, 9);
    for (key, kind, value) in
        [("node_count", 6, u64::from(NODES)), ("record_size", 5, 24), ("ip_version", 5, 4)]
            .into_iter()
            .chain([("binary_format_major_version", 5, 2), ("binary_format_minor_version", 5, 0)])
            .chain([("build_epoch", 9, 1_764_633_600)])
    {
        text(&mut file, key);
        unsigned(&mut file, kind, value);
    }
    text(&mut file, "database_type");
    text(&mut file, database_type);
    text(&mut file, "languages");
    control(&mut file, 11, 1);
    text(&mut file, "en");
    text(&mut file, "description");
    control(&mut file, 7, 1);
    text(&mut file, "en");
    text(&mut file, "Roster test network database");
    std::fs::write(path, file).expect("the test database is written");
}
