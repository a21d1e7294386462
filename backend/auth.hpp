// API tokens: generated from the system's random source, stored only as SHA-256, compared
// in constant time (OpenSSL libcrypto).
#pragma once

#include <string>
#include <string_view>

namespace npsd {

// A new secret: "npsd_" + 43 base64url characters (32 random bytes).
[[nodiscard]] std::string new_token_secret();
// Lower-case hex SHA-256 of the text.
[[nodiscard]] std::string sha256_hex(std::string_view text);
// Equal length and content, in time independent of where they differ.
// Passwords: argon2id (libsodium's crypto_pwhash_str, interactive limits), self-describing
// hash strings. verify_password is false for a malformed hash.
[[nodiscard]] std::string hash_password(std::string_view password);
[[nodiscard]] bool verify_password(const std::string& hash, std::string_view password);

[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

} // namespace npsd
