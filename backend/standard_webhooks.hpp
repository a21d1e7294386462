// Standard Webhooks v1 (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md):
// the symmetric secret format and the signature. Pure functions over libsodium.
//
// - Secret: 32 random bytes (the spec asks 24 to 64), shown as "whsec_" + base64.
// - Signature: "v1," + base64(HMAC-SHA256(secret bytes, "{webhook-id}.{webhook-timestamp}.{body}")).
// - webhook-signature holds several, space-separated, while an old secret is still valid.
#pragma once

#include "storage.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npsd::standard_webhooks {

inline constexpr std::string_view kSecretPrefix = "whsec_";

// A fresh secret from the system's CSPRNG (libsodium randombytes).
[[nodiscard]] std::string new_secret();
// The key bytes of "whsec_<base64>"; nullopt unless the prefix is there, the base64 is
// canonical and the key is 24 to 64 bytes.
[[nodiscard]] std::optional<std::string> secret_key(std::string_view secret);
// "v1,<base64 signature>" of one attempt, with the key bytes.
[[nodiscard]] std::string sign(std::string_view key, std::string_view msg_id, std::int64_t timestamp,
                               std::string_view body);
// The webhook-signature header: the signature with each secret, space-separated (secrets
// that do not decode are skipped).
[[nodiscard]] std::string signature_header(const std::vector<std::string>& secrets, std::string_view msg_id,
                                           std::int64_t timestamp, std::string_view body);

} // namespace npsd::standard_webhooks
