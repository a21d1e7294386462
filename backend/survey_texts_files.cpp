// The translation hand-off's files (survey_texts_files.hpp). Sections: unit ids · CSV
// written · CSV read · XLIFF written · XLIFF read
#include "survey_texts_files.hpp"

#include "csv.hpp"

#include "nps/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>

namespace npsd {

// ---- unit ids ---------------------------------------------------------------------------

std::string xliff_unit_id(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '[')
      out += '.';
    else if (c != ']')
      out += c;
  }
  return out;
}

std::string key_of_unit_id(std::string_view id) {
  std::string out;
  std::size_t start = 0;
  while (start <= id.size()) {
    std::size_t end = id.find('.', start);
    if (end == std::string_view::npos) end = id.size();
    const std::string_view part = id.substr(start, end - start);
    const bool number =
        !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (number && !out.empty())
      out += "[" + std::string(part) + "]";
    else
      out += (out.empty() ? "" : ".") + std::string(part);
    start = end + 1;
  }
  return out;
}

namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string at_line(std::size_t line) { return "line " + std::to_string(line); }
} // namespace

// ---- CSV written --------------------------------------------------------------------------

std::string texts_csv(const std::vector<TextFileRow>& rows) {
  std::string out(kBom);
  out += "key,source,target,state\r\n";
  for (const auto& r : rows)
    out += csv_cell(r.key) + "," + csv_cell(r.source) + "," + csv_cell(r.target) + "," + csv_cell(r.state) +
           "\r\n";
  return out;
}

// ---- CSV read -----------------------------------------------------------------------------

namespace {

// One record: its cells, where it starts; false at the end. A broken quote is an error.
struct CsvReader {
  std::string_view t;
  char sep;
  std::size_t pos = 0, line = 1;

  bool next(std::vector<std::string>& cells, std::size_t& start, std::string& error) {
    cells.clear();
    while (pos < t.size() && (t[pos] == '\n' || t[pos] == '\r')) { // blank lines
      if (t[pos] == '\n') ++line;
      ++pos;
    }
    if (pos >= t.size()) return false;
    start = line;
    std::string cell;
    bool quoted = false, was_quoted = false;
    while (pos < t.size()) {
      const char c = t[pos++];
      if (quoted) {
        if (c != '"') {
          if (c == '\n') ++line;
          cell += c;
        } else if (pos < t.size() && t[pos] == '"') {
          cell += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else if (c == '"' && cell.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == '"' || (was_quoted && c != sep && c != '\n' && c != '\r')) {
        error = "a quote in the middle of a cell (a cell with quotes must be quoted whole)";
        return true;
      } else if (c == sep) {
        cells.push_back(std::move(cell));
        cell.clear();
        was_quoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && pos < t.size() && t[pos] == '\n') ++pos;
        ++line;
        break;
      } else {
        cell += c;
      }
    }
    if (quoted) {
      error = "a quoted cell is never closed";
      return true;
    }
    cells.push_back(std::move(cell));
    return true;
  }
};

// The list separator the header line uses: a comma, else a semicolon or a tab.
char separator_of(std::string_view text) {
  const std::string_view first = text.substr(0, text.find_first_of("\r\n"));
  for (char c : {',', ';', '\t'})
    if (first.find(c) != std::string_view::npos) return c;
  return ',';
}

// csv_cell wrote '=… for a text starting with = + - @: the text is what follows.
std::string undefused(std::string v) {
  if (v.size() > 1 && v[0] == '\'' && std::string_view("=+-@\t\r").find(v[1]) != std::string_view::npos)
    v.erase(0, 1);
  return v;
}

} // namespace

TextFileRead read_texts_csv(std::string_view text) {
  TextFileRead out;
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  if (auto bad = nps::invalid_utf8_at(text)) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(*bad), '\n');
    out.errors.push_back({at_line(static_cast<std::size_t>(line)),
                          "not UTF-8 (save the file as \"CSV UTF-8\"): the byte at " + std::to_string(*bad)});
    return out;
  }
  CsvReader reader{text, separator_of(text)};
  std::vector<std::string> cells;
  std::size_t line = 0;
  std::string error;
  if (!reader.next(cells, line, error)) {
    out.errors.push_back(
        {"line 1", "the file is empty; the first line names the columns key, source, target"});
    return out;
  }
  if (!error.empty()) {
    out.errors.push_back({at_line(line), error});
    return out;
  }
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    std::string name(nps::trim(cells[i]));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!column.emplace(name, i).second && !name.empty())
      out.errors.push_back({at_line(line) + ": " + name, "this column is named twice"});
  }
  for (const char* needed : {"key", "source", "target"})
    if (!column.count(needed))
      out.errors.push_back(
          {at_line(line), std::string("no column \"") + needed + "\" (the header is key,source,target)"});
  if (!out.errors.empty()) return out;
  while (reader.next(cells, line, error)) {
    if (!error.empty()) {
      out.errors.push_back({at_line(line), error});
      continue;
    }
    TextFileRow row;
    row.line = line;
    for (auto [name, field] :
         {std::pair{"key", &row.key}, std::pair{"source", &row.source}, std::pair{"target", &row.target}}) {
      const std::size_t i = column.at(name);
      if (i >= cells.size()) {
        out.errors.push_back({at_line(line) + ": " + name,
                              "missing (the line has " + std::to_string(cells.size()) + " cells)"});
        continue;
      }
      *field = undefused(cells[i]);
    }
    if (auto it = column.find("state"); it != column.end() && it->second < cells.size())
      row.state = cells[it->second]; // informative only: the import decides states itself
    row.key = std::string(nps::trim(row.key));
    out.rows.push_back(std::move(row));
  }
  return out;
}

