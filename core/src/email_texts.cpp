// The texts of e-mail surveys and their landing pages (data): one row per built-in
// language, in the order of enum Text. Words follow docs/glossary.md; Arabic and Hebrew
// address the reader without a gender, as the core's own texts do.
#include "nps/email_texts.hpp"

#include "text_table.hpp"

#include <array>

namespace nps::email_texts {

namespace {

struct Row {
  std::string_view tag;
  std::array<std::string_view, text_count> texts;
};

// clang-format off
constexpr std::array<Row, 12> table = {{
{"en", {"Your feedback", "Your answer: {score}", "Not what you meant? Choose another number.",
  "Press Send to record your answer.", "Thank you, your answer is saved.",
  "Someone from our team will get back to you.", "Would you write a few words we may share?",
  "You may quote my words", "Would you also leave a review?", "Thank you, we have your comments.",
  "This link does not work", "It may have been changed on the way or belong to another survey. Nothing was recorded.",
  "This link has expired. Nothing was recorded.", "You have already answered. Thank you!",
  "One question, one click:", "A quick question about {product}",
  "You receive this e-mail as a customer of {product}.", "Unsubscribe",
  "You will receive no more surveys from us.", "Stop receiving surveys"}},
{"es", {"Tu opinión", "Tu respuesta: {score}", "¿No era lo que querías? Elige otro número.",
  "Pulsa Enviar para guardar tu respuesta.", "Gracias, tu respuesta se ha guardado.",
  "Alguien de nuestro equipo se pondrá en contacto contigo.", "¿Nos escribes unas palabras que podamos compartir?",
  "Podéis citar mis palabras", "¿Quieres dejar también una reseña?", "Gracias, hemos recibido tus comentarios.",
  "Este enlace no funciona", "Puede que se haya modificado por el camino o que sea de otra encuesta. No se ha guardado nada.",
  "Este enlace ha caducado. No se ha guardado nada.", "Ya has respondido. ¡Gracias!",
  "Una pregunta, un clic:", "Una pregunta rápida sobre {product}",
  "Recibes este correo como cliente de {product}.", "Darse de baja",
  "No volverás a recibir encuestas nuestras.", "Dejar de recibir encuestas"}},
{"ru", {"Ваш отзыв", "Ваш ответ: {score}", "Не то? Выберите другую оценку.",
  "Нажмите «Отправить», чтобы сохранить ответ.", "Спасибо, ваш ответ сохранён.",
  "Наш сотрудник свяжется с вами.", "Напишете несколько слов, которыми мы сможем поделиться?",
  "Можно цитировать мои слова", "Оставите ещё и отзыв?", "Спасибо, мы получили ваши комментарии.",
  "Ссылка не работает", "Возможно, её изменили по пути или она от другого опроса. Ничего не сохранено.",
  "Срок действия ссылки истёк. Ничего не сохранено.", "Вы уже ответили. Спасибо!",
  "Один вопрос, один клик:", "Короткий вопрос о {product}",
  "Вы получили это письмо как клиент {product}.", "Отписаться",
  "Мы больше не будем присылать вам опросы.", "Больше не получать опросы"}},
{"zh-Hans", {"您的反馈", "您的评分：{score}", "不是您想选的？请选择其他分数。",
  "请点击“发送”提交您的评分。", "谢谢，您的评分已保存。",
  "我们的团队会有人与您联系。", "能写几句我们可以分享的话吗？",
  "允许引用我的话", "愿意再留下一条评价吗？", "谢谢，我们已收到您的意见。",
  "此链接无效", "链接可能在传递中被改动，或属于其他调查。未记录任何内容。",
  "此链接已过期。未记录任何内容。", "您已经回答过了。谢谢！",
  "一个问题，一次点击：", "关于{product}的一个小问题",
  "您收到此邮件，是因为您是{product}的客户。", "退订",
  "您将不会再收到我们的调查。", "不再接收调查"}},
{"zh-Hant", {"您的意見", "您的評分：{score}", "不是您想選的？請選擇其他分數。",
  "請按「傳送」提交您的評分。", "謝謝，您的評分已儲存。",
  "我們的團隊會有人與您聯絡。", "能寫幾句我們可以分享的話嗎？",
  "允許引用我的話", "願意再留下一則評論嗎？", "謝謝，我們已收到您的意見。",
  "此連結無效", "連結可能在傳遞中被更改，或屬於其他調查。未記錄任何內容。",
  "此連結已過期。未記錄任何內容。", "您已經回答過了。謝謝！",
  "一個問題，一次點擊：", "關於{product}的一個小問題",
  "您收到此郵件，是因為您是{product}的客戶。", "取消訂閱",
  "您將不會再收到我們的調查。", "不再接收調查"}},
{"pt", {"Sua opinião", "Sua resposta: {score}", "Não era isso? Escolha outro número.",
  "Toque em Enviar para registrar sua resposta.", "Obrigado, sua resposta foi salva.",
  "Alguém da nossa equipe entrará em contato com você.", "Você escreveria algumas palavras que possamos compartilhar?",
  "Vocês podem citar minhas palavras", "Quer deixar também uma avaliação?", "Obrigado, recebemos seus comentários.",
  "Este link não funciona", "Ele pode ter sido alterado no caminho ou ser de outra pesquisa. Nada foi registrado.",
  "Este link expirou. Nada foi registrado.", "Você já respondeu. Obrigado!",
  "Uma pergunta, um clique:", "Uma pergunta rápida sobre {product}",
  "Você recebe este e-mail como cliente de {product}.", "Cancelar inscrição",
  "Você não receberá mais pesquisas nossas.", "Parar de receber pesquisas"}},
{"pt-PT", {"A sua opinião", "A sua resposta: {score}", "Não era isso? Escolha outro número.",
  "Carregue em Enviar para registar a sua resposta.", "Obrigado, a sua resposta foi guardada.",
  "Alguém da nossa equipa entrará em contacto consigo.", "Escreveria algumas palavras que possamos partilhar?",
  "Podem citar as minhas palavras", "Quer deixar também uma avaliação?", "Obrigado, recebemos os seus comentários.",
  "Esta ligação não funciona", "Pode ter sido alterada pelo caminho ou pertencer a outro inquérito. Nada foi registado.",
  "Esta ligação expirou. Nada foi registado.", "Já respondeu. Obrigado!",
  "Uma pergunta, um clique:", "Uma pergunta rápida sobre {product}",
  "Recebe este e-mail como cliente de {product}.", "Cancelar subscrição",
  "Não voltará a receber inquéritos nossos.", "Deixar de receber inquéritos"}},
{"de", {"Ihr Feedback", "Ihre Antwort: {score}", "Nicht gemeint? Wählen Sie eine andere Zahl.",
  "Klicken Sie auf Senden, um Ihre Antwort zu speichern.", "Danke, Ihre Antwort ist gespeichert.",
  "Jemand aus unserem Team meldet sich bei Ihnen.", "Möchten Sie ein paar Worte schreiben, die wir teilen dürfen?",
  "Sie dürfen meine Worte zitieren", "Möchten Sie auch eine Bewertung schreiben?", "Danke, wir haben Ihre Anmerkungen erhalten.",
  "Dieser Link funktioniert nicht", "Er wurde unterwegs verändert oder gehört zu einer anderen Umfrage. Es wurde nichts gespeichert.",
  "Dieser Link ist abgelaufen. Es wurde nichts gespeichert.", "Sie haben bereits geantwortet. Danke!",
  "Eine Frage, ein Klick:", "Eine kurze Frage zu {product}",
  "Sie erhalten diese E-Mail als Kunde von {product}.", "Abmelden",
  "Sie erhalten keine Umfragen mehr von uns.", "Keine Umfragen mehr erhalten"}},
{"fr", {"Votre avis", "Votre réponse\u00a0: {score}", "Ce n’est pas ce que vous vouliez\u00a0? Choisissez une autre note.",
  "Appuyez sur Envoyer pour enregistrer votre réponse.", "Merci, votre réponse est enregistrée.",
  "Quelqu’un de notre équipe reviendra vers vous.", "Écririez-vous quelques mots que nous pourrions partager\u00a0?",
  "Vous pouvez citer mes propos", "Laisseriez-vous aussi un avis\u00a0?", "Merci, nous avons bien reçu vos commentaires.",
  "Ce lien ne fonctionne pas", "Il a peut-être été modifié en route ou appartient à une autre enquête. Rien n’a été enregistré.",
  "Ce lien a expiré. Rien n’a été enregistré.", "Vous avez déjà répondu. Merci\u00a0!",
  "Une question, un clic\u00a0:", "Une petite question sur {product}",
  "Vous recevez cet e-mail en tant que client de {product}.", "Se désabonner",
  "Vous ne recevrez plus d’enquêtes de notre part.", "Ne plus recevoir d’enquêtes"}},
{"ja", {"ご意見", "あなたの回答：{score}", "違う場合は、別の数字を選んでください。",
  "「送信」を押すと回答が記録されます。", "ありがとうございます。回答を保存しました。",
  "担当者よりご連絡いたします。", "紹介させていただける一言をお書きいただけますか？",
  "私の言葉を引用してもかまいません", "レビューも書いていただけますか？", "ありがとうございます。コメントを受け取りました。",
  "このリンクは無効です", "途中で変更されたか、別のアンケートのリンクです。何も記録されていません。",
  "このリンクは有効期限が切れています。何も記録されていません。", "すでに回答済みです。ありがとうございます！",
  "1つの質問、1回のクリック：", "{product}についての簡単な質問",
  "{product}のお客様にこのメールをお送りしています。", "配信停止",
  "今後アンケートはお送りしません。", "アンケートの受信を停止する"}},
{"ar", {"رأيك", "إجابتك: {score}", "ليس هذا ما قصدته؟ يُرجى اختيار رقم آخر.",
  "يُرجى الضغط على «إرسال» لتسجيل الإجابة.", "شكرًا، حُفظت إجابتك.",
  "سيتواصل معك أحد أعضاء فريقنا.", "هل يمكن كتابة بضع كلمات نشاركها؟",
  "أوافق على اقتباس كلماتي", "هل يمكن أيضًا كتابة مراجعة؟", "شكرًا، وصلتنا ملاحظاتك.",
  "هذا الرابط لا يعمل", "ربما تغيّر في الطريق أو يخص استطلاعًا آخر. لم يُسجَّل شيء.",
  "انتهت صلاحية هذا الرابط. لم يُسجَّل شيء.", "سبقت الإجابة. شكرًا!",
  "سؤال واحد، نقرة واحدة:", "سؤال سريع حول {product}",
  "تصلك هذه الرسالة بصفتك عميلًا لدى {product}.", "إلغاء الاشتراك",
  "لن تصلك منا استطلاعات بعد الآن.", "إيقاف استلام الاستطلاعات"}},
{"he", {"המשוב שלכם", "התשובה שלכם: {score}", "לא לזה התכוונתם? אפשר לבחור מספר אחר.",
  "יש ללחוץ על „שליחה” כדי לשמור את התשובה.", "תודה, התשובה נשמרה.",
  "מישהו מהצוות שלנו יחזור אליכם.", "תרצו לכתוב כמה מילים שנוכל לשתף?",
  "מותר לצטט את דבריי", "תרצו גם לכתוב ביקורת?", "תודה, קיבלנו את ההערות שלכם.",
  "הקישור הזה לא עובד", "ייתכן שהוא שונה בדרך או שייך לסקר אחר. דבר לא נשמר.",
  "תוקף הקישור פג. דבר לא נשמר.", "כבר עניתם. תודה!",
  "שאלה אחת, לחיצה אחת:", "שאלה קצרה על {product}",
  "הודעה זו נשלחה אליכם כלקוחות של {product}.", "הסרה מרשימת התפוצה",
  "לא נשלח אליכם יותר סקרים.", "הפסקת קבלת סקרים"}},
}};
// clang-format on

} // namespace

std::string_view text(std::string_view locale, Text t) noexcept {
  return detail::table_text(table, locale, static_cast<std::size_t>(t));
}

} // namespace nps::email_texts
