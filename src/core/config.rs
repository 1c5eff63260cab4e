//! The client's configuration: the Rust counterpart of Logto's `LogtoConfig`
//! (`buildAngularAuthConfig` in the Angular guide).

use crate::core::json::{parse_object, FieldError, Json, JsonObject};
use crate::core::types::{ClientId, IssuerUrl, ResourceIndicator};
use crate::core::url::HttpUrl;

/// Why a configuration was refused. Every message names the field to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The JSON itself could not be read.
    #[error("the configuration is not valid JSON of the expected shape: {0}")]
    Json(String),
    /// A field has a value that cannot work.
    #[error("the configuration field `{field}` is invalid: {reason}")]
    InvalidField {
        /// The camelCase field name, as written in `config.json`.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

fn invalid(field: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// The scopes Logto defines, with Logto's exact strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UserScope {
    /// `profile`: name, username, picture, created_at, updated_at.
    Profile,
    /// `email`: email, email_verified.
    Email,
    /// `phone`: phone_number, phone_number_verified.
    Phone,
    /// `address`.
    Address,
    /// `custom_data` (userinfo only).
    CustomData,
    /// `identities` (userinfo only).
    Identities,
    /// `roles`.
    Roles,
    /// `urn:logto:scope:organizations`.
    Organizations,
    /// `urn:logto:scope:organization_roles`.
    OrganizationRoles,
    /// `urn:logto:scope:sessions`.
    Sessions,
}

impl UserScope {
    /// The scope string sent to the provider.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Profile => "profile",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Address => "address",
            Self::CustomData => "custom_data",
            Self::Identities => "identities",
            Self::Roles => "roles",
            Self::Organizations => "urn:logto:scope:organizations",
            Self::OrganizationRoles => "urn:logto:scope:organization_roles",
            Self::Sessions => "urn:logto:scope:sessions",
        }
    }
}

/// Scopes always requested, as Logto's SDKs do.
pub const RESERVED_SCOPES: [&str; 3] = ["openid", "offline_access", "profile"];

/// The resource Logto's SDKs add when the organizations scope is requested.
pub const ORGANIZATIONS_RESOURCE: &str = "urn:logto:resource:organizations";

/// The OpenID `prompt` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prompt {
    /// `none`: no UI; fail if the user must interact.
    None,
    /// `consent`: ask for consent (Logto's default; needed for refresh tokens).
    Consent,
    /// `login`: always show the sign-in page.
    Login,
}

impl Prompt {
    /// The parameter value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Consent => "consent",
            Self::Login => "login",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value {
            "none" => Some(Self::None),
            "consent" => Some(Self::Consent),
            "login" => Some(Self::Login),
            _ => None,
        }
    }
}

/// Logto's direct sign-in: skip the sign-in page and go straight to a social or SSO connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectSignIn {
    /// `social` or `sso`.
    pub method: String,
    /// The connector target (e.g. `google`) or SSO connector id.
    pub target: String,
}

/// Where the refresh token is kept (RFC 10017 §6.3.4.3: localStorage is readable by any
/// script on the origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefreshTokenStorage {
    /// `localStorage` (default, @logto/browser's layout): survives reloads, shared by tabs.
    #[default]
    LocalStorage,
    /// `sessionStorage`: this tab only, gone when the tab closes; other tabs cannot renew.
    SessionStorage,
    /// Memory only: gone on reload; after a reload the session lasts until its tokens expire.
    Memory,
}

/// A URL prefix whose requests get a Bearer token (like angular-auth-oidc-client's
/// `secureRoutes`), and the API resource whose token they get (none: the default token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecureRoute {
    /// Absolute URL prefix, e.g. `https://api.example.com/`.
    pub prefix: String,
    /// The resource indicator whose access token is attached.
    pub resource: Option<String>,
}

