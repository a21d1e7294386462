// Reading other tools' exports (import.hpp): a streaming RFC 4180 reader, the presets'
// columns, and one row → one nps::Response, validated by the core as the public API does.
#include "import.hpp"
#include "import_presets.hpp"

#include "nps/json.hpp"
#include "nps/locale.hpp"
#include "nps/response.hpp"
#include "nps/score_list.hpp"
#include "nps/text.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <unordered_map>

namespace npsd::import {

namespace {

// ---- CSV -------------------------------------------------------------------------------

// Records one at a time from the text (the file is never split into a table in memory).
class Cursor {
public:
  Cursor(std::string_view text, char delimiter) : t_(text), d_(delimiter) {}
  // False at the end. `line` is where the record starts; `error` set for a broken quote.
  bool next(std::vector<std::string>& fields, std::size_t& line, std::string& error) {
    fields.clear();
    error.clear();
    while (pos_ < t_.size() && (t_[pos_] == '\n' || t_[pos_] == '\r')) { // blank lines
      if (t_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= t_.size()) return false;
    line = line_;
    std::string cell;
    bool quoted = false, was_quoted = false;
    while (pos_ < t_.size()) {
      const char c = t_[pos_++];
      if (quoted) {
        if (c == '"') {
          if (pos_ < t_.size() && t_[pos_] == '"') {
            cell += '"';
            ++pos_;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_;
          cell += c;
        }
      } else if (c == '"') {
        if (!cell.empty() || was_quoted) {
          error = "a quote inside a cell that does not start with one";
          skip_line();
          return true;
        }
        quoted = was_quoted = true;
      } else if (c == d_) {
        fields.push_back(std::move(cell));
        cell.clear();
        was_quoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && pos_ < t_.size() && t_[pos_] == '\n') ++pos_;
        ++line_;
        break;
      } else {
        if (was_quoted) {
          error = "text after a quoted cell's closing quote";
          skip_line();
          return true;
        }
        cell += c;
      }
    }
    if (quoted) {
      error = "a quoted cell is never closed";
      return true;
    }
    fields.push_back(std::move(cell));
    return true;
  }

private:
  void skip_line() {
    while (pos_ < t_.size() && t_[pos_] != '\n')
      ++pos_;
    if (pos_ < t_.size()) ++pos_;
    ++line_;
  }
  std::string_view t_;
  char d_;
  std::size_t pos_ = 0, line_ = 1;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string sha256_hex(std::string_view s, std::size_t chars) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d.data());
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : d) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out.substr(0, chars);
}

// A source's channel name as npsd's.
std::optional<std::string> channel_of(std::string_view v) {
  const std::string s = lower(trim(v));
  if (s == "email" || s == "e-mail") return "email";
  if (s == "sms" || s == "text" || s == "text message") return "sms";
  if (s == "web" || s == "website" || s == "in-app" || s == "app_survey" || s == "website_survey")
    return "web";
  if (s == "link" || s == "anonymous" || s == "share" || s == "link_survey" || s == "qr") return "link";
  if (s == "app" || s == "mobile" || s == "ios" || s == "android") return "app";
  if (s == "api") return "api";
  if (s == "import" || s == "kiosk" || s == "paper" || s == "offline") return "import";
  return std::nullopt;
}

// Qualtrics' language codes (EN, ZH-S, PT-BR) and everyone else's tags.
std::optional<std::string> locale_of(std::string_view v) {
  std::string s(trim(v));
  const std::string l = lower(s);
  if (l == "zh-s") s = "zh-Hans";
  if (l == "zh-t") s = "zh-Hant";
  auto c = nps::canonical_locale(s);
  if (!c) return std::nullopt;
  return *c;
}

struct Columns {
  std::vector<std::string> header;
  std::map<std::string, std::size_t> field;                    // field → column index
  std::vector<std::pair<std::size_t, std::string>> attributes; // column → attribute key
  char delimiter = ',';
};

std::optional<std::size_t> find_header(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (lower(trim(header[i])) == lower(trim(name))) return i;
  return std::nullopt;
}

std::string attribute_key(std::string_view header) {
  std::string k;
  for (char c : trim(header)) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    if (ok)
      k += c;
    else if (!k.empty() && k.back() != '_')
      k += '_';
  }
  while (!k.empty() && k.back() == '_')
    k.pop_back();
  if (k.size() > 64) k.resize(64);
  return k;
}

