// Signed links of e-mail and link surveys (issue 14): what a link claims (which survey,
// which recipient, which score, until when, in which language), sealed with HMAC-SHA256
// under the server's link secret. Nothing about a link is stored: a link is valid when its
// signature is the server's and it has not expired.
//
// Token: base64url(payload) "." base64url(first 16 bytes of HMAC-SHA256(secret,
// "opennps-link-v1\n" payload)); payload = kind, survey, recipient, score, expiry (Unix
// seconds) and locale, one per line. Kinds: 'r' a recipient's answer link (one per score),
// 'u' a single-use link to a link survey, 'x' a recipient's unsubscribe link, 'v' a draft
// review link (issue 19: recipient holds the survey's version at sharing time, decimal).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace npsd {

struct LinkClaims {
  char kind = 'r';
  std::string survey;       // survey id ("" for an unsubscribe link that is not a survey's)
  std::string recipient;    // who answers: the idempotency key's owner (a message or a nonce)
  int score = -1;           // 0..10 for a score link; -1 none
  std::int64_t expires = 0; // Unix seconds
  std::string locale;       // the recipient's language ("" : negotiate from the browser)
  friend bool operator==(const LinkClaims&, const LinkClaims&) = default;
};

enum class LinkCheck { ok, malformed, bad_signature, expired };
struct LinkVerdict {
  LinkCheck status = LinkCheck::malformed;
  LinkClaims claims; // meaningful for ok and expired
};

// Throws std::invalid_argument when the secret is shorter than 32 bytes or a field holds a
// line break.
[[nodiscard]] std::string sign_link(std::string_view secret, const LinkClaims& c);
// Strict: one '.', base64url without padding, exactly six fields, a known kind, a score in
// -1..10, digits only; the signature compared in constant time. `now` in Unix seconds.
[[nodiscard]] LinkVerdict verify_link(std::string_view secret, std::string_view token, std::int64_t now);

[[nodiscard]] std::string base64url(std::string_view bytes);
[[nodiscard]] std::optional<std::string> from_base64url(std::string_view text);

} // namespace npsd
