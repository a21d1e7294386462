// The texts of a survey's draft-review page (data): one row per built-in language, in the
// order of enum Text. Words follow docs/glossary.md; Arabic and Hebrew address the reader
// without a gender, as the core's own texts do.
#include "nps/review_texts.hpp"

#include "text_table.hpp"

#include <array>

namespace nps::review_texts {

namespace {

struct Row {
  std::string_view tag;
  std::array<std::string_view, text_count> texts;
};

// clang-format off
constexpr std::array<Row, 12> table = {{
{"en", {"Survey draft for review",
  "This is how respondents see “{survey}”, in each of its languages. Nothing can be answered or saved on this page.",
  "The survey has been changed since this link was made. You see it as it is now.",
  "This link works until {date}.", "Languages", "The question",
  "After a score from 0 to 6", "After a score of 7 or 8", "After a score of 9 or 10",
  "Follow-up question", "No follow-up question is asked.", "Further questions",
  "Asked only when an earlier answer fits.", "Thank-you message", "Hint in the answer box:",
  "This review link does not work",
  "It may have been changed on the way, or the survey no longer exists. Ask for a new link.",
  "This review link has expired. Ask for a new one."}},
{"es", {"Borrador de encuesta para revisar",
  "Así ven los encuestados «{survey}», en cada uno de sus idiomas. En esta página no se puede responder ni guardar nada.",
  "La encuesta ha cambiado desde que se creó este enlace. La ves tal como está ahora.",
  "Este enlace funciona hasta el {date}.", "Idiomas", "La pregunta",
  "Tras una puntuación de 0 a 6", "Tras una puntuación de 7 u 8", "Tras una puntuación de 9 o 10",
  "Pregunta de seguimiento", "No se hace pregunta de seguimiento.", "Más preguntas",
  "Solo se pregunta cuando encaja con una respuesta anterior.", "Mensaje de agradecimiento", "Texto de ayuda en el cuadro de respuesta:",
  "Este enlace de revisión no funciona",
  "Puede que se haya modificado por el camino o que la encuesta ya no exista. Pide un enlace nuevo.",
  "Este enlace de revisión ha caducado. Pide uno nuevo."}},
{"ru", {"Черновик опроса для проверки",
  "Так респонденты видят опрос «{survey}» на каждом из его языков. На этой странице нельзя ответить и ничего не сохраняется.",
  "Опрос изменился после того, как была создана эта ссылка. Вы видите его текущую версию.",
  "Ссылка действует до {date}.", "Языки", "Вопрос",
  "После оценки от 0 до 6", "После оценки 7 или 8", "После оценки 9 или 10",
  "Уточняющий вопрос", "Уточняющий вопрос не задаётся.", "Дополнительные вопросы",
  "Задаётся, только если подходит предыдущий ответ.", "Благодарность", "Подсказка в поле ответа:",
  "Ссылка для проверки не работает",
  "Возможно, её изменили по пути или опроса больше нет. Попросите новую ссылку.",
  "Срок действия ссылки для проверки истёк. Попросите новую."}},
{"zh-Hans", {"待审阅的调查草稿",
  "这是受访者看到的“{survey}”，包含其每种语言。此页面无法作答，也不会保存任何内容。",
  "此链接生成后，调查已被修改。您看到的是当前版本。",
  "此链接有效期至 {date}。", "语言", "问题",
  "评分 0 到 6 之后", "评分 7 或 8 之后", "评分 9 或 10 之后",
  "追问", "不提追问。", "更多问题",
  "仅在先前的回答符合条件时提问。", "感谢语", "回答框中的提示：",
  "此审阅链接无效",
  "链接可能在传递中被改动，或该调查已不存在。请索取新的链接。",
  "此审阅链接已过期。请索取新的链接。"}},
{"zh-Hant", {"待審閱的調查草稿",
  "這是受訪者看到的「{survey}」，包含其每種語言。此頁面無法作答，也不會儲存任何內容。",
  "此連結產生後，調查已被修改。您看到的是目前版本。",
  "此連結有效期至 {date}。", "語言", "問題",
  "評分 0 到 6 之後", "評分 7 或 8 之後", "評分 9 或 10 之後",
  "追問", "不提追問。", "更多問題",
  "僅在先前的回答符合條件時提問。", "感謝語", "回答框中的提示：",
  "此審閱連結無效",
  "連結可能在傳遞中被改動，或該調查已不存在。請索取新的連結。",
  "此審閱連結已過期。請索取新的連結。"}},
{"pt", {"Rascunho da pesquisa para revisão",
  "É assim que os respondentes veem “{survey}”, em cada um dos seus idiomas. Nesta página não é possível responder nem salvar nada.",
  "A pesquisa foi alterada depois que este link foi criado. Você a vê como está agora.",
  "Este link funciona até {date}.", "Idiomas", "A pergunta",
  "Depois de uma nota de 0 a 6", "Depois de uma nota 7 ou 8", "Depois de uma nota 9 ou 10",
  "Pergunta de acompanhamento", "Nenhuma pergunta de acompanhamento é feita.", "Mais perguntas",
  "Feita só quando uma resposta anterior se encaixa.", "Mensagem de agradecimento", "Dica na caixa de resposta:",
  "Este link de revisão não funciona",
  "Ele pode ter sido alterado no caminho ou a pesquisa não existe mais. Peça um novo link.",
  "Este link de revisão expirou. Peça um novo."}},
{"pt-PT", {"Rascunho do inquérito para revisão",
  "É assim que os inquiridos veem “{survey}”, em cada uma das suas línguas. Nesta página não é possível responder nem guardar nada.",
  "O inquérito foi alterado depois de esta ligação ter sido criada. Está a vê-lo tal como está agora.",
  "Esta ligação funciona até {date}.", "Línguas", "A pergunta",
  "Depois de uma classificação de 0 a 6", "Depois de uma classificação de 7 ou 8", "Depois de uma classificação de 9 ou 10",
  "Pergunta de seguimento", "Não é feita pergunta de seguimento.", "Mais perguntas",
  "Feita apenas quando uma resposta anterior se aplica.", "Mensagem de agradecimento", "Sugestão na caixa de resposta:",
  "Esta ligação de revisão não funciona",
  "Pode ter sido alterada pelo caminho ou o inquérito já não existe. Peça uma nova ligação.",
  "Esta ligação de revisão expirou. Peça uma nova."}},
{"de", {"Umfrageentwurf zur Durchsicht",
  "So sehen Befragte „{survey}“, in jeder ihrer Sprachen. Auf dieser Seite kann nichts beantwortet oder gespeichert werden.",
  "Die Umfrage wurde geändert, seit dieser Link erstellt wurde. Sie sehen sie im aktuellen Stand.",
  "Dieser Link gilt bis {date}.", "Sprachen", "Die Frage",
  "Nach einer Bewertung von 0 bis 6", "Nach einer Bewertung von 7 oder 8", "Nach einer Bewertung von 9 oder 10",
  "Nachfrage", "Es wird keine Nachfrage gestellt.", "Weitere Fragen",
  "Wird nur gestellt, wenn eine frühere Antwort passt.", "Dankestext", "Hinweis im Antwortfeld:",
  "Dieser Link zur Durchsicht funktioniert nicht",
  "Er wurde unterwegs vielleicht verändert, oder die Umfrage gibt es nicht mehr. Bitten Sie um einen neuen Link.",
  "Dieser Link zur Durchsicht ist abgelaufen. Bitten Sie um einen neuen."}},
{"fr", {"Brouillon d’enquête à relire",
  "Voici comment les répondants voient « {survey} », dans chacune de ses langues. Sur cette page, on ne peut ni répondre ni enregistrer quoi que ce soit.",
  "L’enquête a été modifiée depuis la création de ce lien. Vous la voyez telle qu’elle est maintenant.",
  "Ce lien est valable jusqu’au {date}.", "Langues", "La question",
  "Après une note de 0 à 6", "Après une note de 7 ou 8", "Après une note de 9 ou 10",
  "Question de suivi", "Aucune question de suivi n’est posée.", "Autres questions",
  "Posée seulement si une réponse précédente correspond.", "Message de remerciement", "Indication dans la zone de réponse :",
  "Ce lien de relecture ne fonctionne pas",
  "Il a peut-être été modifié en chemin, ou l’enquête n’existe plus. Demandez un nouveau lien.",
  "Ce lien de relecture a expiré. Demandez-en un nouveau."}},
{"ja", {"確認用のアンケート下書き",
  "回答者には「{survey}」が各言語でこのように表示されます。このページでは回答も保存もできません。",
  "このリンクの作成後にアンケートが変更されました。現在の内容を表示しています。",
  "このリンクの有効期限は {date} です。", "言語", "質問",
  "0〜6 の評価の後", "7 または 8 の評価の後", "9 または 10 の評価の後",
  "フォローアップの質問", "フォローアップの質問はありません。", "追加の質問",
  "前の回答が条件に合う場合にのみ表示されます。", "お礼のメッセージ", "回答欄のヒント：",
  "この確認用リンクは使用できません",
  "途中で変更されたか、アンケートが存在しない可能性があります。新しいリンクを依頼してください。",
  "この確認用リンクは有効期限が切れています。新しいリンクを依頼してください。"}},
{"ar", {"مسودة استبيان للمراجعة",
  "هكذا يرى المشاركون «{survey}» بكل لغة من لغاته. لا يمكن الإجابة أو حفظ أي شيء في هذه الصفحة.",
  "تم تغيير الاستبيان منذ إنشاء هذا الرابط. يظهر هنا كما هو الآن.",
  "يعمل هذا الرابط حتى {date}.", "اللغات", "السؤال",
  "بعد تقييم من 0 إلى 6", "بعد تقييم 7 أو 8", "بعد تقييم 9 أو 10",
  "سؤال المتابعة", "لا يُطرح سؤال متابعة.", "أسئلة إضافية",
  "يُطرح فقط عندما تناسبه إجابة سابقة.", "رسالة الشكر", "التلميح في مربع الإجابة:",
  "رابط المراجعة هذا لا يعمل",
  "ربما تم تغييره في الطريق أو لم يعد الاستبيان موجودًا. يُرجى طلب رابط جديد.",
  "انتهت صلاحية رابط المراجعة هذا. يُرجى طلب رابط جديد."}},
{"he", {"טיוטת סקר לבדיקה",
  "כך המשיבים רואים את „{survey}”, בכל אחת מהשפות שלו. אי אפשר לענות או לשמור דבר בדף הזה.",
  "הסקר השתנה מאז שהקישור נוצר. מוצגת הגרסה הנוכחית.",
  "הקישור תקף עד {date}.", "שפות", "השאלה",
  "אחרי ציון 0 עד 6", "אחרי ציון 7 או 8", "אחרי ציון 9 או 10",
  "שאלת המשך", "לא נשאלת שאלת המשך.", "שאלות נוספות",
  "נשאלת רק כשתשובה קודמת מתאימה.", "הודעת התודה", "רמז בתיבת התשובה:",
  "קישור הבדיקה הזה לא עובד",
  "ייתכן שהוא שונה בדרך או שהסקר כבר לא קיים. אפשר לבקש קישור חדש.",
  "תוקף קישור הבדיקה פג. אפשר לבקש קישור חדש."}},
}};
// clang-format on

} // namespace

std::string_view text(std::string_view locale, Text t) noexcept {
  return detail::table_text(table, locale, static_cast<std::size_t>(t));
}

} // namespace nps::review_texts