std::optional<Columns> resolve(const std::vector<std::string>& header, const Options& o,
                               std::vector<LineError>& errs) {
  Columns c;
  c.header = header;
  const Spec& s = spec(o.preset);
  for (const auto& [field, names] : s.aliases)
    for (const auto& n : names)
      if (auto i = find_header(header, n)) {
        c.field[field] = *i;
        break;
      }
  if (!c.field.count("score") && o.preset == Preset::qualtrics)
    for (std::size_t i = 0; i < header.size() && !c.field.count("score"); ++i)
      if (find_header(header, header[i] + "_NPS_GROUP")) c.field["score"] = i;
  if (!c.field.count("score") && !s.score_contains.empty())
    for (std::size_t i = 0; i < header.size(); ++i)
      if (lower(header[i]).find(s.score_contains) != std::string::npos) {
        c.field["score"] = i;
        break;
      }
  for (const auto& [field, name] : o.columns) {
    auto i = find_header(header, name);
    if (!i) {
      errs.push_back({1, name, "no column named \"" + name + "\" (for " + field + ")"});
      continue;
    }
    c.field[field] = *i;
  }
  for (const char* needed : {"score", "date"})
    if (!c.field.count(needed))
      errs.push_back(
          {1, "", std::string("no ") + needed + " column: name it with --column " + needed + "=HEADER"});
  if (o.preset == Preset::npsd) return errs.empty() ? std::optional(c) : std::nullopt;
  std::vector<std::string> ignore = s.ignore;
  ignore.insert(ignore.end(), o.ignore.begin(), o.ignore.end());
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < header.size(); ++i) {
    bool mapped = false;
    for (const auto& [f, idx] : c.field)
      mapped = mapped || idx == i;
    const bool ignored = std::any_of(ignore.begin(), ignore.end(), [&](const std::string& n) {
      return lower(trim(n)) == lower(trim(header[i]));
    });
    const bool nps_group = lower(header[i]).size() > 10 && lower(header[i]).ends_with("_nps_group");
    if (mapped || ignored || nps_group || trim(header[i]).empty()) continue;
    std::string key = attribute_key(header[i]);
    if (key.empty()) key = "column_" + std::to_string(i + 1);
    if (int n = ++seen[key]; n > 1) key += "_" + std::to_string(n);
    c.attributes.emplace_back(i, key);
  }
  if (c.attributes.size() > nps::ResponseLimits::attributes)
    errs.push_back({1, "",
                    std::to_string(c.attributes.size()) + " columns would be kept as attributes, at most " +
                        std::to_string(nps::ResponseLimits::attributes) + ": leave some out with --ignore"});
  return errs.empty() ? std::optional(c) : std::nullopt;
}

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// ---- one row ---------------------------------------------------------------------------

enum class Outcome { row, skip, error };

struct Converter {
  const Options& o;
  const Columns& c;
  std::unordered_map<std::string, std::uint32_t> occurrences; // content digest → rows so far
  std::string sheet_zone; // the IANA zone a Qualtrics export names for its dates (row 3)

  std::string cell(const std::vector<std::string>& f, const char* field) const {
    auto it = c.field.find(field);
    if (it == c.field.end() || it->second >= f.size()) return "";
    return std::string(trim(f[it->second]));
  }
  std::string header(const char* field) const {
    auto it = c.field.find(field);
    return it == c.field.end() ? std::string(field) : c.header[it->second];
  }

