#include "twilio.hpp"

#include "nps/text.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <vector>

namespace npsd::twilio {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      const int hi = i + 1 < s.size() ? hex_digit(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? hex_digit(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The URL with its default port (":443" for https, ":80" for http) added when it has none,
// or removed when it has it.
std::optional<std::string> other_port_form(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::string_view scheme = url.substr(0, scheme_end);
  const std::string_view port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
  if (port.empty()) return std::nullopt;
  const auto host_start = scheme_end + 3;
  auto host_end = url.find_first_of("/?#", host_start);
  if (host_end == std::string_view::npos) host_end = url.size();
  const std::string_view host = url.substr(host_start, host_end - host_start);
  const std::string_view rest = url.substr(host_end);
  const auto colon = host.rfind(':');
  const bool has_port = colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos;
  if (has_port)
    return host.substr(colon) == port ? std::optional(std::string(url.substr(0, host_start)) +
                                                      std::string(host.substr(0, colon)) + std::string(rest))
                                      : std::nullopt;
  return std::string(url.substr(0, host_end)) + std::string(port) + std::string(rest);
}

} // namespace

std::optional<std::map<std::string, std::string>> parse_form(std::string_view body, std::string& error) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= body.size() && !body.empty()) {
    auto end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) {
      if (end == body.size()) break;
      error = "an empty parameter (\"&&\")";
      return std::nullopt;
    }
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      error = "a parameter without '=' (" + std::string(pair.substr(0, 40)) + ")";
      return std::nullopt;
    }
    auto name = decode(pair.substr(0, eq));
    if (!name || name->empty()) {
      error = "a parameter name is empty or badly escaped";
      return std::nullopt;
    }
    auto value = decode(pair.substr(eq + 1));
    if (!value) {
      error = *name + ": a badly escaped value (% needs two hexadecimal digits)";
      return std::nullopt;
    }
    if (nps::invalid_utf8_at(*name) || nps::invalid_utf8_at(*value)) {
      error = *name + ": not valid UTF-8";
      return std::nullopt;
    }
    if (!out.emplace(std::move(*name), std::move(*value)).second) {
      error = pair.substr(0, eq).size() > 40 ? "a parameter given twice"
                                             : std::string(pair.substr(0, eq)) + ": given twice";
      return std::nullopt;
    }
    if (end == body.size()) break;
  }
  return out;
}

std::string signature(std::string_view auth_token, std::string_view url,
                      const std::map<std::string, std::string>& params) {
  std::string data(url);
  for (const auto& [name, value] : params) // std::map: sorted by name, bytewise
    data += name + value;
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &mac_len);
  std::vector<unsigned char> b64(4 * ((mac_len + 2) / 3) + 1);
  const int n = EVP_EncodeBlock(b64.data(), mac.data(), static_cast<int>(mac_len));
  return std::string(reinterpret_cast<const char*>(b64.data()), static_cast<std::size_t>(n));
}

bool verify(std::string_view auth_token, std::string_view header, std::string_view url,
            const std::map<std::string, std::string>& params) {
  if (auth_token.empty() || header.empty()) return false;
  const auto same = [&](const std::string& expected) {
    return expected.size() == header.size() &&
           CRYPTO_memcmp(expected.data(), header.data(), header.size()) == 0;
  };
  if (same(signature(auth_token, url, params))) return true;
  const auto other = other_port_form(url);
  return other && same(signature(auth_token, *other, params));
}

std::string twiml_message(std::string_view text) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  if (text.empty()) return out + "<Response/>";
  out += "<Response><Message>";
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default: out += c;
    }
  }
  return out + "</Message></Response>";
}

} // namespace npsd::twilio
