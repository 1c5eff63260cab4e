//! Strict base64url (RFC 4648 §5) without padding, as JOSE requires (RFC 7515 §2).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// Encodes bytes as base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes strict base64url: only `A-Z a-z 0-9 - _`, no padding, no whitespace, canonical
/// trailing bits. Anything else is `None`.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    URL_SAFE_NO_PAD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_non_url_alphabets() {
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(decode("+/8"), None);
        assert_eq!(decode("YQ=="), None);
        assert_eq!(decode("YQ"), Some(b"a".to_vec()));
        assert_eq!(decode("Y Q"), None);
        // Non-canonical trailing bits ("YR" decodes to 'a' with a stray bit) are refused.
        assert_eq!(decode("YR"), None);
        // A length of 1 mod 4 can never be valid.
        assert_eq!(decode("Y"), None);
    }
}
