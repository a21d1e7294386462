// Reading contacts to import (see contacts_import.hpp).
#include "contacts_import.hpp"

#include "nps/locale.hpp"

#include "nps/text.hpp"

#include <algorithm>
#include <unordered_map>

namespace npsd {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string(s);
}

bool attribute_key_ok(const std::string& k) {
  return !k.empty() && k.size() <= 64 && std::all_of(k.begin(), k.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// Checks one contact's fields; errors are prefixed by `where`. True when it may be imported.
bool check(ContactInput& c, const std::string& where, std::vector<ApiError>& errors) {
  const auto before = errors.size();
  c.email = trim(c.email);
  if (c.email.empty())
    errors.push_back({ApiCode::required, where + "email", "required"});
  else if (email_key(c.email).empty())
    errors.push_back(
        {ApiCode::invalid_format, where + "email", "not an e-mail address: " + c.email.substr(0, 80)});
  c.name = trim(c.name);
  if (c.name.size() > 200 || has_control(c.name))
    errors.push_back({ApiCode::invalid_value, where + "name", "at most 200 bytes, no control characters"});
  if (!c.locale.empty()) {
    auto l = nps::canonical_locale(trim(c.locale));
    if (!l)
      errors.push_back(
          {ApiCode::invalid_format, where + "locale", "not a language tag: " + c.locale.substr(0, 40)});
    else
      c.locale = *l;
  }
  c.external_id = trim(c.external_id);
  if (c.external_id.size() > 256 || has_control(c.external_id))
    errors.push_back(
        {ApiCode::invalid_value, where + "external_id", "at most 256 bytes, no control characters"});
  if (c.attributes.size() > 50) errors.push_back({ApiCode::too_many, where + "attributes", "at most 50"});
  for (auto it = c.attributes.begin(); it != c.attributes.end(); ++it) {
    if (!attribute_key_ok(it.key()))
      errors.push_back(
          {ApiCode::invalid_format, where + "attributes." + it.key(), "a key of A-Z a-z 0-9 _ - ."});
    else if (!(it->is_string() || it->is_number() || it->is_boolean()))
      errors.push_back(
          {ApiCode::invalid_type, where + "attributes." + it.key(), "text, a number or true/false"});
    else if (it->is_string() && (it->get_ref<const std::string&>().size() > 500 ||
                                 has_control(it->get_ref<const std::string&>())))
      errors.push_back({ApiCode::invalid_value, where + "attributes." + it.key(),
                        "at most 500 bytes, no control characters"});
  }
  return errors.size() == before;
}

void add(ContactsRead& out, std::unordered_map<std::string, std::size_t>& seen, ContactInput c) {
  const auto key = email_key(c.email);
  if (auto it = seen.find(key); it != seen.end()) {
    out.contacts[it->second] = std::move(c);
    out.merged++;
    return;
  }
  seen.emplace(key, out.contacts.size());
  out.contacts.push_back(std::move(c));
}

} // namespace

ContactsRead read_contacts_csv(std::string_view text, std::size_t max_rows) {
  ContactsRead out;
  if (!nps::is_valid_utf8(text)) {
    out.errors.push_back({ApiCode::invalid_utf8, "csv", "the file is not UTF-8"});
    return out;
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3); // a spreadsheet's byte order mark
  // Cut into records of cells, remembering each record's first line number.
  std::vector<std::pair<std::size_t, std::vector<std::string>>> records;
  std::vector<std::string> cells(1);
  std::size_t line = 1, start = 1;
  bool quoted = false, was_quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        cells.back() += c;
      }
      continue;
    }
    if (c == '"' && cells.back().empty() && !was_quoted) {
      quoted = was_quoted = any = true;
    } else if (c == ',') {
      cells.emplace_back();
      was_quoted = false;
      any = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || cells.size() > 1 || !cells[0].empty()) records.emplace_back(start, std::move(cells));
      cells.assign(1, "");
      was_quoted = any = false;
      start = ++line;
    } else {
      if (was_quoted) {
        out.errors.push_back(
            {ApiCode::invalid_format, "line " + std::to_string(line), "text after a closing quote"});
        return out;
      }
      cells.back() += c;
      any = true;
    }
  }
  if (quoted) {
    out.errors.push_back(
        {ApiCode::invalid_format, "line " + std::to_string(start), "a quote is never closed"});
    return out;
  }
  if (any || cells.size() > 1 || !cells[0].empty()) records.emplace_back(start, std::move(cells));
  if (records.empty()) {
    out.errors.push_back({ApiCode::no_data, "csv", "no header line"});
    return out;
  }
  auto header = records.front().second;
  for (auto& h : header) {
    h = trim(h);
    std::transform(h.begin(), h.end(), h.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  const auto email_col = std::find(header.begin(), header.end(), "email");
  if (email_col == header.end()) {
    out.errors.push_back({ApiCode::required, "line 1: email", "the header must name an email column"});
    return out;
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (std::count(header.begin(), header.end(), header[i]) > 1)
      out.errors.push_back({ApiCode::duplicate_key, "line 1: " + header[i], "a column named twice"});
    else if (!attribute_key_ok(header[i]))
      out.errors.push_back(
          {ApiCode::invalid_format, "line 1: " + header[i], "a column name of A-Z a-z 0-9 _ - ."});
  }
  if (!out.errors.empty()) return out;
  if (records.size() - 1 > max_rows) {
    out.errors.push_back(
        {ApiCode::too_many, "csv", "at most " + std::to_string(max_rows) + " contacts at a time"});
    return out;
  }
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& [ln, row] = records[r];
    const std::string where = "line " + std::to_string(ln) + ": ";
    if (row.size() != header.size()) {
      out.errors.push_back(
          {ApiCode::invalid_format, where.substr(0, where.size() - 2),
           std::to_string(row.size()) + " cells, the header has " + std::to_string(header.size())});
      continue;
    }
    ContactInput c;
    for (std::size_t i = 0; i < header.size(); ++i) {
      const auto& h = header[i];
      if (h == "email")
        c.email = row[i];
      else if (h == "name")
        c.name = row[i];
      else if (h == "locale")
        c.locale = row[i];
      else if (h == "external_id")
        c.external_id = row[i];
      else if (!trim(row[i]).empty())
        c.attributes[h] = trim(row[i]);
    }
    if (check(c, where, out.errors)) add(out, seen, std::move(c));
  }
  if (!out.errors.empty()) out.contacts.clear();
  return out;
}

