//! Strongly typed protocol values, in the style of the `oauth2`/`openidconnect` crates.
//!
//! Secrets (verifier, tokens, code) redact themselves in `Debug`, so a stray `{:?}` in a log
//! never leaks one. Use `.secret()` to read the value on purpose.

use std::fmt;

macro_rules! public_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            /// The value as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

macro_rules! secret_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            /// The secret itself; read it only to send it where it belongs.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

public_value!(
    /// The application id of a Logto application (OAuth `client_id`).
    ClientId
);
public_value!(
    /// The issuer identifier of the provider, e.g. `https://tenant.logto.app/oidc`.
    IssuerUrl
);
public_value!(
    /// The PKCE S256 code challenge sent in the authorization request.
    PkceCodeChallenge
);
public_value!(
    /// An API resource indicator (RFC 8707), e.g. `https://api.example.com`.
    ResourceIndicator
);
secret_value!(
    /// The `state` parameter binding an authorization response to this browser's request.
    CsrfState
);
secret_value!(
    /// The `nonce` binding an ID token to this browser's sign-in.
    Nonce
);
secret_value!(
    /// The PKCE code verifier (RFC 7636), kept until the code exchange.
    PkceCodeVerifier
);
secret_value!(
    /// A single-use authorization code from the callback.
    AuthorizationCode
);
secret_value!(
    /// An OAuth access token.
    AccessToken
);
secret_value!(
    /// An OAuth refresh token.
    RefreshToken
);
secret_value!(
    /// A compact-serialized ID token (a JWS).
    IdToken
);

/// Seconds since the Unix epoch, as the injected clock reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

impl UnixTime {
    /// From milliseconds (what `Date.now()` returns).
    pub fn from_millis(millis: f64) -> Self {
        Self((millis / 1000.0).floor() as i64)
    }
    /// This time plus `seconds` (saturating).
    pub fn plus(self, seconds: i64) -> Self {
        Self(self.0.saturating_add(seconds))
    }
}

/// Constant-time equality for secrets compared against attacker-supplied values
/// (`state`, `nonce`): the time taken depends only on the lengths.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug() {
        let token = AccessToken::new("super-secret");
        assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
        assert_eq!(token.secret(), "super-secret");
        assert_eq!(
            format!("{:?}", PkceCodeVerifier::new("verifier")),
            "PkceCodeVerifier([redacted])"
        );
        assert_eq!(format!("{:?}", ClientId::new("app")), "ClientId(\"app\")");
    }

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
        assert!(constant_time_eq("", ""));
    }

    #[test]
    fn unix_time_from_millis_floors() {
        assert_eq!(UnixTime::from_millis(1_700_000_000_999.0), UnixTime(1_700_000_000));
    }
}