/// A validated client configuration.
///
/// ```
/// use leptos_logto::core::config::{LogtoConfig, UserScope};
/// let config = LogtoConfig::from_json(r#"{
///     "endpoint": "https://tenant.logto.app/",
///     "appId": "my-app",
///     "redirectUri": "https://app.example/callback",
///     "scopes": ["email", "urn:logto:scope:organizations"]
/// }"#).unwrap();
/// assert_eq!(config.issuer().as_str(), "https://tenant.logto.app/oidc");
/// assert_eq!(config.scopes(), ["openid", "offline_access", "profile", "email", UserScope::Organizations.as_str()]);
/// assert_eq!(config.resources()[0].as_str(), "urn:logto:resource:organizations");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogtoConfig {
    /// The Logto endpoint (tenant URL); the issuer is this plus `/oidc`.
    pub endpoint: HttpUrl,
    /// The application id (`client_id`).
    pub app_id: ClientId,
    /// Where the provider sends the browser back after sign-in.
    pub redirect_uri: HttpUrl,
    /// Where the provider sends the browser after sign-out.
    pub post_logout_redirect_uri: Option<HttpUrl>,
    /// Extra scopes as configured (reserved scopes are added by [`LogtoConfig::scopes`]).
    pub extra_scopes: Vec<String>,
    /// API resources as configured (see [`LogtoConfig::resources`]).
    pub extra_resources: Vec<ResourceIndicator>,
    /// The `prompt` values (default: `consent`).
    pub prompt: Vec<Prompt>,
    /// Logto's `login_hint` (e.g. an email to prefill).
    pub login_hint: Option<String>,
    /// Logto's `first_screen` (e.g. `register`, `sign_in`).
    pub first_screen: Option<String>,
    /// Logto's `direct_sign_in`.
    pub direct_sign_in: Option<DirectSignIn>,
    /// Any other authorization parameters, sent as given.
    pub extra_params: Vec<(String, String)>,
    /// Allowed clock skew when checking token times, in seconds (default 60).
    pub clock_skew_seconds: i64,
    /// URL prefixes that get a Bearer token from the authorized fetch.
    pub secure_routes: Vec<SecureRoute>,
    /// Where the refresh token is kept.
    pub refresh_token_storage: RefreshTokenStorage,
}

/// Reads one member of `config.json`, naming it in the error.
fn member<T>(read: Result<T, FieldError>, field: &'static str) -> Result<T, ConfigError> {
    read.map_err(|e| invalid(field, format!("must be {}", e.expected)))
}

/// A member that is an array of objects, each read by `item`.
fn objects<T>(
    o: &JsonObject,
    field: &'static str,
    item: impl Fn(&JsonObject) -> Result<T, FieldError>,
) -> Result<Vec<T>, ConfigError> {
    let wrong = |expected: &'static str| FieldError {
        field: field.into(),
        expected,
    };
    let items = match o.get(field) {
        None | Some(Json::Null) => return Ok(Vec::new()),
        Some(Json::Array(items)) => items,
        Some(_) => return member(Err(wrong("an array of objects")), field),
    };
    items
        .iter()
        .map(|value| {
            member(
                value.as_object().ok_or(wrong("an array of objects")).and_then(&item),
                field,
            )
        })
        .collect()
}

/// Parameters the library sets itself; `extraParams` may not override them.
const PROTECTED_PARAMS: [&str; 11] = [
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "resource",
    "response_mode",
];

fn url_field(field: &'static str, value: &str) -> Result<HttpUrl, ConfigError> {
    HttpUrl::parse(value).map_err(|e| invalid(field, e.to_string()))
}