ContactsRead read_contacts_json(const nps::json& list, std::size_t max_rows) {
  ContactsRead out;
  if (!list.is_array()) {
    out.errors.push_back({ApiCode::invalid_type, "contacts", "a list of contacts"});
    return out;
  }
  if (list.size() > max_rows) {
    out.errors.push_back(
        {ApiCode::too_many, "contacts", "at most " + std::to_string(max_rows) + " at a time"});
    return out;
  }
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = "contacts[" + std::to_string(i) + "].";
    const auto& j = list[i];
    if (!j.is_object()) {
      out.errors.push_back({ApiCode::invalid_type, where.substr(0, where.size() - 1), "an object"});
      continue;
    }
    ContactInput c;
    bool ok = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
      const auto& k = it.key();
      if (k == "attributes") {
        if (!it->is_object()) {
          out.errors.push_back({ApiCode::invalid_type, where + k, "an object"});
          ok = false;
        } else {
          c.attributes = *it;
        }
      } else if (k == "email" || k == "name" || k == "locale" || k == "external_id") {
        if (!it->is_string()) {
          out.errors.push_back({ApiCode::invalid_type, where + k, "must be a string"});
          ok = false;
          continue;
        }
        (k == "email"    ? c.email
         : k == "name"   ? c.name
         : k == "locale" ? c.locale
                         : c.external_id) = it->get<std::string>();
      } else {
        out.errors.push_back({ApiCode::unknown_field, where + k, "not a field of a contact"});
        ok = false;
      }
    }
    if (check(c, where, out.errors) && ok) add(out, seen, std::move(c));
  }
  if (!out.errors.empty()) out.contacts.clear();
  return out;
}

} // namespace npsd
