// Twilio's webhook format, for the SMS reply endpoint (routes_sms.cpp): the form body
// parsed strictly, the request signature (X-Twilio-Signature: base64 HMAC-SHA1, keyed with
// the account's auth token, of the full URL Twilio called followed by every POST parameter
// sorted by name, each name then value, no separators), and TwiML answers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace npsd::twilio {

// An application/x-www-form-urlencoded body: name → value, both percent-decoded ('+' is a
// space). nullopt, with `error` naming the parameter and the problem, for a malformed
// escape, invalid UTF-8, a pair without '=' or a name given twice.
[[nodiscard]] std::optional<std::map<std::string, std::string>> parse_form(std::string_view body,
                                                                           std::string& error);

// The signature Twilio sends for `url` and `params` (what twilio-node's
// getExpectedTwilioSignature computes).
[[nodiscard]] std::string signature(std::string_view auth_token, std::string_view url,
                                    const std::map<std::string, std::string>& params);

// Whether `header` is the signature of the request, for the URL as given or with its
// default port added or removed (Twilio signs the URL as it called it). Constant time in
// the signature's bytes. An empty token or header never verifies.
[[nodiscard]] bool verify(std::string_view auth_token, std::string_view header, std::string_view url,
                          const std::map<std::string, std::string>& params);

// <Response><Message>text</Message></Response>, or an empty <Response/> for "".
[[nodiscard]] std::string twiml_message(std::string_view text);

} // namespace npsd::twilio
