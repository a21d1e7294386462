#include "nps/i18n.hpp"

#include <array>
#include <cstddef>

namespace nps::i18n {

namespace {

// ---- the texts (data) ------------------------------------------------------------------

using Texts = std::array<std::string_view, text_count>;

struct Builtin {
  std::string_view tag;
  Texts texts;
};

constexpr Texts keys = {
    "question",
    "question_generic",
    "low_label",
    "high_label",
    "score_label",
    "followup_detractor",
    "followup_passive",
    "followup_promoter",
    "placeholder",
    "submit",
    "next",
    "back",
    "skip",
    "close",
    "dismiss",
    "thanks",
    "thanks_link",
    "progress",
    "required",
    "choose_one",
    "choose_any",
    "dialog_label",
    "score_chosen",
};

// One row per language, texts in the order of enum Text (the comments name them). French
// puts a no-break space (U+00A0) before ? ! and :, as French typography requires.
// clang-format off
constexpr std::array<Builtin, 10> table = {{
{"en", {
  /* question           */ "How likely are you to recommend {product} to a friend or colleague?",
  /* question_generic   */ "How likely are you to recommend us to a friend or colleague?",
  /* low_label          */ "Not at all likely",
  /* high_label         */ "Extremely likely",
  /* score_label        */ "{score} out of 10",
  /* followup_detractor */ "We’re sorry to hear that. What could we do better?",
  /* followup_passive   */ "What would make us a 10 for you?",
  /* followup_promoter  */ "Great! What do you like most?",
  /* placeholder        */ "Tell us more (optional)",
  /* submit             */ "Send",
  /* next               */ "Next",
  /* back               */ "Back",
  /* skip               */ "Skip",
  /* close              */ "Close",
  /* dismiss            */ "Not now",
  /* thanks             */ "Thank you for your feedback!",
  /* thanks_link        */ "Leave a review",
  /* progress           */ "Question {current} of {total}",
  /* required           */ "This question needs an answer",
  /* choose_one         */ "Choose one",
  /* choose_any         */ "Choose all that apply",
  /* dialog_label       */ "Feedback survey",
  /* score_chosen       */ "You chose {score}",
}},
{"es", {
  /* question           */ "¿Qué tan probable es que recomiende {product} a un amigo o colega?",
  /* question_generic   */ "¿Qué tan probable es que nos recomiende a un amigo o colega?",
  /* low_label          */ "Nada probable",
  /* high_label         */ "Extremadamente probable",
  /* score_label        */ "{score} de 10",
  /* followup_detractor */ "Lamentamos saberlo. ¿Qué podríamos mejorar?",
  /* followup_passive   */ "¿Qué haría falta para que nos diera un 10?",
  /* followup_promoter  */ "¡Genial! ¿Qué es lo que más le gusta?",
  /* placeholder        */ "Cuéntenos más (opcional)",
  /* submit             */ "Enviar",
  /* next               */ "Siguiente",
  /* back               */ "Atrás",
  /* skip               */ "Omitir",
  /* close              */ "Cerrar",
  /* dismiss            */ "Ahora no",
  /* thanks             */ "¡Gracias por sus comentarios!",
  /* thanks_link        */ "Dejar una reseña",
  /* progress           */ "Pregunta {current} de {total}",
  /* required           */ "Esta pregunta es obligatoria",
  /* choose_one         */ "Elija una opción",
  /* choose_any         */ "Elija todas las que correspondan",
  /* dialog_label       */ "Encuesta de opinión",
  /* score_chosen       */ "Ha elegido {score}",
}},
{"ru", {
  /* question           */ "Насколько вероятно, что вы порекомендуете {product} другу или коллеге?",
  /* question_generic   */ "Насколько вероятно, что вы порекомендуете нас другу или коллеге?",
  /* low_label          */ "Крайне маловероятно",
  /* high_label         */ "Крайне вероятно",
  /* score_label        */ "{score} из 10",
  /* followup_detractor */ "Нам жаль это слышать. Что мы могли бы улучшить?",
  /* followup_passive   */ "Что нам сделать, чтобы вы поставили нам 10?",
  /* followup_promoter  */ "Отлично! Что вам нравится больше всего?",
  /* placeholder        */ "Расскажите подробнее (необязательно)",
  /* submit             */ "Отправить",
  /* next               */ "Далее",
  /* back               */ "Назад",
  /* skip               */ "Пропустить",
  /* close              */ "Закрыть",
  /* dismiss            */ "Не сейчас",
  /* thanks             */ "Спасибо за ваш отзыв!",
  /* thanks_link        */ "Оставить отзыв",
  /* progress           */ "Вопрос {current} из {total}",
  /* required           */ "Пожалуйста, ответьте на этот вопрос",
  /* choose_one         */ "Выберите один вариант",
  /* choose_any         */ "Выберите все подходящие варианты",
  /* dialog_label       */ "Опрос",
  /* score_chosen       */ "Вы выбрали {score}",
}},
{"zh-Hans", {
  /* question           */ "您向朋友或同事推荐{product}的可能性有多大？",
  /* question_generic   */ "您向朋友或同事推荐我们的可能性有多大？",
  /* low_label          */ "完全不可能",
  /* high_label         */ "极有可能",
  /* score_label        */ "{score}分（满分10分）",
  /* followup_detractor */ "很抱歉给您带来不好的体验。我们可以在哪些方面做得更好？",
  /* followup_passive   */ "我们怎样做才能让您打10分？",
  /* followup_promoter  */ "太好了！您最喜欢我们哪一点？",
  /* placeholder        */ "请告诉我们更多（选填）",
  /* submit             */ "提交",
  /* next               */ "下一步",
  /* back               */ "上一步",
  /* skip               */ "跳过",
  /* close              */ "关闭",
  /* dismiss            */ "以后再说",
  /* thanks             */ "感谢您的反馈！",
  /* thanks_link        */ "写评价",
  /* progress           */ "第{current}题，共{total}题",
  /* required           */ "此题为必答题",
  /* choose_one         */ "请选择一项",
  /* choose_any         */ "可选择多项",
  /* dialog_label       */ "反馈调查",
  /* score_chosen       */ "您选择了{score}分",
}},
{"pt", {
  /* question           */ "Qual é a probabilidade de recomendar {product} a um amigo ou colega?",
  /* question_generic   */ "Qual é a probabilidade de nos recomendar a um amigo ou colega?",
  /* low_label          */ "Nada provável",
  /* high_label         */ "Extremamente provável",
  /* score_label        */ "{score} de 10",
  /* followup_detractor */ "Sentimos muito. O que poderíamos melhorar?",
  /* followup_passive   */ "O que poderíamos fazer para merecer um 10?",
  /* followup_promoter  */ "Ótimo! Do que mais gosta?",
  /* placeholder        */ "Conte-nos mais (opcional)",
  /* submit             */ "Enviar",
  /* next               */ "Avançar",
  /* back               */ "Voltar",
  /* skip               */ "Pular",
  /* close              */ "Fechar",
  /* dismiss            */ "Agora não",
  /* thanks             */ "Obrigado pela sua opinião!",
  /* thanks_link        */ "Deixar uma avaliação",
  /* progress           */ "Pergunta {current} de {total}",
  /* required           */ "Esta pergunta é obrigatória",
  /* choose_one         */ "Escolha uma opção",
  /* choose_any         */ "Escolha todas as que se aplicam",
  /* dialog_label       */ "Pesquisa de opinião",
  /* score_chosen       */ "Nota escolhida: {score}",
}},
{"de", {
  /* question           */ "Wie wahrscheinlich ist es, dass Sie {product} einem Freund oder Kollegen empfehlen?",
  /* question_generic   */ "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?",
  /* low_label          */ "Äußerst unwahrscheinlich",
  /* high_label         */ "Äußerst wahrscheinlich",
  /* score_label        */ "{score} von 10",
  /* followup_detractor */ "Das tut uns leid. Was können wir besser machen?",
  /* followup_passive   */ "Was müssten wir tun, damit Sie uns eine 10 geben?",
  /* followup_promoter  */ "Das freut uns! Was gefällt Ihnen am besten?",
  /* placeholder        */ "Erzählen Sie uns mehr (optional)",
  /* submit             */ "Senden",
  /* next               */ "Weiter",
  /* back               */ "Zurück",
  /* skip               */ "Überspringen",
  /* close              */ "Schließen",
  /* dismiss            */ "Nicht jetzt",
  /* thanks             */ "Vielen Dank für Ihr Feedback!",
  /* thanks_link        */ "Bewertung schreiben",
  /* progress           */ "Frage {current} von {total}",
  /* required           */ "Bitte beantworten Sie diese Frage",
  /* choose_one         */ "Bitte wählen Sie eine Antwort",
  /* choose_any         */ "Mehrfachauswahl möglich",
  /* dialog_label       */ "Feedback-Umfrage",
  /* score_chosen       */ "Sie haben {score} gewählt",
}},
{"fr", {
  /* question           */ "Quelle est la probabilité que vous recommandiez {product} à un ami ou à un collègue\u00A0?",
  /* question_generic   */ "Quelle est la probabilité que vous nous recommandiez à un ami ou à un collègue\u00A0?",
  /* low_label          */ "Pas du tout probable",
  /* high_label         */ "Extrêmement probable",
  /* score_label        */ "{score} sur 10",
  /* followup_detractor */ "Nous en sommes désolés. Que pourrions-nous améliorer\u00A0?",
  /* followup_passive   */ "Que pourrions-nous faire pour mériter un 10\u00A0?",
  /* followup_promoter  */ "Ravis de l’entendre\u00A0! Qu’appréciez-vous le plus\u00A0?",
  /* placeholder        */ "Dites-nous-en plus (facultatif)",
  /* submit             */ "Envoyer",
  /* next               */ "Suivant",
  /* back               */ "Précédent",
  /* skip               */ "Passer",
  /* close              */ "Fermer",
  /* dismiss            */ "Pas maintenant",
  /* thanks             */ "Merci pour votre avis\u00A0!",
  /* thanks_link        */ "Laisser un avis",
  /* progress           */ "Question {current} sur {total}",
  /* required           */ "Veuillez répondre à cette question",
  /* choose_one         */ "Choisissez une réponse",
  /* choose_any         */ "Plusieurs réponses possibles",
  /* dialog_label       */ "Enquête de satisfaction",
  /* score_chosen       */ "Vous avez choisi {score}",
}},
{"ja", {
  /* question           */ "{product}を友人や同僚に薦める可能性はどのくらいありますか？",
  /* question_generic   */ "当社を友人や同僚に薦める可能性はどのくらいありますか？",
  /* low_label          */ "まったく可能性がない",
  /* high_label         */ "非常に可能性が高い",
  /* score_label        */ "10点中{score}点",
  /* followup_detractor */ "ご期待に沿えず申し訳ありません。改善すべき点を教えてください。",
  /* followup_passive   */ "10点をつけていただくには、何が必要でしょうか？",
  /* followup_promoter  */ "ありがとうございます！特に気に入っている点を教えてください。",
  /* placeholder        */ "詳しくお聞かせください（任意）",
  /* submit             */ "送信",
  /* next               */ "次へ",
  /* back               */ "戻る",
  /* skip               */ "スキップ",
  /* close              */ "閉じる",
  /* dismiss            */ "あとで",
  /* thanks             */ "ご意見ありがとうございました！",
  /* thanks_link        */ "レビューを書く",
  /* progress           */ "全{total}問中{current}問目",
  /* required           */ "この質問は必須です",
  /* choose_one         */ "1つ選択してください",
  /* choose_any         */ "当てはまるものをすべて選択してください",
  /* dialog_label       */ "アンケート",
  /* score_chosen       */ "{score}点を選択しました",
}},
{"ar", {
  /* question           */ "ما مدى احتمال أن توصي بـ{product} لصديق أو زميل؟",
  /* question_generic   */ "ما مدى احتمال أن توصي بنا لصديق أو زميل؟",
  /* low_label          */ "غير محتمل على الإطلاق",
  /* high_label         */ "محتمل للغاية",
  /* score_label        */ "{score} من 10",
  /* followup_detractor */ "نأسف لسماع ذلك. ما الذي يمكننا تحسينه؟",
  /* followup_passive   */ "ما الذي قد يجعلك تمنحنا الدرجة 10؟",
  /* followup_promoter  */ "رائع! ما أكثر ما يعجبك؟",
  /* placeholder        */ "أخبرنا بالمزيد (اختياري)",
  /* submit             */ "إرسال",
  /* next               */ "التالي",
  /* back               */ "السابق",
  /* skip               */ "تخطي",
  /* close              */ "إغلاق",
  /* dismiss            */ "ليس الآن",
  /* thanks             */ "شكرًا لك على ملاحظاتك!",
  /* thanks_link        */ "اكتب مراجعة",
  /* progress           */ "السؤال {current} من {total}",
  /* required           */ "يُرجى الإجابة عن هذا السؤال",
  /* choose_one         */ "اختر إجابة واحدة",
  /* choose_any         */ "اختر كل ما ينطبق",
  /* dialog_label       */ "استطلاع رأي",
  /* score_chosen       */ "لقد اخترت {score}",
}},
{"he", {
  /* question           */ "מה הסיכוי שתמליצו על {product} לחבר או לעמית?",
  /* question_generic   */ "מה הסיכוי שתמליצו עלינו לחבר או לעמית?",
  /* low_label          */ "בכלל לא סביר",
  /* high_label         */ "סביר מאוד",
  /* score_label        */ "{score} מתוך 10",
  /* followup_detractor */ "מצטערים לשמוע. מה נוכל לשפר?",
  /* followup_passive   */ "מה יגרום לכם לתת לנו 10?",
  /* followup_promoter  */ "מעולה! מה הכי אהבתם?",
  /* placeholder        */ "ספרו לנו עוד (לא חובה)",
  /* submit             */ "שליחה",
  /* next               */ "הבא",
  /* back               */ "הקודם",
  /* skip               */ "דילוג",
  /* close              */ "סגירה",
  /* dismiss            */ "לא עכשיו",
  /* thanks             */ "תודה על המשוב!",
  /* thanks_link        */ "כתיבת חוות דעת",
  /* progress           */ "שאלה {current} מתוך {total}",
  /* required           */ "יש לענות על שאלה זו",
  /* choose_one         */ "יש לבחור תשובה אחת",
  /* choose_any         */ "יש לבחור את כל התשובות המתאימות",
  /* dialog_label       */ "סקר משוב",
  /* score_chosen       */ "בחרת {score}",
}},
}};
// clang-format on

constexpr std::size_t english = 0;
static_assert(table[english].tag == "en");

// Languages written right to left by default, and right-to-left scripts (ISO 15924).
constexpr std::array<std::string_view, 24> rtl_languages = {
    "ar", "he",  "fa",  "ur",  "yi",  "ps",  "dv",  "ckb", "sd",  "ug",  "iw",  "ji",
    "ks", "syr", "nqo", "prs", "pnb", "lrc", "mzn", "sdh", "bal", "bqi", "glk", "arc",
};
constexpr std::array<std::string_view, 11> rtl_scripts = {
    "Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr", "Mend", "Yezi",
};
// Language and region pairs whose likely script (CLDR) is Arabic although the language's
// usual script is not: Punjabi in Pakistan, Azerbaijani in Iran, Uzbek in Afghanistan.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> rtl_regions = {{
    {"pa", "PK"},
    {"az", "IR"},
    {"uz", "AF"},
}};

