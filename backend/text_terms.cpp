#include "text_terms.hpp"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/ubrk.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace npsd {

namespace detail {
// backend/stopwords/<lang>.txt, compiled in by backend/CMakeLists.txt (stopwords_data.cpp).
extern const std::pair<std::string_view, std::string_view> stopword_files[];
extern const std::size_t stopword_file_count;
} // namespace detail

namespace {

struct Language {
  std::string_view code;
  const char* stemmer;                      // Snowball algorithm, or nullptr
  std::vector<std::string_view> negators;   // before their word: "not fast"
  std::vector<std::string_view> post_neg;   // after their word: 速く ない (Japanese)
  std::vector<std::string_view> neg_prefix; // glued in front: 不快 (Chinese)
};

const std::vector<Language>& languages() {
  static const std::vector<Language> all = {
      {"en",
       "english",
       {"not",    "no",       "never", "don't",    "dont",   "doesn't", "doesnt", "didn't",
        "didnt",  "isn't",    "isnt",  "wasn't",   "aren't", "weren't", "can't",  "cant",
        "cannot", "couldn't", "won't", "wouldn't", "hardly", "without"},
       {},
       {}},
      {"es", "spanish", {"no", "nunca", "ni", "sin", "jamás", "tampoco"}, {}, {}},
      {"pt", "portuguese", {"não", "nao", "nunca", "nem", "sem", "jamais"}, {}, {}},
      {"fr", "french", {"pas", "ne", "jamais", "sans", "aucun", "aucune", "ni"}, {}, {}},
      {"de",
       "german",
       {"nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "ohne"},
       {},
       {}},
      {"ru", "russian", {"не", "нет", "ни", "никогда", "без"}, {}, {}},
      {"ar", "arabic", {"لا", "لم", "لن", "ليس", "ليست", "غير", "بدون"}, {}, {}},
      {"he", nullptr, {"לא", "אין", "בלי", "ללא"}, {}, {}},
      {"zh",
       nullptr,
       {"不", "没", "没有", "沒", "沒有", "未", "别", "別", "无", "無", "非"},
       {},
       {"不", "没", "沒", "未", "无", "無"}},
      {"ja", nullptr, {}, {"ない", "なかった", "ません", "ず", "なく", "なし", "無い"}, {}},
  };
  return all;
}

const Language* language_named(std::string_view code) {
  for (const auto& l : languages())
    if (l.code == code) return &l;
  return nullptr;
}

bool contains(const std::vector<std::string_view>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

const std::unordered_map<std::string, std::unordered_set<std::string>>& stopwords() {
  static const auto table = [] {
    std::unordered_map<std::string, std::unordered_set<std::string>> t;
    for (std::size_t i = 0; i < detail::stopword_file_count; ++i) {
      const auto [lang, text] = detail::stopword_files[i];
      auto& set = t[std::string(lang)];
      std::size_t pos = 0;
      while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t'))
          line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;
        set.emplace(line);
      }
    }
    return t;
  }();
  return table;
}

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

// Per thread: ICU iterators and Snowball stemmers are not safe to share.
struct Tools {
  std::unique_ptr<icu::BreakIterator> words;
  std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer;
};

Tools& tools_for(const std::string& lang) {
  thread_local std::map<std::string, Tools> cache;
  auto it = cache.find(lang);
  if (it != cache.end()) return it->second;
  Tools t;
  UErrorCode status = U_ZERO_ERROR;
  t.words.reset(
      icu::BreakIterator::createWordInstance(icu::Locale(lang.empty() ? "root" : lang.c_str()), status));
  if (U_FAILURE(status) || !t.words) {
    status = U_ZERO_ERROR;
    t.words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  }
  if (const Language* l = language_named(lang); l && l->stemmer)
    t.stemmer.reset(sb_stemmer_new(l->stemmer, "UTF_8"));
  return cache.emplace(lang, std::move(t)).first->second;
}

std::string fold(const icu::UnicodeString& word) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString folded = U_SUCCESS(status) ? nfkc_cf->normalize(word, status) : word;
  if (U_FAILURE(status)) folded = icu::UnicodeString(word).foldCase();
  folded.findAndReplace(icu::UnicodeString(static_cast<UChar>(0x2019)), icu::UnicodeString("'"));
  std::string out;
  folded.toUTF8String(out);
  return out;
}

std::string stem(Tools& t, const std::string& word) {
  if (!t.stemmer) return word;
  const sb_symbol* s = sb_stemmer_stem(t.stemmer.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                                       static_cast<int>(word.size()));
  if (!s) return word;
  return std::string(reinterpret_cast<const char*>(s),
                     static_cast<std::size_t>(sb_stemmer_length(t.stemmer.get())));
}

// French elisions: l'avion → avion; n'est → est, with a negation pending.
std::string_view strip_elision(std::string_view w, bool& negation) {
  for (std::string_view p :
       {"jusqu'", "lorsqu'", "puisqu'", "qu'", "l'", "d'", "j'", "m'", "n'", "s'", "t'", "c'"}) {
    if (w.size() > p.size() && w.substr(0, p.size()) == p) {
      negation = negation || p == "n'";
      return w.substr(p.size());
    }
  }
  return w;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

bool all_hiragana(const icu::UnicodeString& s) {
  for (int32_t i = 0; i < s.length(); ++i)
    if (s.charAt(i) < 0x3041 || s.charAt(i) > 0x309F) return false;
  return s.length() > 0;
}

struct Word {
  std::string key, form;
  bool spaced = false; // written after a space (or another blank) since the word before
};

// Scripts written without spaces between words: a phrase of theirs is shown joined ("客服",
// "配送遅い"), not "客 服". Script extensions, so that marks shared by Hiragana and Katakana
// (ー) count; what matters is the script at the join, so "app 客服" keeps its space.
bool unspaced(UChar32 c) {
  static constexpr UScriptCode scripts[] = {USCRIPT_HAN, USCRIPT_HIRAGANA, USCRIPT_KATAKANA, USCRIPT_THAI,
                                            USCRIPT_LAO, USCRIPT_KHMER,    USCRIPT_MYANMAR,  USCRIPT_TIBETAN,
                                            USCRIPT_YI,  USCRIPT_BALINESE, USCRIPT_JAVANESE};
  for (UScriptCode s : scripts)
    if (uscript_hasScript(c, s)) return true;
  return false;
}

// What goes between two words of a phrase as shown: nothing when both sides of the join are
// in an unspaced script and the comment had no space there (Thai separates phrases by
// spaces), a space otherwise. The key always joins with ' ' (the core splits it).
std::string_view joiner(const std::string& left, const Word& right_word) {
  const std::string& right = right_word.form;
  if (left.empty() || right.empty() || right_word.spaced) return " ";
  const icu::UnicodeString l = icu::UnicodeString::fromUTF8(left), r = icu::UnicodeString::fromUTF8(right);
  return unspaced(l.char32At(l.length() - 1)) && unspaced(r.char32At(0)) ? "" : " ";
}

class Collector {
public:
  void word(Word w) { clause_.push_back(std::move(w)); }
  Word* last() { return clause_.empty() ? nullptr : &clause_.back(); }
  void end_clause() {
    for (std::size_t i = 0; i < clause_.size(); ++i)
      for (std::size_t n = 1; n <= 3 && i + n <= clause_.size(); ++n) {
        CommentTerm t{clause_[i].key, clause_[i].form, static_cast<int>(n)};
        for (std::size_t k = 1; k < n; ++k) {
          t.key += ' ' + clause_[i + k].key;
          t.form += joiner(clause_[i + k - 1].form, clause_[i + k]);
          t.form += clause_[i + k].form;
        }
        if (seen_.insert(t.key).second) out_.push_back(std::move(t));
      }
    clause_.clear();
  }
  std::vector<CommentTerm> take() {
    end_clause();
    return std::move(out_);
  }

private:
  std::vector<Word> clause_;
  std::set<std::string> seen_;
  std::vector<CommentTerm> out_;
};

} // namespace

std::string term_language(std::string_view locale) {
  std::string lang(locale.substr(0, locale.find_first_of("-_")));
  std::transform(lang.begin(), lang.end(), lang.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lang == "iw") lang = "he";
  return language_named(lang) ? lang : std::string();
}

bool has_stemmer(std::string_view language) {
  const Language* l = language_named(language);
  return l && l->stemmer;
}

std::vector<CommentTerm> comment_terms(std::string_view text, std::string_view locale) {
  const std::string lang = term_language(locale);
  const Language* rules = language_named(lang);
  static const std::unordered_set<std::string> no_stopwords;
  const auto sw = stopwords().find(lang);
  const auto& stop = sw == stopwords().end() ? no_stopwords : sw->second;
  Tools& t = tools_for(lang);
  Collector out;
  if (!t.words) return {};

  const icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  t.words->setText(u);
  std::string negator;   // pending: applies to the next content word
  int skipped = 0;       // stop words since the negator
  int32_t word_end = -1; // where the last content word ended
  bool spaced = false;   // a blank since the last content word
  for (int32_t start = t.words->first(), end = t.words->next(); end != icu::BreakIterator::DONE;
       start = end, end = t.words->next()) {
    const int32_t status = t.words->getRuleStatus();
    icu::UnicodeString piece(u, start, end - start);
    if (status < UBRK_WORD_LETTER || status >= UBRK_WORD_IDEO_LIMIT) {
      // Spaces join, numbers are not themes, anything else (punctuation, emoji) ends a clause.
      bool blank = true;
      for (int32_t i = 0; i < piece.length(); ++i)
        blank = blank && u_isUWhiteSpace(piece.char32At(i));
      spaced = spaced || blank;
      if (!blank && (status < UBRK_WORD_NUMBER || status >= UBRK_WORD_NUMBER_LIMIT)) {
        out.end_clause();
        negator.clear();
      }
      continue;
    }
    std::string folded = fold(piece);
    bool elided_negation = false;
    std::string w(lang == "fr" ? strip_elision(folded, elided_negation) : std::string_view(folded));
    if (elided_negation) negator = "ne";
    if (rules && contains(rules->negators, w)) {
      negator = w;
      skipped = 0;
      continue;
    }
    if (rules && contains(rules->post_neg, w)) {
      if (Word* prev = out.last(); prev && prev->key.find('_') == std::string::npos) {
        prev->key += '_' + w;
        prev->form += w;
      }
      continue;
    }
    // Japanese okurigana: 速 + く is one word (速く), so that 速くない negates it.
    if (lang == "ja" && start == word_end && all_hiragana(piece) && !stop.count(w))
      if (Word* prev = out.last(); prev && prev->key.find('_') == std::string::npos) {
        prev->key += w;
        prev->form += w;
        word_end = end;
        continue;
      }
    if (stop.count(w)) {
      if (!negator.empty() && ++skipped > 3) negator.clear();
      continue;
    }
    std::string prefix_neg;
    if (rules)
      for (std::string_view p : rules->neg_prefix)
        if (w.size() > p.size() && w.compare(0, p.size(), p) == 0) {
          prefix_neg = std::string(p);
          w = w.substr(p.size());
          break;
        }
    if (lang.empty() && utf8_length(w) < 2) continue;
    Word word{stem(t, w), w, spaced};
    spaced = false;
    if (!prefix_neg.empty()) {
      word.key = prefix_neg + '_' + word.key;
      word.form = prefix_neg + word.form;
    } else if (!negator.empty()) {
      word.key = negator + '_' + word.key;
      word.form = negator + ' ' + word.form;
    }
    negator.clear();
    skipped = 0;
    word_end = end;
    out.word(std::move(word));
  }
  return out.take();
}

} // namespace npsd