fn scope_token_ok(scope: &str) -> bool {
    // RFC 6749 §3.3: NQCHAR, no spaces, quotes or backslashes.
    !scope.is_empty()
        && scope
            .bytes()
            .all(|b| b == b'!' || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
}

impl LogtoConfig {
    /// A configuration with the required fields and Logto's defaults for the rest.
    pub fn new(endpoint: &str, app_id: &str, redirect_uri: &str) -> Result<Self, ConfigError> {
        let endpoint = url_field("endpoint", endpoint)?;
        if endpoint.query().is_some() || endpoint.fragment().is_some() {
            return Err(invalid("endpoint", "must not have a query or fragment"));
        }
        if app_id.trim().is_empty() {
            return Err(invalid("appId", "must not be empty"));
        }
        Ok(Self {
            endpoint,
            app_id: ClientId::new(app_id),
            redirect_uri: url_field("redirectUri", redirect_uri)?,
            post_logout_redirect_uri: None,
            extra_scopes: Vec::new(),
            extra_resources: Vec::new(),
            prompt: vec![Prompt::Consent],
            login_hint: None,
            first_screen: None,
            direct_sign_in: None,
            extra_params: Vec::new(),
            clock_skew_seconds: 60,
            secure_routes: Vec::new(),
            refresh_token_storage: RefreshTokenStorage::LocalStorage,
        })
    }

    /// Reads the camelCase JSON a deployment ships (`config.json`), with an error naming the
    /// field at fault.
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        let o = parse_object(json).map_err(|e| ConfigError::Json(e.to_string()))?;
        let text = |field: &'static str| member(o.string(field), field);
        let list = |field: &'static str| member(o.strings(field), field).map(Option::unwrap_or_default);
        let required = |field: &'static str| text(field)?.ok_or_else(|| invalid(field, "is missing"));
        let mut config = Self::new(&required("endpoint")?, &required("appId")?, &required("redirectUri")?)?;
        if let Some(uri) = text("postLogoutRedirectUri")? {
            config.post_logout_redirect_uri = Some(url_field("postLogoutRedirectUri", &uri)?);
        }
        let scopes = list("scopes")?;
        for scope in &scopes {
            if !scope_token_ok(scope) {
                return Err(invalid(
                    "scopes",
                    format!("`{scope}` is not a valid scope (no spaces or quotes)"),
                ));
            }
        }
        config.extra_scopes = scopes;
        let resources = list("resources")?;
        for resource in &resources {
            // Resource indicators are absolute URIs (RFC 8707 §2); Logto also uses urn: ones.
            let looks_absolute = resource.split_once(':').is_some_and(|(scheme, rest)| {
                !scheme.is_empty()
                    && !rest.is_empty()
                    && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
            });
            if !looks_absolute || resource.contains('#') || resource.bytes().any(|b| !b.is_ascii_graphic()) {
                return Err(invalid(
                    "resources",
                    format!("`{resource}` is not an absolute URI without a fragment"),
                ));
            }
        }
        config.extra_resources = resources.into_iter().map(ResourceIndicator::new).collect();
        if let Some(values) = member(o.string_or_strings("prompt"), "prompt")? {
            let values: Vec<&str> = values
                .iter()
                .flat_map(|value| value.split(' '))
                .filter(|p| !p.is_empty())
                .collect();
            config.prompt = values
                .iter()
                .map(|p| {
                    Prompt::parse(p)
                        .ok_or_else(|| invalid("prompt", format!("`{p}` is not one of none, consent, login")))
                })
                .collect::<Result<_, _>>()?;
        }
        config.login_hint = text("loginHint")?;
        config.first_screen = text("firstScreen")?;
        if let Some(direct) = member(o.object("directSignIn"), "directSignIn")? {
            config.direct_sign_in = Some(DirectSignIn {
                method: member(direct.required_string("method"), "directSignIn")?,
                target: member(direct.required_string("target"), "directSignIn")?,
            });
        }
        let mut extra_params = Vec::new();
        if let Some(params) = member(o.object("extraParams"), "extraParams")? {
            for (key, value) in params.iter() {
                let value = value
                    .as_str()
                    .ok_or_else(|| invalid("extraParams", format!("`{key}` must be a string")))?;
                extra_params.push((key.to_owned(), value.to_owned()));
            }
        }
        if let Some((key, _)) = extra_params
            .iter()
            .find(|(k, _)| PROTECTED_PARAMS.contains(&k.as_str()))
        {
            return Err(invalid(
                "extraParams",
                format!("`{key}` is set by the library and cannot be overridden"),
            ));
        }
        config.extra_params = extra_params;
        if let Some(skew) = member(o.int("clockSkewSeconds"), "clockSkewSeconds")? {
            if !(0..=600).contains(&skew) {
                return Err(invalid("clockSkewSeconds", "must be between 0 and 600"));
            }
            config.clock_skew_seconds = skew;
        }
        let secure_routes = objects(&o, "secureRoutes", |route| {
            Ok(SecureRoute {
                prefix: route.required_string("prefix")?,
                resource: route.string("resource")?,
            })
        })?;
        for route in &secure_routes {
            if HttpUrl::parse(&route.prefix).is_err() {
                return Err(invalid(
                    "secureRoutes",
                    format!("`{}` is not an absolute http(s) URL prefix", route.prefix),
                ));
            }
            if let Some(resource) = &route.resource {
                if !config.extra_resources.iter().any(|r| r.as_str() == resource) {
                    return Err(invalid(
                        "secureRoutes",
                        format!("resource `{resource}` is not listed in `resources`"),
                    ));
                }
            }
        }
        config.secure_routes = secure_routes;
        config.refresh_token_storage = match text("refreshTokenStorage")?.as_deref() {
            None | Some("localStorage") => RefreshTokenStorage::LocalStorage,
            Some("sessionStorage") => RefreshTokenStorage::SessionStorage,
            Some("memory") => RefreshTokenStorage::Memory,
            Some(other) => {
                return Err(invalid(
                    "refreshTokenStorage",
                    format!("`{other}` is not one of localStorage, sessionStorage, memory"),
                ))
            }
        };
        Ok(config)
    }

    /// The secure route whose prefix is the longest match for `url`, if any. Only exact
    /// prefixes count, so `https://api.example.com` does not match `https://api.example.com.evil`
    /// unless the prefix is written without its trailing `/`.
    pub fn secure_route_for(&self, url: &str) -> Option<&SecureRoute> {
        self.secure_routes
            .iter()
            .filter(|route| url.starts_with(&route.prefix))
            .max_by_key(|route| route.prefix.len())
    }

    /// The expected issuer: the endpoint plus `/oidc`, keeping any path prefix.
    pub fn issuer(&self) -> IssuerUrl {
        let base = self.endpoint.as_str().trim_end_matches('/');
        IssuerUrl::new(format!("{base}/oidc"))
    }

    /// The discovery document's URL.
    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.issuer())
    }

    /// The scopes sent: the reserved ones first, then the configured ones, de-duplicated.
    pub fn scopes(&self) -> Vec<&str> {
        let mut scopes: Vec<&str> = RESERVED_SCOPES.to_vec();
        for scope in &self.extra_scopes {
            if !scopes.contains(&scope.as_str()) {
                scopes.push(scope);
            }
        }
        scopes
    }

    /// True when the organizations scope is requested.
    pub fn wants_organizations(&self) -> bool {
        self.extra_scopes.iter().any(|s| s == UserScope::Organizations.as_str())
    }

    /// The resources sent: the configured ones, plus Logto's organizations resource when the
    /// organizations scope is requested; de-duplicated.
    pub fn resources(&self) -> Vec<ResourceIndicator> {
        let mut resources: Vec<ResourceIndicator> = Vec::new();
        for resource in &self.extra_resources {
            if !resources.contains(resource) {
                resources.push(resource.clone());
            }
        }
        let org = ResourceIndicator::new(ORGANIZATIONS_RESOURCE);
        if self.wants_organizations() && !resources.contains(&org) {
            resources.push(org);
        }
        resources
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str =
        r#"{"endpoint":"http://127.0.0.1:3001","appId":"demo-app","redirectUri":"http://127.0.0.1:3000/callback"}"#;

    #[test]
    fn minimal_config_gets_logto_defaults() {
        let config = LogtoConfig::from_json(MINIMAL).unwrap();
        assert_eq!(config.issuer().as_str(), "http://127.0.0.1:3001/oidc");
        assert_eq!(
            config.discovery_url(),
            "http://127.0.0.1:3001/oidc/.well-known/openid-configuration"
        );
        assert_eq!(config.scopes(), ["openid", "offline_access", "profile"]);
        assert_eq!(config.prompt, [Prompt::Consent]);
        assert!(config.resources().is_empty());
        assert_eq!(config.clock_skew_seconds, 60);
    }

    #[test]
    fn issuer_keeps_the_endpoint_path_prefix() {
        let config = LogtoConfig::new("https://auth.example/tenant-a/", "x", "https://app/callback").unwrap();
        assert_eq!(config.issuer().as_str(), "https://auth.example/tenant-a/oidc");
    }

    #[test]
    fn reserved_scopes_are_deduplicated_and_organizations_adds_its_resource() {
        let json = r#"{"endpoint":"https://t.logto.app","appId":"a","redirectUri":"https://app/cb",
            "scopes":["profile","email","email","urn:logto:scope:organizations","openid"],
            "resources":["https://api.example","https://api.example"]}"#;
        let config = LogtoConfig::from_json(json).unwrap();
        assert_eq!(
            config.scopes(),
            [
                "openid",
                "offline_access",
                "profile",
                "email",
                "urn:logto:scope:organizations"
            ]
        );
        let resources: Vec<_> = config.resources().iter().map(|r| r.as_str().to_owned()).collect();
        assert_eq!(resources, ["https://api.example", "urn:logto:resource:organizations"]);
    }

    #[test]
    fn user_scope_strings_match_logto() {
        let all = [
            (UserScope::Profile, "profile"),
            (UserScope::Email, "email"),
            (UserScope::Phone, "phone"),
            (UserScope::Address, "address"),
            (UserScope::CustomData, "custom_data"),
            (UserScope::Identities, "identities"),
            (UserScope::Roles, "roles"),
            (UserScope::Organizations, "urn:logto:scope:organizations"),
            (UserScope::OrganizationRoles, "urn:logto:scope:organization_roles"),
            (UserScope::Sessions, "urn:logto:scope:sessions"),
        ];
        for (scope, text) in all {
            assert_eq!(scope.as_str(), text);
        }
    }

    #[test]
    fn prompt_accepts_string_or_list() {
        let with = |p: &str| LogtoConfig::from_json(&MINIMAL.replace('}', &format!(r#","prompt":{p}}}"#)));
        assert_eq!(
            with(r#""login consent""#).unwrap().prompt,
            [Prompt::Login, Prompt::Consent]
        );
        assert_eq!(with(r#"["none"]"#).unwrap().prompt, [Prompt::None]);
        assert!(matches!(
            with(r#""select_account""#),
            Err(ConfigError::InvalidField { field: "prompt", .. })
        ));
    }

    #[test]
    fn errors_name_the_bad_field() {
        let cases = [
            (r#"{"appId":"a","redirectUri":"https://a/cb"}"#, "endpoint"),
            (r#"{"endpoint":"https://t","redirectUri":"https://a/cb"}"#, "appId"),
            (
                r#"{"endpoint":"https://t","appId":" ","redirectUri":"https://a/cb"}"#,
                "appId",
            ),
            (
                r#"{"endpoint":"tenant.logto.app","appId":"a","redirectUri":"https://a/cb"}"#,
                "endpoint",
            ),
            (
                r#"{"endpoint":"https://t?x=1","appId":"a","redirectUri":"https://a/cb"}"#,
                "endpoint",
            ),
            (
                r#"{"endpoint":"https://t","appId":"a","redirectUri":"/callback"}"#,
                "redirectUri",
            ),
            (
                r#"{"endpoint":"https://t","appId":"a","redirectUri":"https://a/cb","postLogoutRedirectUri":"javascript:x"}"#,
                "postLogoutRedirectUri",
            ),
            (
                r#"{"endpoint":"https://t","appId":"a","redirectUri":"https://a/cb","scopes":["a b"]}"#,
                "scopes",
            ),
            (
                r#"{"endpoint":"https://t","appId":"a","redirectUri":"https://a/cb","resources":["api"]}"#,
                "resources",
            ),
            (
                r#"{"endpoint":"https://t","appId":"a","redirectUri":"https://a/cb","extraParams":{"state":"x"}}"#,
                "extraParams",
            ),
            (
                r#"{"endpoint":"https://t","appId":"a","redirectUri":"https://a/cb","clockSkewSeconds":-1}"#,
                "clockSkewSeconds",
            ),
        ];
        for (json, field) in cases {
            match LogtoConfig::from_json(json) {
                Err(ConfigError::InvalidField { field: f, .. }) => assert_eq!(f, field, "{json}"),
                other => panic!("{json}: expected an error on {field}, got {other:?}"),
            }
        }
        let message = LogtoConfig::from_json(cases[3].0).unwrap_err().to_string();
        assert!(message.contains("`endpoint`"), "{message}");
        assert!(matches!(LogtoConfig::from_json("{"), Err(ConfigError::Json(_))));
        assert_eq!(
            LogtoConfig::from_json(
                r#"{"endpoint":"https://t","appId":"a","redirectUri":"https://a/cb","scopes":"email"}"#
            )
            .unwrap_err()
            .to_string(),
            "the configuration field `scopes` is invalid: must be an array of strings"
        );
        assert!(matches!(
            LogtoConfig::from_json(
                r#"{"endpoint":"https://t","appId":"a","redirectUri":"https://a/cb","clockSkewSeconds":"5"}"#
            ),
            Err(ConfigError::InvalidField {
                field: "clockSkewSeconds",
                ..
            })
        ));
    }

    #[test]
    fn secure_routes_match_the_longest_prefix() {
        let json = r#"{"endpoint":"https://t","appId":"a","redirectUri":"https://a/cb","resources":["https://api"],
            "secureRoutes":[{"prefix":"https://api.example/"},{"prefix":"https://api.example/v2/","resource":"https://api"}]}"#;
        let config = LogtoConfig::from_json(json).unwrap();
        assert_eq!(
            config
                .secure_route_for("https://api.example/v2/x")
                .and_then(|r| r.resource.as_deref()),
            Some("https://api")
        );
        assert_eq!(
            config
                .secure_route_for("https://api.example/v1")
                .map(|r| r.resource.is_none()),
            Some(true)
        );
        assert!(config.secure_route_for("https://api.example.evil/").is_none());
        assert!(config.secure_route_for("https://other/").is_none());
    }

    #[test]
    fn optional_logto_fields_are_read() {
        let json = r#"{"endpoint":"https://t","appId":"a","redirectUri":"https://a/cb","loginHint":"a@b.c",
            "firstScreen":"register","directSignIn":{"method":"social","target":"google"},"extraParams":{"ui_locales":"fr"}}"#;
        let config = LogtoConfig::from_json(json).unwrap();
        assert_eq!(config.login_hint.as_deref(), Some("a@b.c"));
        assert_eq!(config.first_screen.as_deref(), Some("register"));
        assert_eq!(
            config.direct_sign_in,
            Some(DirectSignIn {
                method: "social".into(),
                target: "google".into()
            })
        );
        assert_eq!(config.extra_params, [("ui_locales".to_string(), "fr".to_string())]);
        assert_eq!(config.refresh_token_storage, RefreshTokenStorage::LocalStorage);
        let memory =
            LogtoConfig::from_json(&json.replace("\"loginHint\"", "\"refreshTokenStorage\":\"memory\",\"loginHint\""))
                .unwrap();
        assert_eq!(memory.refresh_token_storage, RefreshTokenStorage::Memory);
    }
}
