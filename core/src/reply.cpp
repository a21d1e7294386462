// Reading a score out of an SMS or chat reply (nps/reply.hpp). The text is decoded,
// normalised code point by code point (digits of every form to ASCII, case and accents
// folded, Arabic letter variants folded), cut into tokens that remember where they were in
// the original bytes, and read from the front.
#include "nps/reply.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nps {

namespace {

struct Cp {
  char32_t c;
  std::size_t begin, end; // bytes in the original text
};

// Strict UTF-8 (no overlongs, no surrogates); false on any malformed byte.
bool decode(std::string_view s, std::vector<Cp>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int len = b0 < 0x80 ? 1 : (b0 >> 5) == 6 ? 2 : (b0 >> 4) == 14 ? 3 : (b0 >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) return false;
    char32_t c = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    for (int k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((b >> 6) != 2) return false;
      c = (c << 6) | (b & 0x3F);
    }
    static constexpr char32_t min_of[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min_of[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    out.push_back(Cp{c, i, i + static_cast<std::size_t>(len)});
    i += static_cast<std::size_t>(len);
  }
  return true;
}

void encode(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Latin-1 letters à..ÿ folded to their base letter ('\0': keep as is).
constexpr std::string_view latin1_fold{"aaaaaaaceeeeiiii\0nooooo\0ouuuuy\0y", 32};

// One code point as the reader sees it: 0 drops it (joined to the one before).
char32_t normalise(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xFF01 && c <= 0xFF5E) return normalise(c - 0xFEE0); // full-width forms
  if (c >= 0x0660 && c <= 0x0669) return U'0' + (c - 0x0660);   // Arabic-Indic digits
  if (c >= 0x06F0 && c <= 0x06F9) return U'0' + (c - 0x06F0);   // Extended (Persian, Urdu)
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) c += 32;             // Latin-1 upper case
  if (c >= 0xE0 && c <= 0xFF && c != 0xF7) {
    const char f = latin1_fold[c - 0xE0];
    return f ? static_cast<char32_t>(f) : c;
  }
  if (c >= 0x0410 && c <= 0x042F) return c + 32;                          // Cyrillic upper case
  if (c == 0x0401 || c == 0x0451) return 0x0435;                          // Ё ё → е
  if (c == 0x0623 || c == 0x0625 || c == 0x0622) return 0x0627;           // alef with hamza/madda → alef
  if (c == 0x0629) return 0x0647;                                         // ta marbuta → ha
  if (c == 0x0649) return 0x064A;                                         // alef maqsura → ya
  if ((c >= 0x064B && c <= 0x0652) || c == 0x0640) return 0;              // tashkeel, tatweel
  if (c == 0xFE0F || c == 0xFE0E || c == 0x20E3 || c == 0x200D) return 0; // emoji selectors
  if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212) return '-';
  if (c == 0x3000 || c == 0xA0 || c == 0x202F || c == '\t' || c == '\n' || c == '\r') return ' ';
  return c;
}

bool is_cjk_numeral(char32_t c) {
  return c == U'零' || c == U'〇' || c == U'一' || c == U'二' || c == U'三' || c == U'四' || c == U'五' ||
         c == U'六' || c == U'七' || c == U'八' || c == U'九' || c == U'十' || c == U'两' || c == U'兩';
}
int cjk_value(char32_t c) {
  switch (c) {
  case U'零':
  case U'〇': return 0;
  case U'一': return 1;
  case U'二':
  case U'两':
  case U'兩': return 2;
  case U'三': return 3;
  case U'四': return 4;
  case U'五': return 5;
  case U'六': return 6;
  case U'七': return 7;
  case U'八': return 8;
  case U'九': return 9;
  default: return 10; // 十
  }
}
bool is_kana(char32_t c) { return c >= 0x3040 && c <= 0x30FF; }
bool is_han(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || c == U'〇'; }
bool is_letter(char32_t c) {
  return (c >= 'a' && c <= 'z') || c == 0xDF || (c >= 0xE0 && c <= 0x24F && c != 0xF7) ||
         (c >= 0x0370 && c <= 0x052F) ||                               // Greek, Cyrillic
         (c >= 0x05D0 && c <= 0x05EA) ||                               // Hebrew letters
         (c >= 0x0620 && c <= 0x064A) || c == 0x0671 ||                // Arabic letters
         (c >= 0x0900 && c <= 0x0DFF) || (c >= 0x0E00 && c <= 0x0E7F); // Indic, Thai
}