// Deprecated language codes and their successors, compared as equal.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> language_aliases = {{
    {"iw", "he"},
    {"ji", "yi"},
    {"in", "id"},
    {"nb", "no"},
}};

// ---- language tags without allocating ----------------------------------------------------

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool all_alpha(std::string_view s) noexcept {
  for (char c : s)
    if (!is_alpha(c)) return false;
  return true;
}
bool all_digit(std::string_view s) noexcept {
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}
bool all_alnum(std::string_view s) noexcept {
  for (char c : s)
    if (!is_alpha(c) && !is_digit(c)) return false;
  return true;
}

std::string_view unalias(std::string_view language) noexcept {
  for (const auto &[old_code, code] : language_aliases)
    if (iequals(language, old_code)) return code;
  return language;
}

// A tag split into subtags (views into the original text, or into string literals), the
// same grammar as canonical_locale: language (2–3 letters), optional script (4 letters),
// optional region (2 letters or 3 digits), then variants and extensions (1–8 letters or
// digits); at most 35 characters.
struct Tag {
  static constexpr std::size_t max_subtags = 18; // 35 characters hold at most 18 subtags
  std::array<std::string_view, max_subtags> sub{};
  std::size_t n = 0;
  bool has_script = false;
  bool has_region = false;

  [[nodiscard]] std::string_view language() const noexcept { return sub[0]; }
  [[nodiscard]] std::string_view script() const noexcept { return has_script ? sub[1] : std::string_view(); }
  [[nodiscard]] std::string_view region() const noexcept {
    return has_region ? sub[has_script ? 2 : 1] : std::string_view();
  }
};

