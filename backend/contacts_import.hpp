// Reading contacts to import (issue 14) from CSV or a JSON list, strictly and all at once:
// every bad line is reported by its line number (CSV) or index (JSON) and field, and then
// nothing is imported. An e-mail given twice is one contact (the later line wins).
//
// CSV: RFC 4180 (quoted cells may hold commas, quotes as "", line breaks), UTF-8, a header
// line naming the columns: email (required), name, locale, external_id; every other column
// is an attribute (its cell as text; an empty cell: no attribute).
#pragma once

#include "email_store.hpp"
#include "errors.hpp"

#include "nps/json.hpp"

#include <string>
#include <vector>

namespace npsd {

struct ContactsRead {
  std::vector<ContactInput> contacts; // in file order, one per e-mail
  std::size_t merged = 0;             // lines that repeated an e-mail already read
  std::vector<ApiError> errors;       // path "line 7: email" or "contacts[3].email"
};

[[nodiscard]] ContactsRead read_contacts_csv(std::string_view text, std::size_t max_rows);
[[nodiscard]] ContactsRead read_contacts_json(const nps::json& list, std::size_t max_rows);

} // namespace npsd