  Outcome convert(const std::vector<std::string>& f, std::size_t line, std::pair<nps::Response, Millis>& out,
                  std::vector<LineError>& errs, int& score_seen) {
    const auto fail = [&](const char* field, std::string message) {
      errs.push_back({line, header(field), std::move(message)});
      return Outcome::error;
    };
    if (f.size() != c.header.size())
      return fail("", std::to_string(f.size()) + " cells, the header has " + std::to_string(c.header.size()));
    if (o.preset == Preset::qualtrics) {
      const std::string id = cell(f, "id"), status = lower(cell(f, "status"));
      if (id == "Response ID") return Outcome::skip; // row 2: the questions' texts
      if (id.rfind("{\"ImportId\"", 0) == 0) {       // row 3: the import ids, with the dates' zone
        const auto date = nps::json::parse(cell(f, "date"), nullptr, false);
        if (date.is_object() && date.contains("timeZone") && date["timeZone"].is_string()) {
          sheet_zone = date["timeZone"].get<std::string>();
          if (!known_time_zone(sheet_zone)) return fail("date", "unknown time zone " + sheet_zone);
        }
        return Outcome::skip;
      }
      if (status == "1" || status == "2" || status == "8" || status == "survey preview" ||
          status == "survey test" || status == "spam")
        return Outcome::skip; // Qualtrics' reports leave previews, tests and spam out
    }
    if (o.preset == Preset::delighted && c.field.count("survey_type")) {
      const std::string t = lower(cell(f, "survey_type"));
      if (!t.empty() && t != "nps") return Outcome::skip;
    }
    const std::string raw_score = cell(f, "score");
    if (raw_score.empty()) return Outcome::skip;
    const auto n = parse_int(raw_score);
    if (!n || *n < 0 || *n > 10)
      return fail("score", "\"" + raw_score + "\" is not a whole number from " +
                               (o.scale == Scale::one_to_ten ? "1" : "0") + " to 10");
    int score = *n;
    score_seen = score;
    if (o.scale == Scale::one_to_ten) {
      if (score == 0) return fail("score", "0 on a survey declared 1 to 10");
      if (o.scale_map == ScaleMap::stretch) score = static_cast<int>((score - 1) * 10.0 / 9.0 + 0.5);
    }
    std::string why;
    const std::string raw_date = cell(f, "date");
    const auto when = parse_time_in(raw_date, o.utc_offset_minutes,
                                    o.time_zone.empty() ? sheet_zone : o.time_zone, o.date_order, why);
    if (!when) return fail("date", raw_date.empty() ? "no date" : "\"" + raw_date + "\": " + why);

    nps::json j = {{"survey_id", o.survey_id}, {"score", score}, {"client_time", *when}};
    if (auto v = cell(f, "comment"); !v.empty()) j["comment"] = v;
    if (auto v = cell(f, "respondent"); !v.empty()) j["respondent_id"] = v;
    nps::json attributes = nps::json::object();
    std::string channel = "import";
    if (auto v = cell(f, "channel"); !v.empty()) {
      if (auto ch = channel_of(v))
        channel = *ch;
      else if (o.preset == Preset::npsd)
        return fail("channel", "\"" + v + "\" is not a channel");
      else
        attributes["source_channel"] = v;
    }
    j["channel"] = channel;
    if (auto v = cell(f, "locale"); !v.empty()) {
      auto l = locale_of(v);
      if (!l) return fail("locale", "\"" + v + "\" is not a language tag");
      j["locale"] = *l;
    }
    if (o.preset == Preset::npsd) {
      for (const char* k : {"device", "page"})
        if (auto v = cell(f, k); !v.empty()) j[k] = v;
      j.erase("client_time"); // npsd's own: the client's time as exported, or none
      if (auto v = cell(f, "client_time"); !v.empty()) {
        const auto t = parse_time(v, 0, DateOrder::none, why);
        if (!t) return fail("client_time", "\"" + v + "\": " + why);
        j["client_time"] = *t;
      }
      for (const char* k : {"attributes", "answers"})
        if (auto v = cell(f, k); !v.empty()) {
          auto parsed = nps::parse_json(v);
          if (!parsed || !parsed->is_object()) return fail(k, "not a JSON object");
          j[k] = *parsed;
        }
      // The export quotes a comment starting with = + - @ as text ('=…): read back as written.
      if (j.contains("comment")) {
        auto& cm = j["comment"].get_ref<std::string&>();
        if (cm.size() > 1 && cm[0] == '\'' &&
            std::string_view("=+-@\t\r").find(cm[1]) != std::string_view::npos)
          cm.erase(0, 1);
      }
      j["idempotency_key"] = cell(f, "id");
    } else {
      for (const auto& [i, key] : c.attributes)
        if (!trim(f[i]).empty()) attributes[key] = std::string(trim(f[i]));
      if (!attributes.empty()) j["attributes"] = attributes;
      const std::string prefix = "imp:" + std::string(to_string(o.preset)) + ":";
      if (auto id = cell(f, "id"); !id.empty()) {
        const bool plain = std::all_of(id.begin(), id.end(), [](char ch) {
          return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == ':' ||
                 ch == '-';
        });
        j["idempotency_key"] =
            plain && prefix.size() + id.size() <= 128 ? prefix + id : prefix + "h" + sha256_hex(id, 40);
      } else {
        // No id in the export: the row's content, and how many identical rows came before.
        const std::string digest = sha256_hex(
            raw_date + '\x1f' + raw_score + '\x1f' + cell(f, "comment") + '\x1f' + cell(f, "respondent"), 40);
        j["idempotency_key"] = prefix + "r" + digest + "." + std::to_string(occurrences[digest]++);
      }
    }
    auto r = nps::parse_response(j);
    if (!r) {
      for (const auto& e : r.errors()) {
        const std::string field = e.path == "respondent_id"     ? "respondent"
                                  : e.path == "idempotency_key" ? "id"
                                                                : e.path;
        errs.push_back({line, c.field.count(field) ? c.header[c.field.at(field)] : e.path, e.message});
      }
      return Outcome::error;
    }
    out = {std::move(*r), *when};
    return Outcome::row;
  }
};