std::optional<Tag> parse_tag(std::string_view text) noexcept {
  if (text.empty() || text.size() > 35) return std::nullopt;
  Tag t;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '-' && text[i] != '_') continue;
    if (t.n == Tag::max_subtags) return std::nullopt;
    t.sub[t.n++] = text.substr(start, i - start);
    start = i + 1;
  }
  const std::string_view lang = t.sub[0];
  if (lang.size() < 2 || lang.size() > 3 || !all_alpha(lang)) return std::nullopt;
  std::size_t i = 1;
  if (i < t.n && t.sub[i].size() == 4 && all_alpha(t.sub[i])) {
    t.has_script = true;
    ++i;
  }
  if (i < t.n &&
      ((t.sub[i].size() == 2 && all_alpha(t.sub[i])) || (t.sub[i].size() == 3 && all_digit(t.sub[i])))) {
    t.has_region = true;
    ++i;
  }
  for (; i < t.n; ++i)
    if (t.sub[i].empty() || t.sub[i].size() > 8 || !all_alnum(t.sub[i])) return std::nullopt;
  return t;
}

bool same_language(std::string_view a, std::string_view b) noexcept {
  return iequals(unalias(a), unalias(b));
}

// The first `n` subtags of `a` equal all of `b`'s (case-insensitive; legacy language codes
// equal their successors).
bool same_prefix(const Tag &a, std::size_t n, const Tag &b) noexcept {
  if (n != b.n) return false;
  if (!same_language(a.sub[0], b.sub[0])) return false;
  for (std::size_t i = 1; i < n; ++i)
    if (!iequals(a.sub[i], b.sub[i])) return false;
  return true;
}

