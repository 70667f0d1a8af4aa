//! Who runs the network an address belongs to, from a MaxMind ISP (GeoIP2-ISP) or ASN (GeoLite2-ASN) database
//! when one is configured: "My sessions" shows it in a session's Details, and leaves the line out otherwise.

use std::net::IpAddr;
use std::path::Path;

use serde::Deserialize;

use super::{open_reader, GeoError};

/// The fields both formats may carry; an ISP database has all, an ASN database the last two.
#[derive(Deserialize)]
struct NetworkRecord {
    isp: Option<String>,
    organization: Option<String>,
    autonomous_system_number: Option<u32>,
    autonomous_system_organization: Option<String>,
}

pub struct NetworkDatabase {
    reader: maxminddb::Reader<Vec<u8>>,
}

impl std::fmt::Debug for NetworkDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NetworkDatabase")
    }
}

impl NetworkDatabase {
    pub fn open(path: &Path) -> Result<NetworkDatabase, GeoError> {
        open_reader(path).map(|reader| NetworkDatabase { reader })
    }

    /// "Example Telecom (AS64500)": the ISP, else the organisation holding the network, with its AS number.
    pub fn network(&self, ip: IpAddr) -> Option<String> {
        let record: NetworkRecord = self.reader.lookup(ip).ok()?.decode().ok()??;
        let name = record.isp.or(record.organization).or(record.autonomous_system_organization)?;
        Some(match record.autonomous_system_number {
            Some(number) => format!("{name} (AS{number})"),
            None => name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmdb_writer::{Value, Writer};

    /// A database of `kind` holding `record` for 203.0.113.0/24.
    fn database(dir: &Path, kind: &str, record: Value) -> NetworkDatabase {
        let mut writer = Writer::new(kind);
        writer.insert_value("203.0.113.0/24".parse::<mmdb_writer::ipnet::IpNet>().unwrap(), record).unwrap();
        let path = dir.join(format!("{kind}.mmdb"));
        std::fs::write(&path, writer.to_bytes().unwrap()).unwrap();
        NetworkDatabase::open(&path).unwrap()
    }

    #[test]
    fn an_isp_database_names_the_isp_and_an_asn_database_the_organisation() {
        let dir = tempfile::tempdir().unwrap();
        let isp = database(
            dir.path(),
            "GeoIP2-ISP",
            Value::map([
                ("isp", Value::from("Example Telecom")),
                ("organization", Value::from("Example Business Lines")),
                ("autonomous_system_number", Value::from(64500u32)),
            ]),
        );
        assert_eq!(isp.network("203.0.113.9".parse().unwrap()).as_deref(), Some("Example Telecom (AS64500)"));
        assert_eq!(isp.network("198.51.100.9".parse().unwrap()), None, "outside the database's networks");

        let asn = database(
            dir.path(),
            "GeoLite2-ASN",
            Value::map([("autonomous_system_organization", Value::from("EXAMPLE-AS"))]),
        );
        assert_eq!(asn.network("203.0.113.200".parse().unwrap()).as_deref(), Some("EXAMPLE-AS"));
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("not.mmdb");
        std::fs::write(&path, b"hello").unwrap();
        let error = NetworkDatabase::open(&path).unwrap_err().to_string();
        assert!(error.contains("not.mmdb"), "{error}");
    }
}
