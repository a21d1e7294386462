// The texts of the weekly digest e-mail (data): one row per built-in language, in the order of
// enum Text. Words follow docs/glossary.md and alert_texts.cpp; Arabic and Hebrew address the
// reader without a gender.
#include "nps/digest_texts.hpp"

#include "text_table.hpp"

#include <array>

namespace nps::digest_texts {

namespace {

struct Row {
  std::string_view tag;
  std::array<std::string_view, text_count> texts;
};

// clang-format off
constexpr std::array<Row, 12> table = {{
{"en", {"Weekly NPS · {survey} · {week}", "NPS of the week", "Answers: {n}", "95% interval: {lo} to {hi}",
  "Change from the week before: {change}", "The change is significant (p = {p}).", "The change may be chance (p = {p}).",
  "No answers the week before to compare with.", "No answers in the week.", "Fewer than 30 answers: read the figures with care.",
  "New detractor comments", "None in the week.", "Open follow-up items: {n}", "Open the dashboard",
  "You receive this digest because this address is set to receive the weekly digest from OpenNPS."}},
{"es", {"NPS semanal · {survey} · {week}", "NPS de la semana", "Respuestas: {n}", "Intervalo del 95 %: de {lo} a {hi}",
  "Cambio respecto a la semana anterior: {change}", "El cambio es significativo (p = {p}).", "El cambio puede deberse al azar (p = {p}).",
  "La semana anterior no hubo respuestas con las que comparar.", "No hubo respuestas en la semana.", "Menos de 30 respuestas: interpreta las cifras con cautela.",
  "Nuevos comentarios de detractores", "Ninguno en la semana.", "Seguimientos abiertos: {n}", "Abrir el panel",
  "Recibes este resumen porque esta dirección está configurada para recibir el resumen semanal de OpenNPS."}},
{"ru", {"NPS за неделю · {survey} · {week}", "NPS за неделю", "Ответов: {n}", "95% интервал: от {lo} до {hi}",
  "Изменение к прошлой неделе: {change}", "Изменение значимо (p = {p}).", "Изменение может быть случайным (p = {p}).",
  "За предыдущую неделю ответов для сравнения нет.", "За неделю ответов не было.", "Меньше 30 ответов: относитесь к цифрам осторожно.",
  "Новые комментарии критиков", "За неделю нет.", "Открытых задач по откликам: {n}", "Открыть панель",
  "Вы получили эту сводку, потому что этот адрес подписан на еженедельную сводку OpenNPS."}},
{"zh-Hans", {"每周 NPS · {survey} · {week}", "该周 NPS", "回答数：{n}", "95% 区间：{lo} 至 {hi}",
  "与上周相比的变化：{change}", "该变化具有统计显著性（p = {p}）。", "该变化可能出于偶然（p = {p}）。",
  "上周没有可供比较的回答。", "该周没有回答。", "回答少于 30 个：请谨慎解读这些数字。",
  "新的贬损者评论", "该周没有。", "未结的跟进事项：{n}", "打开仪表板",
  "您收到此摘要，是因为此地址已设置为接收 OpenNPS 的每周摘要。"}},
{"zh-Hant", {"每週 NPS · {survey} · {week}", "該週 NPS", "回答數：{n}", "95% 區間：{lo} 至 {hi}",
  "與上週相比的變化：{change}", "該變化具有統計顯著性（p = {p}）。", "該變化可能出於偶然（p = {p}）。",
  "上週沒有可供比較的回答。", "該週沒有回答。", "回答少於 30 個：請謹慎解讀這些數字。",
  "新的批評者評論", "該週沒有。", "未結的跟進事項：{n}", "開啟儀表板",
  "您收到此摘要，是因為此地址已設定為接收 OpenNPS 的每週摘要。"}},
{"pt", {"NPS semanal · {survey} · {week}", "NPS da semana", "Respostas: {n}", "Intervalo de 95%: de {lo} a {hi}",
  "Variação em relação à semana anterior: {change}", "A variação é significativa (p = {p}).", "A variação pode ser acaso (p = {p}).",
  "Sem respostas na semana anterior para comparar.", "Nenhuma resposta na semana.", "Menos de 30 respostas: leia os números com cuidado.",
  "Novos comentários de detratores", "Nenhum na semana.", "Acompanhamentos em aberto: {n}", "Abrir o painel",
  "Você recebe este resumo porque este endereço está configurado para receber o resumo semanal do OpenNPS."}},
{"pt-PT", {"NPS semanal · {survey} · {week}", "NPS da semana", "Respostas: {n}", "Intervalo de 95%: de {lo} a {hi}",
  "Variação em relação à semana anterior: {change}", "A variação é significativa (p = {p}).", "A variação pode ser acaso (p = {p}).",
  "Sem respostas na semana anterior para comparar.", "Nenhuma resposta na semana.", "Menos de 30 respostas: leia os números com cuidado.",
  "Novos comentários de detratores", "Nenhum na semana.", "Acompanhamentos em aberto: {n}", "Abrir o painel",
  "Recebe este resumo porque este endereço está configurado para receber o resumo semanal do OpenNPS."}},
{"de", {"Wöchentlicher NPS · {survey} · {week}", "NPS der Woche", "Antworten: {n}", "95-%-Intervall: {lo} bis {hi}",
  "Veränderung zur Vorwoche: {change}", "Die Veränderung ist signifikant (p = {p}).", "Die Veränderung kann Zufall sein (p = {p}).",
  "Keine Antworten in der Vorwoche zum Vergleich.", "Keine Antworten in der Woche.", "Weniger als 30 Antworten: Zahlen mit Vorsicht lesen.",
  "Neue Kommentare von Kritikern", "Keine in der Woche.", "Offene Nachverfolgungen: {n}", "Dashboard öffnen",
  "Sie erhalten diese Zusammenfassung, weil diese Adresse die wöchentliche Zusammenfassung von OpenNPS erhält."}},
{"fr", {"NPS hebdomadaire · {survey} · {week}", "NPS de la semaine", "Réponses : {n}", "Intervalle à 95 % : de {lo} à {hi}",
  "Évolution par rapport à la semaine précédente : {change}", "L’évolution est significative (p = {p}).", "L’évolution peut être due au hasard (p = {p}).",
  "Aucune réponse la semaine précédente pour comparer.", "Aucune réponse dans la semaine.", "Moins de 30 réponses : lisez les chiffres avec prudence.",
  "Nouveaux commentaires de détracteurs", "Aucun dans la semaine.", "Suivis ouverts : {n}", "Ouvrir le tableau de bord",
  "Vous recevez ce résumé car cette adresse est configurée pour recevoir le résumé hebdomadaire d’OpenNPS."}},
{"ja", {"週間 NPS · {survey} · {week}", "この週の NPS", "回答数：{n}", "95% 区間：{lo}〜{hi}",
  "前週からの変化：{change}", "この変化は有意です（p = {p}）。", "この変化は偶然の可能性があります（p = {p}）。",
  "比較できる前週の回答はありません。", "この週の回答はありません。", "回答が 30 件未満です。数値は慎重に読んでください。",
  "批判者の新しいコメント", "この週はありません。", "未対応のフォローアップ：{n}", "ダッシュボードを開く",
  "このアドレスが OpenNPS の週間ダイジェストを受け取るよう設定されているため、このダイジェストをお送りしています。"}},
{"ar", {"NPS الأسبوعي · {survey} · {week}", "NPS الأسبوع", "الإجابات: {n}", "فترة الثقة 95%: من {lo} إلى {hi}",
  "التغيّر عن الأسبوع السابق: {change}", "التغيّر ذو دلالة إحصائية (p = {p}).", "قد يكون التغيّر مصادفة (p = {p}).",
  "لا إجابات في الأسبوع السابق للمقارنة.", "لا إجابات خلال الأسبوع.", "أقل من 30 إجابة: تُقرأ الأرقام بحذر.",
  "تعليقات جديدة من المنتقدين", "لا شيء خلال الأسبوع.", "بنود المتابعة المفتوحة: {n}", "فتح لوحة المعلومات",
  "وصل هذا الملخّص لأن هذا العنوان مُعدّ لتلقّي الملخّص الأسبوعي من OpenNPS."}},
{"he", {"NPS שבועי · {survey} · {week}", "NPS של השבוע", "תשובות: {n}", "רווח בר־סמך 95%: מ־{lo} עד {hi}",
  "שינוי לעומת השבוע הקודם: {change}", "השינוי מובהק (p = {p}).", "ייתכן שהשינוי מקרי (p = {p}).",
  "אין תשובות מהשבוע הקודם להשוואה.", "אין תשובות בשבוע.", "פחות מ־30 תשובות: יש לקרוא את המספרים בזהירות.",
  "הערות חדשות של מלעיזים", "אין בשבוע.", "פריטי מעקב פתוחים: {n}", "פתיחת לוח הבקרה",
  "התקציר נשלח כי כתובת זו מוגדרת לקבל את התקציר השבועי מ־OpenNPS."}},
}};
// clang-format on

} // namespace

std::string_view text(std::string_view locale, Text t) noexcept {
  return detail::table_text(table, locale, static_cast<std::size_t>(t));
}

} // namespace nps::digest_texts