// Chinese is matched by script: Traditional for Taiwan, Hong Kong and Macao (and an explicit
// Hant), Simplified otherwise (and an explicit Hans).
std::string_view chinese_script(const Tag &t) noexcept {
  if (t.has_script) return t.script();
  const std::string_view r = t.region();
  if (iequals(r, "TW") || iequals(r, "HK") || iequals(r, "MO")) return "Hant";
  return "Hans";
}

bool is_chinese(const Tag &t) noexcept { return iequals(t.language(), "zh"); }

// The index in `available` of the best match for one requested tag, or npos. `available` is
// any range of things convertible to std::string_view.
constexpr std::size_t npos = static_cast<std::size_t>(-1);

template <class Range>
std::size_t find_exact(const Tag &want, std::size_t n, const Range &available) noexcept {
  std::size_t index = 0;
  for (const auto &a : available) {
    if (auto tag = parse_tag(a); tag && same_prefix(want, n, *tag)) return index;
    ++index;
  }
  return npos;
}

template <class Range> std::size_t match(const Tag &requested, const Range &available) noexcept {
  // 1. The tag as written.
  if (auto i = find_exact(requested, requested.n, available); i != npos) return i;

  // 2. Chinese without a script gets the script of its region: zh-TW → zh-Hant-TW.
  Tag want = requested;
  const bool chinese = is_chinese(requested);
  if (chinese && !requested.has_script) {
    if (want.n == Tag::max_subtags) return npos;
    for (std::size_t k = want.n; k > 1; --k)
      want.sub[k] = want.sub[k - 1];
    want.sub[1] = chinese_script(requested);
    want.has_script = true;
    ++want.n;
  }

  // 3. Drop subtags from the end (with a singleton left dangling before them), down to the
  //    language; Chinese stops at language-script, and only Simplified goes on to bare zh.
  const std::size_t shortest = chinese ? 2 : 1;
  for (std::size_t n = want.n; n >= shortest; --n) {
    if (n < want.n && want.sub[n - 1].size() == 1) continue;               // "en-x-foo" → not "en-x"
    if (n == requested.n && !(chinese && !requested.has_script)) continue; // tried in 1
    if (auto i = find_exact(want, n, available); i != npos) return i;
  }
  if (chinese && iequals(want.sub[1], "Hans"))
    if (auto i = find_exact(want, 1, available); i != npos) return i;

  // 4. The same language in any region (and, for Chinese, the same script): the first one.
  std::size_t index = 0;
  for (const auto &a : available) {
    const auto tag = parse_tag(a);
    if (tag && same_language(tag->language(), requested.language())) {
      bool script_fits = true;
      if (chinese)
        script_fits = iequals(chinese_script(*tag), chinese_script(requested));
      else if (tag->has_script && requested.has_script)
        script_fits = iequals(tag->script(), requested.script());
      if (script_fits) return index;
    }
    ++index;
  }
  return npos;
}

