//! ID-token claims and userinfo, with every claim of Logto's claim table typed and the rest
//! kept as a JSON object.

use crate::core::json::{parse_object, FieldError, Json, JsonObject};

/// Profile claims shared by the ID token and the userinfo response (Logto's claim table).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileClaims {
    /// Full name (`profile`).
    pub name: Option<String>,
    /// Username (`profile`).
    pub username: Option<String>,
    /// Avatar URL (`profile`).
    pub picture: Option<String>,
    /// Email (`email`).
    pub email: Option<String>,
    /// Email verified (`email`).
    pub email_verified: Option<bool>,
    /// Phone number (`phone`).
    pub phone_number: Option<String>,
    /// Phone verified (`phone`).
    pub phone_number_verified: Option<bool>,
    /// Role names (`roles`).
    pub roles: Option<Vec<String>>,
    /// Organization ids (`urn:logto:scope:organizations`).
    pub organizations: Option<Vec<String>>,
    /// `<organization id>:<role>` pairs (`urn:logto:scope:organization_roles`).
    pub organization_roles: Option<Vec<String>>,
    /// Account creation time, milliseconds since the epoch (Logto).
    pub created_at: Option<i64>,
    /// Last profile update, milliseconds since the epoch (Logto).
    pub updated_at: Option<i64>,
}

/// The member names [`ProfileClaims`] reads.
const PROFILE_CLAIMS: [&str; 12] = [
    "name",
    "username",
    "picture",
    "email",
    "email_verified",
    "phone_number",
    "phone_number_verified",
    "roles",
    "organizations",
    "organization_roles",
    "created_at",
    "updated_at",
];

impl ProfileClaims {
    fn read(o: &JsonObject) -> Result<Self, FieldError> {
        Ok(Self {
            name: o.string("name")?,
            username: o.string("username")?,
            picture: o.string("picture")?,
            email: o.string("email")?,
            email_verified: o.bool("email_verified")?,
            phone_number: o.string("phone_number")?,
            phone_number_verified: o.bool("phone_number_verified")?,
            roles: o.strings("roles")?,
            organizations: o.strings("organizations")?,
            organization_roles: o.strings("organization_roles")?,
            created_at: o.int("created_at")?,
            updated_at: o.int("updated_at")?,
        })
    }

    fn write(&self, o: JsonObject) -> JsonObject {
        o.with("name", self.name.as_ref())
            .with("username", self.username.as_ref())
            .with("picture", self.picture.as_ref())
            .with("email", self.email.as_ref())
            .with("email_verified", self.email_verified)
            .with("phone_number", self.phone_number.as_ref())
            .with("phone_number_verified", self.phone_number_verified)
            .with("roles", self.roles.as_ref())
            .with("organizations", self.organizations.as_ref())
            .with("organization_roles", self.organization_roles.as_ref())
            .with("created_at", self.created_at)
            .with("updated_at", self.updated_at)
    }
}

/// The members of `o` not named in `known`.
fn rest(o: &JsonObject, known: &[&[&str]]) -> JsonObject {
    let mut extra = JsonObject::new();
    for (key, value) in o.iter() {
        if !known.iter().any(|names| names.contains(&key)) {
            extra.insert(key, value.clone());
        }
    }
    extra
}

/// Appends the members of `extra` to `o`.
fn with_rest(mut o: JsonObject, extra: &JsonObject) -> JsonObject {
    for (key, value) in extra.iter() {
        o.insert(key, value.clone());
    }
    o
}

/// The claims of an ID token. Registered claims are optional here so a missing one is
/// reported by validation with a precise message rather than as a parse error. Time claims
/// are whole seconds (a fractional NumericDate is rounded down, a huge one saturates).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdTokenClaims {
    /// Issuer.
    pub iss: Option<String>,
    /// Subject (the user id).
    pub sub: Option<String>,
    /// Audience: one string or an array, always read as a list.
    pub aud: Vec<String>,
    /// Expiry (seconds).
    pub exp: Option<i64>,
    /// Issued at (seconds).
    pub iat: Option<i64>,
    /// Authentication time (seconds).
    pub auth_time: Option<i64>,
    /// The nonce sent at sign-in.
    pub nonce: Option<String>,
    /// Authorized party.
    pub azp: Option<String>,
    /// Access-token hash.
    pub at_hash: Option<String>,
    /// Session id.
    pub sid: Option<String>,
    /// Logto's profile claims.
    pub profile: ProfileClaims,
    /// Every other claim.
    pub extra: JsonObject,
}

const ID_TOKEN_CLAIMS: [&str; 10] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "azp",
    "at_hash",
    "sid",
];

impl IdTokenClaims {
    /// Reads a claims object; a registered or profile claim of the wrong type is an error.
    ///
    /// ```
    /// use leptos_logto::core::{claims::IdTokenClaims, json::parse_object};
    /// let claims = IdTokenClaims::from_object(&parse_object(r#"{"sub":"u1","aud":"app","exp":1.5,"x":1}"#).unwrap()).unwrap();
    /// assert_eq!((claims.aud, claims.exp), (vec!["app".to_string()], Some(1)));
    /// assert!(claims.extra.get("x").is_some());
    /// ```
    pub fn from_object(o: &JsonObject) -> Result<Self, FieldError> {
        Ok(Self {
            iss: o.string("iss")?,
            sub: o.string("sub")?,
            aud: o.string_or_strings("aud")?.unwrap_or_default(),
            exp: o.int("exp")?,
            iat: o.int("iat")?,
            auth_time: o.int("auth_time")?,
            nonce: o.string("nonce")?,
            azp: o.string("azp")?,
            at_hash: o.string("at_hash")?,
            sid: o.string("sid")?,
            profile: ProfileClaims::read(o)?,
            extra: rest(o, &[&ID_TOKEN_CLAIMS, &PROFILE_CLAIMS]),
        })
    }