enum class Tok { num, word, cjk_num, cjk, punct, symbol };
struct Token {
  Tok type;
  std::string text;  // normalised (words), the digits (num)
  int value = -1;    // num: up to 999 (1000 = longer); cjk_num: see read_cjk
  std::size_t begin; // original bytes
  std::size_t end;
  bool space_before;
  char32_t c = 0; // punct, symbol, cjk: the code point
};

std::vector<Token> tokenize(const std::vector<Cp>& cps) {
  std::vector<Token> out;
  bool space = false;
  for (std::size_t i = 0; i < cps.size();) {
    const char32_t c = cps[i].c;
    if (c == ' ') {
      space = true;
      ++i;
      continue;
    }
    auto run = [&](auto pred, Tok type) {
      Token t{type, "", -1, cps[i].begin, cps[i].end, space};
      while (i < cps.size() && pred(cps[i].c)) {
        encode(cps[i].c, t.text);
        t.end = cps[i].end;
        ++i;
      }
      out.push_back(std::move(t));
    };
    if (c >= '0' && c <= '9') {
      run([](char32_t x) { return x >= '0' && x <= '9'; }, Tok::num);
      auto& t = out.back();
      t.value = 0;
      for (char d : t.text)
        t.value = t.text.size() > 3 ? 1000 : t.value * 10 + (d - '0');
    } else if (is_letter(c)) {
      run(is_letter, Tok::word);
    } else if (is_cjk_numeral(c)) {
      run(is_cjk_numeral, Tok::cjk_num);
    } else {
      Tok type = (is_han(c) || is_kana(c))                                  ? Tok::cjk
                 : c >= 0x2190 && c != 0x3001 && c != 0x3002 && c != 0xFF5E ? Tok::symbol
                                                                            : Tok::punct;
      out.push_back(Token{type, "", -1, cps[i].begin, cps[i].end, space, c});
      ++i;
    }
    space = false;
  }
  return out;
}

struct Word {
  std::string_view text;
  int value;
  std::string_view language; // "" when several languages share the word
};