struct BuiltinTags {
  [[nodiscard]] auto begin() const noexcept { return iterator{table.data()}; }
  [[nodiscard]] auto end() const noexcept { return iterator{table.data() + table.size()}; }
  struct iterator {
    const Builtin *p;
    std::string_view operator*() const noexcept { return p->tag; }
    iterator &operator++() noexcept {
      ++p;
      return *this;
    }
    bool operator!=(const iterator &o) const noexcept { return p != o.p; }
  };
};

std::size_t builtin_index(std::string_view locale) noexcept {
  const auto tag = parse_tag(locale);
  if (!tag) return english;
  const std::size_t i = match(*tag, BuiltinTags{});
  return i == npos ? english : i;
}

bool is_placeholder_name(char c) noexcept { return is_alpha(c) || is_digit(c) || c == '_'; }

} // namespace

std::string_view key(Text t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i < keys.size() ? keys[i] : std::string_view();
}

std::optional<Text> text_from_key(std::string_view k) noexcept {
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == k) return static_cast<Text>(i);
  return std::nullopt;
}

const std::vector<std::string> &builtin_locales() {
  static const std::vector<std::string> tags = [] {
    std::vector<std::string> v;
    for (const auto &b : table)
      v.emplace_back(b.tag);
    return v;
  }();
  return tags;
}

