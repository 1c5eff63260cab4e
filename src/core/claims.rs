//! ID-token claims and userinfo, with every claim of Logto's claim table typed and the rest
//! kept as a JSON map.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Number, Value};

/// Profile claims shared by the ID token and the userinfo response (Logto's claim table).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileClaims {
    /// Full name (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Username (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Avatar URL (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    /// Email (`email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Email verified (`email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// Phone number (`phone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Phone verified (`phone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_verified: Option<bool>,
    /// Role names (`roles`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// Organization ids (`urn:logto:scope:organizations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizations: Option<Vec<String>>,
    /// `<organization id>:<role>` pairs (`urn:logto:scope:organization_roles`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_roles: Option<Vec<String>>,
    /// Account creation time, milliseconds since the epoch (Logto).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Number>,
    /// Last profile update, milliseconds since the epoch (Logto).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Number>,
}

/// The claims of an ID token. Registered claims are optional here so a missing one is
/// reported by validation with a precise message rather than as a parse error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    /// Issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Subject (the user id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Audience: one string or an array, always read as a list.
    #[serde(default, deserialize_with = "one_or_many", skip_serializing_if = "Vec::is_empty")]
    pub aud: Vec<String>,
    /// Expiry (seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<Number>,
    /// Issued at (seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<Number>,
    /// Authentication time (seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<Number>,
    /// The nonce sent at sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// Authorized party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    /// Access-token hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_hash: Option<String>,
    /// Session id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Logto's profile claims.
    #[serde(flatten)]
    pub profile: ProfileClaims,
    /// Every other claim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The userinfo response (Logto's `/oidc/me`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    /// Subject; must equal the ID token's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Logto's profile claims.
    #[serde(flatten)]
    pub profile: ProfileClaims,
    /// `custom_data` scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<Value>,
    /// `identities` scope: social identities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identities: Option<Value>,
    /// `identities` scope: enterprise SSO identities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_identities: Option<Value>,
    /// Organizations with their names (`urn:logto:scope:organizations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_data: Option<Value>,
    /// Every other claim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Largest userinfo response accepted (bytes).
pub const MAX_USERINFO_BYTES: usize = 256 * 1024;

impl UserInfo {
    /// Parses a userinfo response body (size-limited, must be a JSON object).
    pub fn from_json(json: &str) -> Result<Self, String> {
        if json.len() > MAX_USERINFO_BYTES {
            return Err(format!(
                "the userinfo response is larger than {MAX_USERINFO_BYTES} bytes"
            ));
        }
        serde_json::from_str(json).map_err(|e| format!("the userinfo response is not valid: {e}"))
    }
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_logto_claims_and_keeps_the_rest() {
        let json = r#"{"iss":"i","sub":"u1","aud":"app","exp":2,"iat":1,"name":"Alice","username":"alice",
            "roles":["admin"],"organizations":["o1"],"organization_roles":["o1:owner"],"created_at":1736933400000,
            "email_verified":true,"custom_claim":{"a":1}}"#;
        let claims: IdTokenClaims = serde_json::from_str(json).unwrap();
        assert_eq!(claims.aud, ["app"]);
        assert_eq!(claims.profile.name.as_deref(), Some("Alice"));
        assert_eq!(claims.profile.roles.as_deref(), Some(&["admin".to_string()][..]));
        assert_eq!(
            claims.profile.organization_roles.as_deref(),
            Some(&["o1:owner".to_string()][..])
        );
        assert_eq!(claims.profile.created_at, Some(Number::from(1_736_933_400_000_i64)));
        assert_eq!(
            serde_json::to_value(&claims).unwrap()["created_at"].to_string(),
            "1736933400000"
        );
        assert_eq!(claims.extra.get("custom_claim"), Some(&serde_json::json!({"a":1})));
        assert!(
            !claims.extra.contains_key("name"),
            "typed claims are not repeated in `extra`"
        );
        let back = serde_json::to_value(&claims).unwrap();
        assert_eq!(back["username"], "alice");
        assert_eq!(back["aud"], serde_json::json!(["app"]));
    }

    #[test]
    fn audience_may_be_an_array_but_not_a_number() {
        let claims: IdTokenClaims = serde_json::from_str(r#"{"aud":["a","b"]}"#).unwrap();
        assert_eq!(claims.aud, ["a", "b"]);
        assert!(serde_json::from_str::<IdTokenClaims>(r#"{"aud":5}"#).is_err());
        assert!(serde_json::from_str::<IdTokenClaims>(r#"{"sub":5}"#).is_err());
    }

    #[test]
    fn userinfo_types_logto_extras() {
        let info = UserInfo::from_json(
            r#"{"sub":"u1","custom_data":{"plan":"pro"},"identities":{},"organization_data":[],"x":1}"#,
        )
        .unwrap();
        assert_eq!(info.custom_data, Some(serde_json::json!({"plan":"pro"})));
        assert_eq!(info.extra.get("x"), Some(&serde_json::json!(1)));
        assert!(UserInfo::from_json("[]").is_err());
        assert!(UserInfo::from_json(&" ".repeat(MAX_USERINFO_BYTES + 1)).is_err());
    }
}