    /// The claims as a JSON object (typed claims first, then the others).
    pub fn to_object(&self) -> JsonObject {
        let aud = (!self.aud.is_empty()).then_some(&self.aud);
        let o = JsonObject::new()
            .with("iss", self.iss.as_ref())
            .with("sub", self.sub.as_ref())
            .with("aud", aud)
            .with("exp", self.exp)
            .with("iat", self.iat)
            .with("auth_time", self.auth_time)
            .with("nonce", self.nonce.as_ref())
            .with("azp", self.azp.as_ref())
            .with("at_hash", self.at_hash.as_ref())
            .with("sid", self.sid.as_ref());
        with_rest(self.profile.write(o), &self.extra)
    }
}

/// The userinfo response (Logto's `/oidc/me`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserInfo {
    /// Subject; must equal the ID token's.
    pub sub: Option<String>,
    /// Logto's profile claims.
    pub profile: ProfileClaims,
    /// `custom_data` scope.
    pub custom_data: Option<Json>,
    /// `identities` scope: social identities.
    pub identities: Option<Json>,
    /// `identities` scope: enterprise SSO identities.
    pub sso_identities: Option<Json>,
    /// Organizations with their names (`urn:logto:scope:organizations`).
    pub organization_data: Option<Json>,
    /// Every other claim.
    pub extra: JsonObject,
}

const USER_INFO_CLAIMS: [&str; 5] = [
    "sub",
    "custom_data",
    "identities",
    "sso_identities",
    "organization_data",
];

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
        let invalid = |e: String| format!("the userinfo response is not valid: {e}");
        let o = parse_object(json).map_err(|e| invalid(e.to_string()))?;
        let any = |key: &str| o.get(key).filter(|v| **v != Json::Null).cloned();
        Ok(Self {
            sub: o.string("sub").map_err(|e| invalid(e.to_string()))?,
            profile: ProfileClaims::read(&o).map_err(|e| invalid(e.to_string()))?,
            custom_data: any("custom_data"),
            identities: any("identities"),
            sso_identities: any("sso_identities"),
            organization_data: any("organization_data"),
            extra: rest(&o, &[&USER_INFO_CLAIMS, &PROFILE_CLAIMS]),
        })
    }

    /// The response as a JSON object (typed claims first, then the others).
    pub fn to_object(&self) -> JsonObject {
        let o = JsonObject::new().with("sub", self.sub.as_ref());
        let o = self
            .profile
            .write(o)
            .with("custom_data", self.custom_data.as_ref())
            .with("identities", self.identities.as_ref())
            .with("sso_identities", self.sso_identities.as_ref())
            .with("organization_data", self.organization_data.as_ref());
        with_rest(o, &self.extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(json: &str) -> Result<IdTokenClaims, FieldError> {
        IdTokenClaims::from_object(&parse_object(json).unwrap())
    }

    #[test]
    fn reads_logto_claims_and_keeps_the_rest() {
        let json = r#"{"iss":"i","sub":"u1","aud":"app","exp":2,"iat":1,"name":"Alice","username":"alice",
            "roles":["admin"],"organizations":["o1"],"organization_roles":["o1:owner"],"created_at":1736933400000,
            "email_verified":true,"custom_claim":{"a":1}}"#;
        let claims = claims(json).unwrap();
        assert_eq!(claims.aud, ["app"]);
        assert_eq!(claims.profile.name.as_deref(), Some("Alice"));
        assert_eq!(claims.profile.roles.as_deref(), Some(&["admin".to_string()][..]));
        assert_eq!(
            claims.profile.organization_roles.as_deref(),
            Some(&["o1:owner".to_string()][..])
        );
        assert_eq!(claims.profile.created_at, Some(1_736_933_400_000));
        let back = Json::Object(claims.to_object()).to_json_string();
        assert!(back.contains(r#""created_at":1736933400000"#), "{back}");
        assert_eq!(
            claims.extra.get("custom_claim").map(Json::to_json_string).as_deref(),
            Some(r#"{"a":1}"#)
        );
        assert!(
            claims.extra.get("name").is_none(),
            "typed claims are not repeated in `extra`"
        );
        assert!(back.contains(r#""username":"alice""#));
        assert!(back.contains(r#""aud":["app"]"#));
        assert_eq!(IdTokenClaims::from_object(&claims.to_object()).unwrap(), claims);
    }

    #[test]
    fn audience_may_be_an_array_but_not_a_number() {
        assert_eq!(claims(r#"{"aud":["a","b"]}"#).unwrap().aud, ["a", "b"]);
        assert!(claims(r#"{"aud":5}"#).is_err());
        assert!(claims(r#"{"sub":5}"#).is_err());
        assert!(claims(r#"{"exp":"soon"}"#).is_err());
    }

    #[test]
    fn userinfo_types_logto_extras() {
        let info = UserInfo::from_json(
            r#"{"sub":"u1","custom_data":{"plan":"pro"},"identities":{},"organization_data":[],"x":1}"#,
        )
        .unwrap();
        assert_eq!(
            info.custom_data.as_ref().map(Json::to_json_string).as_deref(),
            Some(r#"{"plan":"pro"}"#)
        );
        assert_eq!(info.extra.get("x").map(Json::to_json_string).as_deref(), Some("1"));
        assert!(UserInfo::from_json("[]").is_err());
        assert!(UserInfo::from_json(r#"{"email":1}"#).is_err());
        assert!(UserInfo::from_json(&" ".repeat(MAX_USERINFO_BYTES + 1)).is_err());
    }
}
