// HMAC-signed links (see signed_links.hpp).
#include "signed_links.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace npsd {

namespace {

constexpr std::string_view kDomain = "opennps-link-v1\n";
constexpr std::size_t kMacBytes = 16;
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string mac(std::string_view secret, std::string_view payload) {
  std::string data(kDomain);
  data += payload;
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len) ||
      len < kMacBytes)
    throw std::runtime_error("HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(out.data()), kMacBytes);
}

bool digits(std::string_view s, bool allow_minus) {
  if (s.empty() || s.size() > 12) return false;
  std::size_t i = 0;
  if (allow_minus && s[0] == '-') i = 1;
  if (i == s.size()) return false;
  if (s[i] == '0' && s.size() > i + 1) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

} // namespace

std::string base64url(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char ch : bytes) {
    acc = (acc << 8) | ch;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
  return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char ch : text) {
    const auto v = kAlphabet.find(ch);
    if (v == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt; // non-canonical trailing bits
  return out;
}

std::string sign_link(std::string_view secret, const LinkClaims& c) {
  if (secret.size() < 32) throw std::invalid_argument("the link secret must be at least 32 bytes");
  for (const auto* f : {&c.survey, &c.recipient, &c.locale})
    if (f->find('\n') != std::string::npos) throw std::invalid_argument("a link field holds a line break");
  const std::string payload = std::string(1, c.kind) + "\n" + c.survey + "\n" + c.recipient + "\n" +
                              std::to_string(c.score) + "\n" + std::to_string(c.expires) + "\n" + c.locale;
  return base64url(payload) + "." + base64url(mac(secret, payload));
}

LinkVerdict verify_link(std::string_view secret, std::string_view token, std::int64_t now) {
  LinkVerdict v;
  if (token.size() > 2048) return v;
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || token.find('.', dot + 1) != std::string_view::npos) return v;
  auto payload = from_base64url(token.substr(0, dot));
  auto sig = from_base64url(token.substr(dot + 1));
  if (!payload || !sig) return v;
  std::vector<std::string_view> f;
  std::string_view rest = *payload;
  for (;;) {
    const auto nl = rest.find('\n');
    f.push_back(rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  if (f.size() != 6 || f[0].size() != 1 || std::string_view("ruxv").find(f[0][0]) == std::string_view::npos ||
      !digits(f[3], true) || !digits(f[4], false))
    return v;
  const int score = std::stoi(std::string(f[3]));
  if (score < -1 || score > 10) return v;
  if (secret.size() < 32 || sig->size() != kMacBytes) {
    v.status = LinkCheck::bad_signature;
    return v;
  }
  const std::string expected = mac(secret, *payload);
  if (CRYPTO_memcmp(expected.data(), sig->data(), kMacBytes) != 0) {
    v.status = LinkCheck::bad_signature;
    return v;
  }
  v.claims = {f[0][0],          std::string(f[1]), std::string(f[2]), score, std::stoll(std::string(f[4])),
              std::string(f[5])};
  v.status = v.claims.expires < now ? LinkCheck::expired : LinkCheck::ok;
  return v;
}

} // namespace npsd
