// Standard Webhooks v1 signing (see the header).
#include "standard_webhooks.hpp"

#include <sodium.h>

#include <stdexcept>

namespace npsd::standard_webhooks {

namespace {

void init() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string base64(const unsigned char* p, std::size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), p, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1); // the terminating NUL
  return out;
}

} // namespace

std::string new_secret() {
  init();
  unsigned char key[32];
  randombytes_buf(key, sizeof key);
  auto out = std::string(kSecretPrefix) + base64(key, sizeof key);
  sodium_memzero(key, sizeof key);
  return out;
}

std::optional<std::string> secret_key(std::string_view secret) {
  init();
  if (secret.substr(0, kSecretPrefix.size()) != kSecretPrefix) return std::nullopt;
  const auto b64 = secret.substr(kSecretPrefix.size());
  std::string key(b64.size(), '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), b64.data(), b64.size(),
                        nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != b64.data() + b64.size())
    return std::nullopt;
  key.resize(len);
  if (len < 24 || len > 64) return std::nullopt;
  return key;
}

std::string sign(std::string_view key, std::string_view msg_id, std::int64_t timestamp,
                 std::string_view body) {
  init();
  const auto ts = std::to_string(timestamp);
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  auto update = [&](std::string_view s) {
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  };
  update(msg_id);
  update(".");
  update(ts);
  update(".");
  update(body);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  return "v1," + base64(mac, sizeof mac);
}

std::string signature_header(const std::vector<std::string>& secrets, std::string_view msg_id,
                             std::int64_t timestamp, std::string_view body) {
  std::string out;
  for (const auto& s : secrets)
    if (auto key = secret_key(s)) out += (out.empty() ? "" : " ") + sign(*key, msg_id, timestamp, body);
  return out;
}

} // namespace npsd::standard_webhooks
