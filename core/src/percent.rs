//! Percent-encoding of URL components, as the browser's `encodeURIComponent`
//! writes them, and a strict decoder that refuses what is not valid UTF-8 (the
//! page's addresses use it, and so does the developer server's, `cargo xtask serve`).

/// Bytes kept as they are: the unreserved set of `encodeURIComponent`.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte)
}

pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if is_unreserved(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Encodes a term of a text fragment directive (`#:~:text=…`): as [`encode`], and `-`
/// too, which the directive's syntax uses to mark its context.
pub fn encode_text_directive(text: &str) -> String {
    encode(text).replace('-', "%2D")
}

/// Why a component could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hexadecimal digits.
    BadEscape,
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

/// Decodes `%XX` escapes, and `+` as a space as HTML forms write it.
pub fn decode(text: &str) -> Result<String, DecodeError> {
    decode_escapes(text, true)
}

/// Decodes `%XX` escapes of a URL path, where `+` stands for itself: only a query is written
/// as a form (`/a+b.txt` names the file `a+b.txt`).
pub fn decode_path(text: &str) -> Result<String, DecodeError> {
    decode_escapes(text, false)
}

fn decode_escapes(text: &str, plus_is_space: bool) -> Result<String, DecodeError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                let hex = bytes.get(at + 1..at + 3).ok_or(DecodeError::BadEscape)?;
                // Two hex digits exactly: `from_str_radix` alone would take `+1` as one.
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return Err(DecodeError::BadEscape);
                }
                let hex = std::str::from_utf8(hex).map_err(|_| DecodeError::BadEscape)?;
                let byte = u8::from_str_radix(hex, 16).map_err(|_| DecodeError::BadEscape)?;
                out.push(byte);
                at += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                at += 1;
            }
            byte => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| DecodeError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_matches_encode_uri_component() {
        assert_eq!(
            encode("téléchargement illégal"),
            "t%C3%A9l%C3%A9chargement%20ill%C3%A9gal"
        );
        assert_eq!(
            encode("l’accès & 100%"),
            "l%E2%80%99acc%C3%A8s%20%26%20100%25"
        );
        assert_eq!(encode("a+b#c?d/e"), "a%2Bb%23c%3Fd%2Fe");
        assert_eq!(encode("(x)!*'~-_."), "(x)!*'~-_.");
    }

    #[test]
    fn any_text_round_trips() {
        for text in [
            "",
            "hadopi",
            "« Popcorn Time »",
            "0,09 $",
            "a\u{a0}b",
            "🙂 e\u{301}",
            "%+&=?#",
        ] {
            assert_eq!(decode(&encode(text)).as_deref(), Ok(text));
        }
    }

    #[test]
    fn plus_is_a_space_and_lowercase_hex_is_accepted() {
        assert_eq!(decode("popcorn+time").as_deref(), Ok("popcorn time"));
        assert_eq!(decode("t%c3%a9l%c3%a9").as_deref(), Ok("télé"));
    }

    #[test]
    fn broken_escapes_and_invalid_utf8_are_refused() {
        assert_eq!(decode("%E9%ZZ"), Err(DecodeError::BadEscape));
        assert_eq!(decode("100%"), Err(DecodeError::BadEscape));
        assert_eq!(decode("%+1"), Err(DecodeError::BadEscape));
        assert_eq!(decode("%E9"), Err(DecodeError::NotUtf8));
        assert_eq!(decode("%C3"), Err(DecodeError::NotUtf8));
    }

    #[test]
    fn a_path_keeps_its_plus_and_refuses_the_same_escapes() {
        assert_eq!(decode_path("/a+b%20c.txt").as_deref(), Ok("/a+b c.txt"));
        assert_eq!(decode_path("/%C3%A9t%c3%a9").as_deref(), Ok("/été"));
        for broken in ["/%+1", "/%-1", "/%4", "/%ZZ", "/100%"] {
            assert_eq!(decode_path(broken), Err(DecodeError::BadEscape), "{broken}");
        }
        assert_eq!(decode_path("/%E9"), Err(DecodeError::NotUtf8));
    }
}
