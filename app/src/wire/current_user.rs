//! The signed-in user in the compact form of [`crate::wire`]: every page reads it before it is interactive.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{read_from, Garbled, Writer};
use crate::model::{CurrentUser, Role};

impl Serialize for CurrentUser {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut w = Writer::default();
        w.number(self.id);
        w.text(&self.email);
        w.text(&self.display_name);
        w.text(self.role.as_str());
        w.finish(serializer)
    }
}

impl<'de> Deserialize<'de> for CurrentUser {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CurrentUser, D::Error> {
        read_from(deserializer, "the signed-in user arrived garbled", |r| {
            Ok(CurrentUser {
                id: r.number()?,
                email: r.text()?,
                display_name: r.text()?,
                role: Role::parse(&r.text()?).ok_or(Garbled)?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_in_user_reads_back_equal_through_json() {
        for role in Role::ALL {
            let user = CurrentUser {
                id: 42,
                email: "ana.lópez@example.com".to_string(),
                display_name: "Ana \"Ann\" López".to_string(),
                role,
            };
            let json = serde_json::to_string(&Some(user.clone())).unwrap();
            assert_eq!(serde_json::from_str::<Option<CurrentUser>>(&json).unwrap(), Some(user));
        }
        assert_eq!(serde_json::from_str::<Option<CurrentUser>>("null").unwrap(), None);
        let unknown_role = serde_json::to_string("1;1:a1:b5:judge").unwrap();
        assert!(serde_json::from_str::<CurrentUser>(&unknown_role).is_err());
    }
}
