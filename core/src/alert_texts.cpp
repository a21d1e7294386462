// The texts of answer alerts by e-mail (data): one row per built-in language, in the order
// of enum Text. Words follow docs/glossary.md; Arabic and Hebrew address the reader without
// a gender, as the core's own texts do.
#include "nps/alert_texts.hpp"

#include "text_table.hpp"

#include <array>

namespace nps::alert_texts {

namespace {

struct Row {
  std::string_view tag;
  std::array<std::string_view, text_count> texts;
};

// clang-format off
constexpr std::array<Row, 12> table = {{
{"en", {"Detractor", "Passive", "Promoter", "{category} {score}/10 · {survey}", "Changed: {category} {score}/10 · {survey}",
  "Comment", "No comment.", "Survey", "Respondent", "Open the follow-up item",
  "You receive this alert because this address is set to receive answers from OpenNPS."}},
{"es", {"Detractor", "Pasivo", "Promotor", "{category} {score}/10 · {survey}", "Cambiada: {category} {score}/10 · {survey}",
  "Comentario", "Sin comentario.", "Encuesta", "Encuestado", "Abrir el seguimiento",
  "Recibes esta alerta porque esta dirección está configurada para recibir respuestas de OpenNPS."}},
{"ru", {"Критик", "Нейтрал", "Промоутер", "{category} {score}/10 · {survey}", "Изменён ответ: {category} {score}/10 · {survey}",
  "Комментарий", "Без комментария.", "Опрос", "Респондент", "Открыть задачу по отклику",
  "Вы получили это оповещение, потому что этот адрес подписан на ответы в OpenNPS."}},
{"zh-Hans", {"贬损者", "中立者", "推荐者", "{category} {score}/10 · {survey}", "已修改：{category} {score}/10 · {survey}",
  "评论", "没有评论。", "调查", "受访者", "打开跟进事项",
  "您收到此提醒，是因为此地址已设置为接收 OpenNPS 的回答。"}},
{"zh-Hant", {"批評者", "中立者", "推薦者", "{category} {score}/10 · {survey}", "已修改：{category} {score}/10 · {survey}",
  "評論", "沒有評論。", "調查", "受訪者", "開啟跟進事項",
  "您收到此提醒，是因為此地址已設定為接收 OpenNPS 的回答。"}},
{"pt", {"Detrator", "Neutro", "Promotor", "{category} {score}/10 · {survey}", "Alterada: {category} {score}/10 · {survey}",
  "Comentário", "Sem comentário.", "Pesquisa", "Respondente", "Abrir o acompanhamento",
  "Você recebe este alerta porque este endereço está configurado para receber respostas do OpenNPS."}},
{"pt-PT", {"Detrator", "Neutro", "Promotor", "{category} {score}/10 · {survey}", "Alterada: {category} {score}/10 · {survey}",
  "Comentário", "Sem comentário.", "Inquérito", "Inquirido", "Abrir o acompanhamento",
  "Recebe este alerta porque este endereço está configurado para receber respostas do OpenNPS."}},
{"de", {"Kritiker", "Passiver", "Promotor", "{category} {score}/10 · {survey}", "Geändert: {category} {score}/10 · {survey}",
  "Kommentar", "Kein Kommentar.", "Umfrage", "Befragte Person", "Nachverfolgung öffnen",
  "Sie erhalten diese Benachrichtigung, weil diese Adresse Antworten aus OpenNPS erhält."}},
{"fr", {"Détracteur", "Passif", "Promoteur", "{category} {score}/10 · {survey}", "Modifiée : {category} {score}/10 · {survey}",
  "Commentaire", "Aucun commentaire.", "Enquête", "Répondant", "Ouvrir le suivi",
  "Vous recevez cette alerte car cette adresse est configurée pour recevoir les réponses d’OpenNPS."}},
{"ja", {"批判者", "中立者", "推奨者", "{category} {score}/10 · {survey}", "変更：{category} {score}/10 · {survey}",
  "コメント", "コメントはありません。", "アンケート", "回答者", "フォローアップを開く",
  "このアドレスが OpenNPS の回答を受け取るよう設定されているため、この通知をお送りしています。"}},
{"ar", {"منتقد", "محايد", "مروّج", "{category} {score}/10 · {survey}", "تغيّرت: {category} {score}/10 · {survey}",
  "التعليق", "لا تعليق.", "الاستطلاع", "المجيب", "فتح بند المتابعة",
  "وصل هذا التنبيه لأن هذا العنوان مُعدّ لتلقّي الإجابات من OpenNPS."}},
{"he", {"מלעיז", "פסיבי", "ממליץ", "{category} {score}/10 · {survey}", "שונתה: {category} {score}/10 · {survey}",
  "הערה", "אין הערה.", "סקר", "משיב", "פתיחת פריט המעקב",
  "ההתראה נשלחה כי כתובת זו מוגדרת לקבל תשובות מ־OpenNPS."}},
}};
// clang-format on

} // namespace

std::string_view text(std::string_view locale, Text t) noexcept {
  return detail::table_text(table, locale, static_cast<std::size_t>(t));
}

} // namespace nps::alert_texts