// Number words 0–10, normalised as normalise() leaves them (lower case, no accents, Arabic
// alef/ta marbuta folded). Shared spellings ("six", "zero", "cinco") name no language.
constexpr Word number_words[] = {
    {"zero", 0, ""},    {"one", 1, "en"},    {"two", 2, "en"},    {"three", 3, "en"},   {"four", 4, "en"},
    {"five", 5, "en"},  {"six", 6, ""},      {"seven", 7, "en"},  {"eight", 8, "en"},   {"nine", 9, "en"},
    {"ten", 10, "en"},  {"cero", 0, "es"},   {"uno", 1, "es"},    {"una", 1, "es"},     {"dos", 2, "es"},
    {"tres", 3, ""},    {"cuatro", 4, "es"}, {"cinco", 5, ""},    {"seis", 6, ""},      {"siete", 7, "es"},
    {"ocho", 8, "es"},  {"nueve", 9, "es"},  {"diez", 10, "es"},  {"um", 1, "pt"},      {"uma", 1, "pt"},
    {"dois", 2, "pt"},  {"duas", 2, "pt"},   {"quatro", 4, "pt"}, {"sete", 7, "pt"},    {"oito", 8, "pt"},
    {"nove", 9, "pt"},  {"dez", 10, "pt"},   {"un", 1, "fr"},     {"une", 1, "fr"},     {"deux", 2, "fr"},
    {"trois", 3, "fr"}, {"quatre", 4, "fr"}, {"cinq", 5, "fr"},   {"sept", 7, "fr"},    {"huit", 8, "fr"},
    {"neuf", 9, "fr"},  {"dix", 10, "fr"},   {"null", 0, "de"},   {"eins", 1, "de"},    {"zwei", 2, "de"},
    {"zwo", 2, "de"},   {"drei", 3, "de"},   {"vier", 4, "de"},   {"funf", 5, "de"},    {"fuenf", 5, "de"},
    {"sechs", 6, "de"}, {"sieben", 7, "de"}, {"acht", 8, "de"},   {"neun", 9, "de"},    {"zehn", 10, "de"},
    {"ноль", 0, "ru"},  {"нуль", 0, "ru"},   {"один", 1, "ru"},   {"одна", 1, "ru"},    {"два", 2, "ru"},
    {"две", 2, "ru"},   {"три", 3, "ru"},    {"четыре", 4, "ru"}, {"пять", 5, "ru"},    {"шесть", 6, "ru"},
    {"семь", 7, "ru"},  {"восемь", 8, "ru"}, {"девять", 9, "ru"}, {"десять", 10, "ru"}, {"صفر", 0, "ar"},
    {"واحد", 1, "ar"},  {"واحده", 1, "ar"},  {"اثنان", 2, "ar"},  {"اثنين", 2, "ar"},   {"ثلاثه", 3, "ar"},
    {"ثلاث", 3, "ar"},  {"اربعه", 4, "ar"},  {"اربع", 4, "ar"},   {"خمسه", 5, "ar"},    {"خمس", 5, "ar"},
    {"سته", 6, "ar"},   {"ست", 6, "ar"},     {"سبعه", 7, "ar"},   {"سبع", 7, "ar"},     {"ثمانيه", 8, "ar"},
    {"ثماني", 8, "ar"}, {"ثمان", 8, "ar"},   {"تسعه", 9, "ar"},   {"تسع", 9, "ar"},     {"عشره", 10, "ar"},
    {"عشر", 10, "ar"},  {"אפס", 0, "he"},    {"אחת", 1, "he"},    {"אחד", 1, "he"},     {"שתיים", 2, "he"},
    {"שתים", 2, "he"},  {"שניים", 2, "he"},  {"שנים", 2, "he"},   {"שלוש", 3, "he"},    {"שלושה", 3, "he"},
    {"ארבע", 4, "he"},  {"ארבעה", 4, "he"},  {"חמש", 5, "he"},    {"חמישה", 5, "he"},   {"שש", 6, "he"},
    {"שישה", 6, "he"},  {"שבע", 7, "he"},    {"שבעה", 7, "he"},   {"שמונה", 8, "he"},   {"תשע", 9, "he"},
    {"תשעה", 9, "he"},  {"עשר", 10, "he"},   {"עשרה", 10, "he"},
};

// Opt-out words (the whole reply, normalised, trailing punctuation dropped). Twilio's
// standard keywords, then each built-in language's.
constexpr std::pair<std::string_view, std::string_view> stop_words[] = {
    {"stop", ""},          {"stopall", "en"},        {"unsubscribe", "en"},  {"cancel", "en"},
    {"end", "en"},         {"quit", "en"},           {"revoke", "en"},       {"optout", "en"},
    {"opt out", "en"},     {"opt-out", "en"},        {"baja", "es"},         {"darme de baja", "es"},
    {"dar de baja", "es"}, {"cancelar", ""},         {"alto", "es"},         {"parar", ""},
    {"pare", "pt"},        {"sair", "pt"},           {"descadastrar", "pt"}, {"stopp", "de"},
    {"abmelden", "de"},    {"abbestellen", "de"},    {"arret", "fr"},        {"desabonner", "fr"},
    {"desinscrire", "fr"}, {"desabonnement", "fr"},  {"стоп", "ru"},         {"отписаться", "ru"},
    {"отписка", "ru"},     {"отменить", "ru"},       {"退订", "zh"},         {"退訂", "zh"},
    {"取消订阅", "zh"},    {"取消訂閱", "zh"},       {"td", "zh"},           {"停止", ""},
    {"配信停止", "ja"},    {"解除", "ja"},           {"ストップ", "ja"},     {"ايقاف", "ar"},
    {"توقف", "ar"},        {"الغاء الاشتراك", "ar"}, {"الغاء", "ar"},        {"הסר", "he"},
    {"הסרה", "he"},        {"עצור", "he"},           {"הפסק", "he"},
};

