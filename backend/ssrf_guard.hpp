// The SSRF guard of outgoing webhooks: which addresses npsd may connect to. The address
// checked is the one the connection is opened to (webhook_delivery.cpp calls classify() from
// libcurl's CURLOPT_OPENSOCKETFUNCTION), so a name that resolves to an internal address, a
// DNS answer that changes between a check and the connection (rebinding) or an IPv4 address
// hidden in an IPv6 one (::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are all refused
// where it matters. Redirects are never followed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace npsd::ssrf {

enum class AddressClass {
  global,      // a public address
  loopback,    // 127.0.0.0/8, ::1
  private_net, // RFC 1918 (10/8, 172.16/12, 192.168/16), ULA fc00::/7, site-local fec0::/10
  link_local,  // 169.254.0.0/16, fe80::/10
  cgnat,       // 100.64.0.0/10 (RFC 6598)
  metadata,    // cloud metadata: 169.254.169.254, 169.254.170.2, 100.100.100.200, fd00:ec2::254
  unspecified, // 0.0.0.0/8, ::
  multicast,   // 224.0.0.0/4, ff00::/8
  broadcast,   // 255.255.255.255
  reserved,    // 240.0.0.0/4, 192.0.0.0/24, 198.18.0.0/15, documentation ranges, 100::/64, ::/96
};

[[nodiscard]] std::string_view to_string(AddressClass c) noexcept;

// The class of a numeric IPv4 or IPv6 address ("10.0.0.1", "::ffff:127.0.0.1"); nullopt when
// the text is not one.
[[nodiscard]] std::optional<AddressClass> classify(std::string_view ip);
// The class of a socket address (AF_INET or AF_INET6; any other family is reserved).
[[nodiscard]] AddressClass classify(const sockaddr* sa);
// The address as text, for error messages.
[[nodiscard]] std::string address_text(const sockaddr* sa);

// Whether npsd may connect. With allow_private (npsd --webhooks-allow-private, for a receiver
// on the same machine or network) loopback, private, link-local and CGNAT addresses are
// allowed; metadata, unspecified, multicast, broadcast and reserved addresses never are.
[[nodiscard]] bool allowed(AddressClass c, bool allow_private) noexcept;

// A webhook URL as the admin API accepts it: http or https, a host, no user:password, at most
// 2,000 bytes; a host that is an address literal or a name under "localhost" must be allowed.
// Returns the reason it is refused, nullopt when accepted.
[[nodiscard]] std::optional<std::string> check_url(const std::string& url, bool allow_private);

} // namespace npsd::ssrf