// Runs `each` on every row of the file; fatal header problems go to `errs` at line 1.
template <class Header, class Each>
bool scan(std::string_view text, const Options& o, std::vector<LineError>& errs, Header on_header,
          Each each) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (auto bad = nps::invalid_utf8_at(text)) {
    errs.push_back({1, "", "the file is not UTF-8 (byte " + std::to_string(*bad) + ")"});
    return false;
  }
  const char delimiter = nps::detect_delimiter(text.substr(0, text.find('\n')));
  Cursor cur(text, delimiter);
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::string error;
  if (!cur.next(fields, line, error) || !error.empty()) {
    errs.push_back({1, "", error.empty() ? "the file is empty: a header line is needed" : error});
    return false;
  }
  auto columns = resolve(fields, o, errs);
  if (!columns) return false;
  columns->delimiter = delimiter;
  on_header(*columns);
  while (cur.next(fields, line, error)) {
    if (!error.empty()) {
      if (!each(line, nullptr, error)) return false;
      continue;
    }
    if (!each(line, &fields, error)) return false;
  }
  return true;
}

} // namespace

Report validate(std::string_view text, const Options& o) {
  Report rep;
  rep.scale = o.scale;
  std::vector<LineError> errs;
  Columns cols;
  std::optional<Converter> conv;
  int min_score = 11;
  std::pair<nps::Response, Millis> row;
  std::unordered_map<std::string, std::size_t> keys; // key → its line: one answer per key in a file
  const auto add = [&](LineError e) {
    ++rep.error_count;
    if (rep.errors.size() < 1000) rep.errors.push_back(std::move(e));
  };
  if (o.scale == Scale::one_to_ten && o.scale_map == ScaleMap::none)
    add({1, "",
         "a 1-10 survey is imported only with a mapping: --map keep (1 stays 1) or --map stretch (1 → 0, "
         "10 → 10)"});
  const bool read = scan(
      text, o, errs,
      [&](const Columns& c) {
        cols = c;
        conv.emplace(Converter{o, cols, {}});
      },
      [&](std::size_t line, const std::vector<std::string>* f, const std::string& err) {
        if (!f) {
          add({line, "", err});
          return true;
        }
        std::vector<LineError> row_errs;
        int seen = -1;
        switch (conv->convert(*f, line, row, row_errs, seen)) {
        case Outcome::row:
          if (auto [it, fresh] = keys.emplace(row.first.idempotency_key, line); !fresh) {
            add({line, conv->header("id"),
                 "the same answer as line " + std::to_string(it->second) + " (key " +
                     row.first.idempotency_key + ")"});
            break;
          }
          ++rep.rows;
          min_score = std::min(min_score, seen);
          break;
        case Outcome::skip: ++rep.skipped; break;
        case Outcome::error:
          for (auto& e : row_errs)
            add(std::move(e));
          break;
        }
        return true;
      });
  for (auto& e : errs)
    add(std::move(e));
  if (read && o.scale == Scale::unknown && rep.rows >= 30 && min_score >= 1) {
    rep.scale = Scale::one_to_ten;
    add({1, "",
         "no answer is 0 among " + std::to_string(rep.rows) +
             ": this looks like a survey asked on a 1-10 scale. Say --scale 0-10 if it asked 0 to 10, "
             "or --scale 1-10 with --map keep or --map stretch"});
  } else if (rep.scale == Scale::unknown) {
    rep.scale = Scale::zero_to_ten;
  }
  return rep;
}

bool rows(std::string_view text, const Options& o, std::size_t batch, const Sink& sink) {
  std::vector<LineError> errs;
  Columns cols;
  std::optional<Converter> conv;
  std::vector<std::pair<nps::Response, Millis>> pending;
  pending.reserve(batch);
  std::pair<nps::Response, Millis> row;
  const bool ok = scan(
      text, o, errs,
      [&](const Columns& c) {
        cols = c;
        conv.emplace(Converter{o, cols, {}});
      },
      [&](std::size_t line, const std::vector<std::string>* f, const std::string&) {
        if (!f) return false;
        int seen = -1;
        switch (conv->convert(*f, line, row, errs, seen)) {
        case Outcome::row:
          pending.push_back(std::move(row));
          if (pending.size() >= batch) {
            sink(pending);
            pending.clear();
          }
          return true;
        case Outcome::skip: return true;
        case Outcome::error: return false;
        }
        return false;
      });
  if (!ok || !errs.empty()) return false;
  if (!pending.empty()) sink(pending);
  return true;
}

} // namespace npsd::import