// ---- XLIFF written ------------------------------------------------------------------------

namespace {

std::string xml_escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    case '\r': out += "&#13;"; break;
    default: out += c;
    }
  }
  return out;
}

} // namespace

std::string texts_xliff(const std::vector<TextFileRow>& rows, const std::string& file_id,
                        const std::string& source_locale, const std::string& target_locale) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"" +
                    xml_escaped(source_locale) + "\" trgLang=\"" + xml_escaped(target_locale) +
                    "\">\n <file id=\"" + xml_escaped(xliff_unit_id(file_id)) + "\">\n";
  for (const auto& r : rows) {
    out += "  <unit id=\"" + xml_escaped(xliff_unit_id(r.key)) + "\">\n   <segment state=\"" +
           (r.target.empty() ? "initial" : "translated") + "\">\n    <source>" + xml_escaped(r.source) +
           "</source>\n    <target>" + xml_escaped(r.target) + "</target>\n   </segment>\n  </unit>\n";
  }
  return out + " </file>\n</xliff>\n";
}

// ---- XLIFF read ---------------------------------------------------------------------------

namespace {

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<Element> children;
  std::string text; // character data directly inside
  std::size_t line = 0;
};

// A strict reader of the little XML the hand-off uses; stops at the first error.
class XmlReader {
public:
  explicit XmlReader(std::string_view t) : t_(t) {}

  std::optional<Element> document(TextFileError& error) {
    if (t_.substr(0, kBom.size()) == kBom) pos_ = kBom.size();
    if (rest().substr(0, 5) == "<?xml") {
      const auto end = t_.find("?>", pos_);
      if (end == std::string_view::npos) return fail(error, "the XML declaration is never closed");
      advance_to(end + 2);
    }
    skip_misc();
    if (failed_) return finish(error);
    Element root;
    if (!element(root)) return finish(error);
    skip_misc();
    if (!failed_ && pos_ < t_.size()) fail_here("text after the document's end");
    if (failed_) return finish(error);
    return root;
  }

private:
  std::string_view rest() const { return t_.substr(pos_); }
  void advance_to(std::size_t p) {
    line_ += static_cast<std::size_t>(std::count(t_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                                 t_.begin() + static_cast<std::ptrdiff_t>(p), '\n'));
    pos_ = p;
  }
  bool fail_here(std::string message) {
    if (!failed_) {
      failed_ = true;
      error_ = {at_line(line_), std::move(message)};
    }
    return false;
  }
  std::optional<Element> fail(TextFileError& error, std::string message) {
    fail_here(std::move(message));
    return finish(error);
  }
  std::optional<Element> finish(TextFileError& error) {
    error = error_;
    return std::nullopt;
  }