// Words between two scores that make them alternatives or a range ("7 or 8", "7 to 8").
constexpr std::string_view connectors[] = {"or",  "to",  "and", "o", "y",  "a",  "ou", "e",   "oder", "bis",
                                           "und", "или", "до",  "и", "או", "עד", "او", "الى", "و"};
constexpr std::string_view range_connectors[] = {"to", "a", "bis", "до", "עד", "الى"};
// "out of" words between a score and 10 ("9 out of 10", "9 de 10", "9 из 10").
constexpr std::string_view out_of_words[] = {"of", "de", "sobre", "em", "sur", "von", "из", "מתוך", "من"};

template <class Range> bool contains(const Range& r, std::string_view w) {
  for (const auto& x : r)
    if (x == w) return true;
  return false;
}

const Word* number_word(const Token& t) {
  if (t.type != Tok::word) return nullptr;
  for (const auto& w : number_words)
    if (w.text == t.text) return &w;
  return nullptr;
}

// A run of CJK numerals: its value 0–10, or -1 for two digits side by side ("七八", which
// means "seven or eight"), or 11 for anything larger ("十一", "九十").
int read_cjk(const std::string& run) {
  std::vector<Cp> cps;
  decode(run, cps);
  if (cps.size() == 1) return cjk_value(cps[0].c);
  if (cps.size() == 2 && cjk_value(cps[0].c) == 1 && cjk_value(cps[1].c) == 10) return 10; // 一十
  for (const auto& cp : cps)
    if (cjk_value(cp.c) == 10) return 11;
  return cps.size() == 2 ? -1 : 11;
}

bool is_separator(const Token& t) {
  return t.type == Tok::punct && t.c != '/' && t.c != '(' && t.c != '"' && t.c != '\'';
}

// The language the script of the text shows, when no word told it.
std::string script_language(const std::vector<Cp>& cps) {
  bool han = false;
  for (const auto& cp : cps) {
    if (is_kana(cp.c)) return "ja";
    if (is_han(cp.c)) han = true;
  }
  if (han) return "zh";
  for (const auto& cp : cps) {
    if (cp.c >= 0x0400 && cp.c <= 0x04FF) return "ru";
    if (cp.c >= 0x05D0 && cp.c <= 0x05EA) return "he";
    if (cp.c >= 0x0620 && cp.c <= 0x064A) return "ar";
  }
  return "";
}

Reply verdict(ReplyKind kind, std::string reason) {
  Reply r;
  r.kind = kind;
  r.reason = std::move(reason);
  return r;
}

// The score at tokens[i] (value, language of the word, tokens used), if one starts there.
struct Lead {
  int value = -1; // -1: none; -2: two digits side by side (CJK); 11+: out of range
  std::string_view language;
  std::size_t next = 0;
};

Lead lead_at(const std::vector<Token>& t, std::size_t i) {
  Lead l;
  if (i >= t.size()) return l;
  const Token& k = t[i];
  const auto glued = [&](std::size_t j) { return j < t.size() && !t[j].space_before; };
  if (k.type == Tok::num) {
    if (glued(i + 1) && (t[i + 1].type == Tok::word || t[i + 1].type == Tok::cjk_num)) return l; // "2nd"
    l.value = k.value;
    l.next = i + 1;
  } else if (const Word* w = number_word(k)) {
    l.value = w->value;
    l.language = w->language;
    l.next = i + 1;
  } else if (k.type == Tok::cjk_num) {
    const auto suffix = [](char32_t c) {
      return c == U'分' || c == U'点' || c == U'點' || c == U'或' || c == U'到' || c == U'至';
    };
    if (glued(i + 1) && t[i + 1].type == Tok::cjk && !suffix(t[i + 1].c))
      return l; // "一般" (so-so) is a word, not a score
    const int v = read_cjk(k.text);
    l.value = v == -1 ? -2 : v;
    l.next = i + 1;
  }
  return l;
}

