// The SSRF guard (see the header).
#include "ssrf_guard.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>

namespace npsd::ssrf {

std::string_view to_string(AddressClass c) noexcept {
  switch (c) {
  case AddressClass::global: return "public";
  case AddressClass::loopback: return "loopback";
  case AddressClass::private_net: return "private";
  case AddressClass::link_local: return "link-local";
  case AddressClass::cgnat: return "carrier-grade NAT";
  case AddressClass::metadata: return "cloud metadata";
  case AddressClass::unspecified: return "unspecified";
  case AddressClass::multicast: return "multicast";
  case AddressClass::broadcast: return "broadcast";
  case AddressClass::reserved: return "reserved";
  }
  return "reserved";
}

namespace {

bool in(std::uint32_t a, std::uint32_t net, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

constexpr std::uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return a << 24 | b << 16 | c << 8 | d;
}

AddressClass classify_v4(std::uint32_t a) {
  if (a == v4(169, 254, 169, 254) || a == v4(169, 254, 170, 2) || a == v4(100, 100, 100, 200))
    return AddressClass::metadata;
  if (in(a, v4(0, 0, 0, 0), 8)) return AddressClass::unspecified;
  if (in(a, v4(127, 0, 0, 0), 8)) return AddressClass::loopback;
  if (in(a, v4(10, 0, 0, 0), 8) || in(a, v4(172, 16, 0, 0), 12) || in(a, v4(192, 168, 0, 0), 16))
    return AddressClass::private_net;
  if (in(a, v4(169, 254, 0, 0), 16)) return AddressClass::link_local;
  if (in(a, v4(100, 64, 0, 0), 10)) return AddressClass::cgnat;
  if (in(a, v4(224, 0, 0, 0), 4)) return AddressClass::multicast;
  if (a == v4(255, 255, 255, 255)) return AddressClass::broadcast;
  if (in(a, v4(240, 0, 0, 0), 4) || in(a, v4(192, 0, 0, 0), 24) || in(a, v4(198, 18, 0, 0), 15) ||
      in(a, v4(192, 0, 2, 0), 24) || in(a, v4(198, 51, 100, 0), 24) || in(a, v4(203, 0, 113, 0), 24))
    return AddressClass::reserved;
  return AddressClass::global;
}

std::uint32_t v4_at(const unsigned char* b) {
  return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
}

AddressClass classify_v6(const unsigned char* b) {
  static constexpr std::array<unsigned char, 16> kMetadata = {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0,    0,
                                                              0,    0,    0,    0,    0, 0, 0x02, 0x54};
  if (std::equal(kMetadata.begin(), kMetadata.end(), b)) return AddressClass::metadata;
  const bool first80_zero = std::all_of(b, b + 10, [](unsigned char x) { return x == 0; });
  if (first80_zero && b[10] == 0xff && b[11] == 0xff) return classify_v4(v4_at(b + 12)); // ::ffff:a.b.c.d
  if (first80_zero && b[10] == 0 && b[11] == 0) {
    if (std::all_of(b + 12, b + 15, [](unsigned char x) { return x == 0; })) {
      if (b[15] == 0) return AddressClass::unspecified;
      if (b[15] == 1) return AddressClass::loopback;
    }
    return AddressClass::reserved; // IPv4-compatible (deprecated)
  }
  // NAT64 64:ff9b::/96 carries an IPv4 address in its last 32 bits.
  if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
      std::all_of(b + 4, b + 12, [](unsigned char x) { return x == 0; }))
    return classify_v4(v4_at(b + 12));
  if (b[0] == 0x20 && b[1] == 0x02) return classify_v4(v4_at(b + 2)); // 6to4: 2002:aabb:ccdd::/48
  if (b[0] == 0xff) return AddressClass::multicast;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressClass::link_local;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return AddressClass::private_net; // site-local
  if ((b[0] & 0xfe) == 0xfc) return AddressClass::private_net;                 // ULA
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return AddressClass::reserved;
  if (b[0] == 0x01 && b[1] == 0x00 && std::all_of(b + 2, b + 8, [](unsigned char x) { return x == 0; }))
    return AddressClass::reserved; // discard-only 100::/64
  return AddressClass::global;
}

} // namespace

std::optional<AddressClass> classify(std::string_view ip) {
  const std::string s(ip);
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return classify_v4(v4_at(buf));
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return classify_v6(buf);
  return std::nullopt;
}

AddressClass classify(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    const auto* in4 = reinterpret_cast<const sockaddr_in*>(sa);
    return classify_v4(ntohl(in4->sin_addr.s_addr));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    return classify_v6(in6->sin6_addr.s6_addr);
  }
  return AddressClass::reserved;
}

std::string address_text(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  else
    return "(family " + std::to_string(sa->sa_family) + ")";
  return buf;
}

bool allowed(AddressClass c, bool allow_private) noexcept {
  switch (c) {
  case AddressClass::global: return true;
  case AddressClass::loopback:
  case AddressClass::private_net:
  case AddressClass::link_local:
  case AddressClass::cgnat: return allow_private;
  default: return false;
  }
}

std::optional<std::string> check_url(const std::string& url, bool allow_private) {
  if (url.size() > 2000) return "at most 2000 bytes";
  std::unique_ptr<CURLU, void (*)(CURLU*)> u(curl_url(), curl_url_cleanup);
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return "not a URL";
  auto part = [&](CURLUPart p) -> std::optional<std::string> {
    char* v = nullptr;
    if (curl_url_get(u.get(), p, &v, 0) != CURLUE_OK || !v) return std::nullopt;
    std::string out(v);
    curl_free(v);
    return out;
  };
  const auto scheme = part(CURLUPART_SCHEME);
  if (!scheme || (*scheme != "http" && *scheme != "https")) return "an http or https URL";
  if (part(CURLUPART_USER) || part(CURLUPART_PASSWORD)) return "a URL without user:password";
  auto host = part(CURLUPART_HOST);
  if (!host || host->empty()) return "a URL with a host";
  if (host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  if (const auto z = host->find('%'); z != std::string::npos) host->resize(z); // zone id
  std::string lower = *host;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  while (!lower.empty() && lower.back() == '.')
    lower.pop_back();
  std::optional<AddressClass> cls = classify(lower);
  if (!cls && (lower == "localhost" || (lower.size() > 10 && lower.ends_with(".localhost"))))
    cls = AddressClass::loopback;
  if (cls && !allowed(*cls, allow_private))
    return "a host npsd may reach (" + lower + " is a " + std::string(to_string(*cls)) + " address)";
  // Signed answers with comments and respondents do not cross the internet in clear text:
  // plain http only to a receiver on the same network (checked again on every connection).
  if (*scheme == "http" && (!allow_private || cls == AddressClass::global))
    return "an https URL (plain http only for a receiver on a private network, with "
           "--webhooks-allow-private)";
  return std::nullopt;
}

} // namespace npsd::ssrf