  // White space, comments; a DOCTYPE or processing instruction is refused.
  void skip_misc() {
    for (;;) {
      while (pos_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[pos_])))
        advance_to(pos_ + 1);
      if (rest().substr(0, 4) == "<!--") {
        if (!comment()) return;
        continue;
      }
      if (rest().substr(0, 2) == "<!") {
        fail_here("a DOCTYPE or other declaration is not accepted in a translation file");
        return;
      }
      if (rest().substr(0, 2) == "<?") {
        fail_here("a processing instruction is not accepted here");
        return;
      }
      return;
    }
  }
  bool comment() {
    const auto end = t_.find("-->", pos_ + 4);
    if (end == std::string_view::npos) return fail_here("a comment is never closed");
    advance_to(end + 3);
    return true;
  }

  static bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':' ||
           static_cast<unsigned char>(c) >= 0x80;
  }
  std::string name() {
    const std::size_t start = pos_;
    while (pos_ < t_.size() && name_char(t_[pos_]))
      ++pos_;
    return std::string(t_.substr(start, pos_ - start));
  }

  // Text with its references resolved: the five predefined entities and &#…; only.
  bool decoded(std::string_view raw, std::string& out) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '<') return fail_here("a '<' inside an attribute value");
      if (raw[i] != '&') {
        out += raw[i];
        continue;
      }
      const auto semi = raw.find(';', i);
      if (semi == std::string_view::npos) return fail_here("an '&' that starts no reference (write &amp;)");
      const std::string_view ref = raw.substr(i + 1, semi - i - 1);
      static const std::array<std::pair<std::string_view, char>, 5> named = {
          {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}}};
      bool done = false;
      for (auto [n, c] : named)
        if (ref == n) {
          out += c;
          done = true;
        }
      if (!done && ref.size() > 1 && ref[0] == '#') {
        const bool hex = ref[1] == 'x';
        const std::string digits(ref.substr(hex ? 2 : 1));
        std::uint32_t cp = 0;
        bool ok = !digits.empty() && digits.size() <= 6;
        for (char d : digits) {
          const int v = std::isdigit(static_cast<unsigned char>(d)) ? d - '0'
                        : hex && std::isxdigit(static_cast<unsigned char>(d))
                            ? std::tolower(static_cast<unsigned char>(d)) - 'a' + 10
                            : -1;
          if (v < 0) ok = false;
          cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v < 0 ? 0 : v);
        }
        if (!ok || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
          return fail_here("a character reference that names no character: &" + std::string(ref) + ";");
        if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          out += static_cast<char>(0xF0 | (cp >> 18));
          out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        done = true;
      }
      if (!done)
        return fail_here("the entity &" + std::string(ref) +
                         "; is not accepted (only &lt; &gt; &amp; &quot; &apos; and character references)");
      i = semi;
    }
    return true;
  }

  bool element(Element& e) {
    if (rest().empty() || t_[pos_] != '<') return fail_here("an element was expected");
    e.line = line_;
    ++pos_;
    e.name = name();
    if (e.name.empty()) return fail_here("an element without a name");
    for (;;) { // attributes
      while (pos_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[pos_])))
        advance_to(pos_ + 1);
      if (rest().substr(0, 2) == "/>") {
        pos_ += 2;
        return true;
      }
      if (rest().substr(0, 1) == ">") {
        ++pos_;
        break;
      }
      const std::string attr = name();
      if (attr.empty() || rest().substr(0, 1) != "=")
        return fail_here("a malformed attribute in <" + e.name + ">");
      ++pos_;
      if (rest().empty() || (t_[pos_] != '"' && t_[pos_] != '\''))
        return fail_here("an attribute value without quotes");
      const char q = t_[pos_];
      const auto end = t_.find(q, pos_ + 1);
      if (end == std::string_view::npos) return fail_here("an attribute value is never closed");
      std::string value;
      if (!decoded(t_.substr(pos_ + 1, end - pos_ - 1), value)) return false;
      advance_to(end + 1);
      if (!e.attributes.emplace(attr, value).second)
        return fail_here("the attribute " + attr + " twice in <" + e.name + ">");
    }
    for (;;) { // content
      const auto lt = t_.find('<', pos_);
      if (lt == std::string_view::npos) return fail_here("<" + e.name + "> is never closed");
      const std::string_view raw = t_.substr(pos_, lt - pos_);
      if (raw.find("]]>") != std::string_view::npos) return fail_here("']]>' in text");
      std::string text;
      for (std::size_t i = 0; i < raw.size(); ++i) // line counting as decoded() goes
        if (raw[i] == '\n') ++line_;
      if (!decoded(raw, text)) return false;
      e.text += text;
      pos_ = lt;
      if (rest().substr(0, 2) == "</") {
        pos_ += 2;
        const std::string closing = name();
        if (closing != e.name) return fail_here("</" + closing + "> closes <" + e.name + ">");
        while (pos_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[pos_])))
          advance_to(pos_ + 1);
        if (rest().substr(0, 1) != ">") return fail_here("a malformed closing tag </" + closing);
        ++pos_;
        return true;
      }
      if (rest().substr(0, 4) == "<!--") {
        if (!comment()) return false;
        continue;
      }
      if (rest().substr(0, 9) == "<![CDATA[") {
        const auto end = t_.find("]]>", pos_ + 9);
        if (end == std::string_view::npos) return fail_here("a CDATA section is never closed");
        e.text += std::string(t_.substr(pos_ + 9, end - pos_ - 9));
        advance_to(end + 3);
        continue;
      }
      if (rest().substr(0, 2) == "<!" || rest().substr(0, 2) == "<?")
        return fail_here("a declaration or processing instruction inside <" + e.name + ">");
      Element child;
      if (!element(child)) return false;
      e.children.push_back(std::move(child));
    }
  }

  std::string_view t_;
  std::size_t pos_ = 0, line_ = 1;
  bool failed_ = false;
  TextFileError error_;
};