bool is_ten(const std::vector<Token>& t, std::size_t i) {
  if (i >= t.size()) return false;
  if (t[i].type == Tok::num) return t[i].value == 10 && t[i].text.size() == 2;
  if (const Word* w = number_word(t[i])) return w->value == 10;
  return t[i].type == Tok::cjk_num && read_cjk(t[i].text) == 10;
}

} // namespace

std::string_view to_string(ReplyKind k) noexcept {
  switch (k) {
  case ReplyKind::score: return "score";
  case ReplyKind::ambiguous: return "ambiguous";
  case ReplyKind::invalid: return "invalid";
  case ReplyKind::unsubscribe: return "unsubscribe";
  }
  return "invalid";
}

namespace {

Reply read(std::string_view text, const std::vector<Cp>& raw, std::vector<Cp>& cps) {
  for (const auto& cp : raw) {
    if (cp.c == 0x1F51F) { // 🔟
      cps.push_back(Cp{'1', cp.begin, cp.end});
      cps.push_back(Cp{'0', cp.begin, cp.end});
      continue;
    }
    const char32_t n = normalise(cp.c);
    if (n == 0) {
      if (!cps.empty()) cps.back().end = cp.end;
      continue;
    }
    cps.push_back(Cp{n, cp.begin, cp.end});
  }
  const auto tokens = tokenize(cps);
  if (tokens.empty()) return verdict(ReplyKind::invalid, "empty");

  // Opt-out: the whole reply one of the words (trailing punctuation aside).
  {
    std::size_t last = tokens.size();
    while (last > 0 && tokens[last - 1].type == Tok::punct)
      --last;
    std::string whole;
    for (std::size_t i = 0; i < last; ++i) {
      if (i > 0 && tokens[i].space_before) whole += ' ';
      whole += tokens[i].type == Tok::punct || tokens[i].type == Tok::symbol || tokens[i].type == Tok::cjk
                   ? [&] {
                       std::string s;
                       encode(tokens[i].c, s);
                       return s;
                     }()
                   : tokens[i].text;
    }
    for (const auto& [word, language] : stop_words)
      if (whole == word) {
        Reply r = verdict(ReplyKind::unsubscribe, "");
        r.language = std::string(language);
        return r;
      }
  }

  // The score comes first; opening quotes, brackets and the like before it are skipped.
  std::size_t i = 0;
  while (i < tokens.size() && tokens[i].type == Tok::punct && tokens[i].c != '-')
    ++i;
  if (i + 1 < tokens.size() && tokens[i].c == '-' && tokens[i].type == Tok::punct &&
      tokens[i + 1].type == Tok::num && !tokens[i + 1].space_before)
    return verdict(ReplyKind::invalid, "out_of_range"); // "-1"
  while (i < tokens.size() && tokens[i].type == Tok::punct)
    ++i;
  const auto no_score = [&] {
    for (const auto& t : tokens)
      if (t.type == Tok::num) return verdict(ReplyKind::ambiguous, "not_first");
    return verdict(ReplyKind::invalid, "no_score");
  };
  Lead lead = lead_at(tokens, i);
  if (lead.value == -1) return no_score();
  if (lead.value == -2) return verdict(ReplyKind::ambiguous, "two_numbers");
  std::size_t j = lead.next;
  const auto at = [&](std::size_t k, char32_t c) {
    return k < tokens.size() && tokens[k].type == Tok::punct && tokens[k].c == c;
  };
  // "8.5", "8,5": not a whole score.
  if (tokens[i].type == Tok::num && (at(j, '.') || at(j, ',')) && j + 1 < tokens.size() &&
      tokens[j + 1].type == Tok::num && !tokens[j].space_before && !tokens[j + 1].space_before)
    return verdict(ReplyKind::ambiguous, "not_whole");
  if (lead.value > 10) return verdict(ReplyKind::invalid, "out_of_range");
  // "/10", "out of 10", "de 10", "分": part of the score. "7/8": two scores.
  if (at(j, '/')) {
    if (is_ten(tokens, j + 1))
      j += 2;
    else if (lead_at(tokens, j + 1).value != -1)
      return verdict(ReplyKind::ambiguous, "two_numbers");
  } else if (j + 2 < tokens.size() && tokens[j].text == "out" && tokens[j + 1].text == "of" &&
             is_ten(tokens, j + 2)) {
    j += 3;
  } else if (j + 1 < tokens.size() && contains(out_of_words, tokens[j].text) && tokens[j].type == Tok::word &&
             is_ten(tokens, j + 1)) {
    j += 2;
  } else if (j < tokens.size() && tokens[j].type == Tok::cjk && !tokens[j].space_before &&
             (tokens[j].c == U'分' || tokens[j].c == U'点' || tokens[j].c == U'點')) {
    ++j;
  }
  // A second score after separators or a connector word: "7 or 8", "5-6", "7, 8", "7 8".
  {
    std::size_t k = j;
    bool range = false, connector = false;
    while (k < tokens.size() &&
           (is_separator(tokens[k]) || tokens[k].c == '/' || tokens[k].c == U'~' || tokens[k].c == U'～' ||
            tokens[k].c == U'或' || tokens[k].c == U'到' || tokens[k].c == U'至')) {
      if (tokens[k].c == '-' || tokens[k].c == '~' || tokens[k].c == U'～' || tokens[k].c == U'到' ||
          tokens[k].c == U'至')
        range = true;
      if (tokens[k].c == U'或' || tokens[k].c == U'到' || tokens[k].c == U'至') connector = true;
      ++k;
    }
    if (k < tokens.size() && tokens[k].type == Tok::word && contains(connectors, tokens[k].text)) {
      range = range || contains(range_connectors, tokens[k].text);
      connector = true;
      ++k;
    }
    if (k < tokens.size()) {
      const Token& n = tokens[k];
      const bool second =
          n.type == Tok::num || n.type == Tok::cjk_num || (connector && number_word(n) != nullptr);
      if (second && lead_at(tokens, k).value != -1)
        return verdict(ReplyKind::ambiguous, range ? "range" : "two_numbers");
    }
  }
  // A number word is a score only on its own or before a separator: "nine!", "nine - good",
  // not "one of the best".
  if (tokens[i].type == Tok::word && j < tokens.size() && !is_separator(tokens[j]) &&
      tokens[j].type != Tok::symbol)
    return no_score();
  Reply r;
  r.kind = ReplyKind::score;
  r.score = *Score::from_int(lead.value);
  while (j < tokens.size() && is_separator(tokens[j]))
    ++j;
  bool words = false; // a closing quote or bracket alone is no comment
  for (std::size_t k = j; k < tokens.size(); ++k)
    words = words || tokens[k].type != Tok::punct;
  if (words) {
    std::string_view rest = text.substr(tokens[j].begin);
    while (!rest.empty() &&
           (rest.back() == ' ' || rest.back() == '\n' || rest.back() == '\r' || rest.back() == '\t'))
      rest.remove_suffix(1);
    r.comment = std::string(rest);
  }
  r.language = std::string(lead.language);
  return r;
}

} // namespace

Reply read_reply(std::string_view text) {
  std::vector<Cp> raw;
  if (!decode(text, raw)) return verdict(ReplyKind::invalid, "encoding");
  std::vector<Cp> cps;
  Reply r = read(text, raw, cps);
  if (r.language.empty()) r.language = script_language(cps);
  return r;
}

} // namespace nps