bool is_builtin(std::string_view canonical_locale) noexcept {
  const auto tag = parse_tag(canonical_locale);
  if (!tag) return false;
  for (const auto &b : table) {
    const auto builtin_tag = parse_tag(b.tag);
    if (builtin_tag->n != tag->n) continue;
    bool same = true;
    for (std::size_t i = 0; i < tag->n; ++i)
      same = same && iequals(tag->sub[i], builtin_tag->sub[i]);
    if (same) return true;
  }
  return false;
}

std::string_view builtin(std::string_view locale, Text t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  if (i >= static_cast<std::size_t>(text_count)) return {};
  return table[builtin_index(locale)].texts[i];
}

std::string negotiate(const std::vector<std::string> &requested, const std::vector<std::string> &available,
                      std::string_view fallback) {
  for (const auto &r : requested) {
    const auto tag = parse_tag(r);
    if (!tag) continue;
    if (const std::size_t i = match(*tag, available); i != npos) return available[i];
  }
  return std::string(fallback);
}

Direction direction(std::string_view locale) noexcept {
  const auto tag = parse_tag(locale);
  if (!tag) return Direction::ltr;
  if (tag->has_script) {
    for (auto s : rtl_scripts)
      if (iequals(tag->script(), s)) return Direction::rtl;
    return Direction::ltr;
  }
  for (auto l : rtl_languages)
    if (iequals(tag->language(), l)) return Direction::rtl;
  for (const auto &[l, r] : rtl_regions)
    if (iequals(tag->language(), l) && iequals(tag->region(), r)) return Direction::rtl;
  return Direction::ltr;
}

std::string_view to_string(Direction d) noexcept { return d == Direction::rtl ? "rtl" : "ltr"; }

std::string format(std::string_view pattern,
                   const std::vector<std::pair<std::string_view, std::string>> &params) {
  std::string out;
  out.reserve(pattern.size());
  std::size_t i = 0;
  while (i < pattern.size()) {
    const std::size_t open = pattern.find('{', i);
    if (open == std::string_view::npos) break;
    out.append(pattern, i, open - i);
    std::size_t close = open + 1;
    while (close < pattern.size() && is_placeholder_name(pattern[close]))
      ++close;
    const std::pair<std::string_view, std::string> *found = nullptr;
    if (close < pattern.size() && pattern[close] == '}' && close > open + 1) {
      const std::string_view name = pattern.substr(open + 1, close - open - 1);
      for (const auto &p : params)
        if (p.first == name) {
          found = &p;
          break;
        }
    }
    if (found) {
      out += found->second;
      i = close + 1;
    } else {
      out += '{';
      i = open + 1;
    }
  }
  if (i < pattern.size()) out.append(pattern, i, std::string_view::npos);
  return out;
}

} // namespace nps::i18n
