// The thank-you link a survey may end on (flow.hpp's thanks_url): the score and the comment
// appended to its query when the survey asks for them, before any fragment.
#include "nps/flow.hpp"

#include <string>
#include <string_view>

namespace nps {

std::string thanks_url(const ThanksLink& link, const Response& r) {
  const auto encode = [](std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
      const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                              c == '-' || c == '_' || c == '.' || c == '~';
      if (unreserved) {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
    return out;
  };
  std::string query;
  if (link.append_score) query += "nps_score=" + std::to_string(r.score.value());
  if (link.append_comment && r.comment)
    query += (query.empty() ? "" : "&") + ("nps_comment=" + encode(*r.comment));
  if (query.empty()) return link.url;
  const std::size_t hash = link.url.find('#');
  std::string base = link.url.substr(0, hash);
  const std::string fragment = hash == std::string::npos ? "" : link.url.substr(hash);
  base += (base.find('?') == std::string::npos ? '?' : '&');
  return base + query + fragment;
}

} // namespace nps
