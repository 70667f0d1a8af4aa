//! Where an IP address is, from a MaxMind-format database when one is configured; and whose network it is on
//! (`network`).

mod network;

pub use network::NetworkDatabase;

use std::net::IpAddr;
use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Location {
    pub city: Option<String>,
    pub country: Option<String>,
    pub country_code: Option<String>,
    /// Where the database places the address (degrees), for the impossible-travel alarm.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl Location {
    fn named(country: &str) -> Location {
        Location { country: Some(country.to_string()), ..Location::default() }
    }
}

#[derive(Deserialize)]
struct Names {
    en: Option<String>,
}

#[derive(Deserialize)]
struct Place {
    names: Option<Names>,
    iso_code: Option<String>,
}

#[derive(Deserialize)]
struct Coordinates {
    latitude: Option<f64>,
    longitude: Option<f64>,
}

#[derive(Deserialize)]
struct CityRecord {
    city: Option<Place>,
    country: Option<Place>,
    location: Option<Coordinates>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot open the geo database {path}: {message}")]
pub struct GeoError {
    path: String,
    message: String,
}

/// A MaxMind-format city database, loaded into memory once.
pub struct GeoDatabase {
    reader: maxminddb::Reader<Vec<u8>>,
}

impl std::fmt::Debug for GeoDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GeoDatabase")
    }
}

/// Loads a MaxMind-format file into memory: the city database and the network one alike.
fn open_reader(path: &Path) -> Result<maxminddb::Reader<Vec<u8>>, GeoError> {
    maxminddb::Reader::open_readfile(path)
        .map_err(|error| GeoError { path: path.display().to_string(), message: error.to_string() })
}

impl GeoDatabase {
    pub fn open(path: &Path) -> Result<GeoDatabase, GeoError> {
        open_reader(path).map(|reader| GeoDatabase { reader })
    }

    fn lookup(&self, ip: IpAddr) -> Option<Location> {
        let record: CityRecord = self.reader.lookup(ip).ok()?.decode().ok()??;
        let name =
            |place: &Option<Place>| place.as_ref().and_then(|p| p.names.as_ref()).and_then(|n| n.en.clone());
        Some(Location {
            city: name(&record.city),
            country: name(&record.country),
            country_code: record.country.as_ref().and_then(|country| country.iso_code.clone()),
            latitude: record.location.as_ref().and_then(|point| point.latitude),
            longitude: record.location.as_ref().and_then(|point| point.longitude),
        })
    }
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_link_local() || v4.is_shared_lan(),
        // Unique local (fc00::/7) and link-local (fe80::/10).
        IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00 || (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

trait SharedLan {
    fn is_shared_lan(&self) -> bool;
}

impl SharedLan for std::net::Ipv4Addr {
    /// 100.64.0.0/10, carrier-grade NAT.
    fn is_shared_lan(&self) -> bool {
        self.octets()[0] == 100 && (self.octets()[1] & 0xc0) == 64
    }
}

/// Loopback and private addresses are named as such; others come from the database, or stay unknown.
pub fn locate(database: Option<&GeoDatabase>, ip: Option<IpAddr>) -> Location {
    let Some(ip) = ip else {
        return Location::default();
    };
    if ip.is_loopback() {
        return Location::named("Loopback");
    }
    if is_private(ip) {
        return Location::named("Private network");
    }
    database.and_then(|database| database.lookup(ip)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_private_addresses_are_named_without_a_database() {
        let at = |text: &str| locate(None, Some(text.parse().unwrap())).country;
        assert_eq!(at("127.0.0.1").as_deref(), Some("Loopback"));
        assert_eq!(at("::1").as_deref(), Some("Loopback"));
        assert_eq!(at("10.1.2.3").as_deref(), Some("Private network"));
        assert_eq!(at("192.168.0.9").as_deref(), Some("Private network"));
        assert_eq!(at("fd00::1").as_deref(), Some("Private network"));
        assert_eq!(at("8.8.8.8"), None);
        assert_eq!(locate(None, None), Location::default());
    }
}
