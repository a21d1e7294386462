// What a survey's responses keep of the person who answers: which attributes are personal
// data, and whether the address of the page they answered on keeps its query string and
// fragment (where sites put e-mail addresses, order numbers, tokens: "?email=a@b.example").
//
// A survey definition says it in "privacy" (survey.hpp parses it):
//   "privacy": {"personal_attributes": ["customer_no"], "keep_page_query": false}
// Both are optional; the normalised definition always has both.
//
// How a server applies it (npsd):
//   * ingestion: apply_privacy() on a response before it is stored (store_page() on its
//     page), so a query string or fragment never reaches the disk unless the
//     survey keeps them. The browser's flow does the same to the page it sends (start_flow).
//   * viewers: is_personal_attribute() for every attribute key shown; a breakdown by a
//     personal attribute is refused, and the values of personal attributes are left out of
//     what viewers read (without_personal()). Personal attributes are still stored: an admin
//     exporting or erasing one respondent's data reads them.
#pragma once

#include "nps/json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace nps {

struct Response;

struct Privacy {
  // Personal besides the attributes that always are (always_personal_attributes); each an
  // attribute name (1 to 64 of A-Z a-z 0-9 _ . -), at most 50, none twice.
  std::vector<std::string> personal_attributes;
  bool keep_page_query = false; // keep the page address's query string and fragment
  friend bool operator==(const Privacy&, const Privacy&) = default;
};

// Personal in every survey: contact details and names.
inline constexpr std::string_view always_personal_attributes[] = {"email",      "phone",     "name",
                                                                  "first_name", "last_name", "full_name"};

// Whether two attribute names name the same thing for privacy: compared without ASCII case
// and without the separators _ . - ("firstName", "First-Name" and "first_name" are one name),
// so a site that spells a personal attribute its own way does not expose it.
[[nodiscard]] bool same_attribute_name(std::string_view a, std::string_view b) noexcept;

// Is the attribute `key` personal data in a survey with these settings: one of the
// always_personal_attributes or of p.personal_attributes, by same_attribute_name.
[[nodiscard]] bool is_personal_attribute(const Privacy& p, std::string_view key) noexcept;

// The attributes without the personal ones (key order kept).
[[nodiscard]] json without_personal(const Privacy& p, const json& attributes);

// A page address without its query string and fragment: the text up to the first '?' or
// '#', whichever comes first (a '?' inside the fragment belongs to the fragment). Pure text:
// no decoding, no other change, any length; "?q=1" gives "", "/a?" gives "/a".
[[nodiscard]] std::string_view without_query(std::string_view url) noexcept;

// The page as a response may store it: without_query(url) unless p.keep_page_query.
[[nodiscard]] std::string_view store_page(const Privacy& p, std::string_view url) noexcept;

// A response as the survey lets it be stored: its page through store_page (a page that
// is then empty is left out).
void apply_privacy(const Privacy& p, Response& r);

} // namespace nps