std::string local_name(const std::string& n) {
  const auto colon = n.find(':');
  return colon == std::string::npos ? n : n.substr(colon + 1);
}

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

} // namespace

TextFileRead read_texts_xliff(std::string_view text, const std::string& source_locale,
                              const std::string& target_locale) {
  TextFileRead out;
  if (auto bad = nps::invalid_utf8_at(text)) {
    out.errors.push_back({"byte " + std::to_string(*bad), "the file is not UTF-8"});
    return out;
  }
  TextFileError error;
  auto root = XmlReader(text).document(error);
  if (!root) {
    out.errors.push_back(error);
    return out;
  }
  auto err = [&](const Element& e, std::string message) {
    out.errors.push_back({at_line(e.line), std::move(message)});
  };
  auto only = [&](const Element& e, std::initializer_list<std::string_view> allowed) {
    if (!blank(e.text)) err(e, "text directly inside <" + e.name + ">");
    for (const auto& c : e.children)
      if (std::find(allowed.begin(), allowed.end(), local_name(c.name)) == allowed.end())
        err(c, "<" + c.name + "> is not expected inside <" + e.name + ">");
  };
  if (local_name(root->name) != "xliff") {
    err(*root, "the document is <" + root->name + ">, not <xliff>");
    return out;
  }
  const auto attr = [](const Element& e, const char* name) {
    auto it = e.attributes.find(name);
    return it == e.attributes.end() ? std::string() : it->second;
  };
  if (attr(*root, "version") != "2.0") err(*root, "version must be 2.0 (XLIFF 2.0)");
  if (attr(*root, "srcLang") != source_locale)
    err(*root, "srcLang is \"" + attr(*root, "srcLang") + "\"; this export's source is " + source_locale);
  if (attr(*root, "trgLang") != target_locale)
    err(*root, "trgLang is \"" + attr(*root, "trgLang") + "\"; the language asked for is " + target_locale);
  only(*root, {"file"});
  for (const auto& file : root->children) {
    if (local_name(file.name) != "file") continue;
    only(file, {"unit", "notes"});
    for (const auto& unit : file.children) {
      if (local_name(unit.name) != "unit") continue;
      only(unit, {"segment", "notes"});
      TextFileRow row;
      row.line = unit.line;
      row.key = key_of_unit_id(attr(unit, "id"));
      if (row.key.empty()) err(unit, "a <unit> without an id");
      std::size_t segments = 0;
      for (const auto& seg : unit.children) {
        if (local_name(seg.name) != "segment") continue;
        if (++segments > 1) err(seg, "more than one <segment> in a unit");
        only(seg, {"source", "target"});
        std::size_t sources = 0, targets = 0;
        for (const auto& part : seg.children) {
          if (!part.children.empty())
            err(part.children.front(), "inline markup is not accepted inside <" + part.name + ">");
          if (local_name(part.name) == "source") {
            ++sources;
            row.source = part.text;
          } else if (local_name(part.name) == "target") {
            ++targets;
            row.target = part.text;
          }
        }
        if (sources != 1) err(seg, "a <segment> needs one <source>");
        if (targets > 1) err(seg, "more than one <target> in a segment");
      }
      if (segments == 0) err(unit, "a <unit> without a <segment>");
      out.rows.push_back(std::move(row));
    }
  }
  return out;
}

} // namespace npsd
