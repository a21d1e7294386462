#include "sms_texts.hpp"

#include "nps/i18n.hpp"

#include <array>

namespace npsd::sms {

namespace {

struct Row {
  std::string_view tag, clarify, unsubscribed;
};

// The scale's end labels are the built-in ones (core/src/i18n_texts.cpp, docs/glossary.md),
// written in the sentence's case.
constexpr std::array<Row, 12> rows = {{
    {"en", "Please reply with one number from 0 (not at all likely) to 10 (extremely likely).",
     "You have been unsubscribed and will receive no more messages."},
    {"es", "Responda con un solo número del 0 (nada probable) al 10 (extremadamente probable).",
     "Se ha dado de baja y no recibirá más mensajes."},
    {"ru", "Пожалуйста, ответьте одним числом от 0 (точно не порекомендую) до 10 (точно порекомендую).",
     "Вы отписались и больше не будете получать сообщения."},
    {"zh-Hans", "请只回复一个数字：0（完全不可能）到 10（极有可能）。",
     "您已退订，今后不会再收到我们的短信。"},
    {"zh-Hant", "請只回覆一個數字：0（完全不可能）到 10（極有可能）。",
     "您已取消訂閱，今後不會再收到我們的簡訊。"},
    {"pt", "Responda com um único número de 0 (nada provável) a 10 (extremamente provável).",
     "Sua inscrição foi cancelada e você não receberá mais mensagens."},
    {"pt-PT", "Responda com um único número de 0 (nada provável) a 10 (extremamente provável).",
     "A sua subscrição foi cancelada e não receberá mais mensagens."},
    {"de",
     "Bitte antworten Sie mit einer einzigen Zahl von 0 (äußerst unwahrscheinlich) bis 10 (äußerst "
     "wahrscheinlich).",
     "Sie wurden abgemeldet und erhalten keine weiteren Nachrichten."},
    {"fr", "Veuillez répondre par un seul nombre, de 0 (pas du tout probable) à 10 (extrêmement probable).",
     "Votre désinscription est confirmée\u00A0: vous ne recevrez plus de messages."},
    {"ja", "0（まったく可能性がない）から10（非常に可能性が高い）までの数字を1つだけ返信してください。",
     "配信を停止しました。今後メッセージは届きません。"},
    {"ar", "يُرجى الرد برقم واحد من 0 (غير محتمل على الإطلاق) إلى 10 (محتمل للغاية).",
     "تم إلغاء اشتراكك ولن تصلك رسائل أخرى."},
    {"he", "נא להשיב במספר אחד בלבד, מ-0 (בכלל לא סביר) עד 10 (סביר מאוד).",
     "הוסרתם מהרשימה ולא תקבלו הודעות נוספות."},
}};

} // namespace

std::string_view text(std::string_view locale, SmsText t) noexcept {
  const std::string_view lang = nps::i18n::texts_locale(locale);
  for (const auto& r : rows)
    if (r.tag == lang) return t == SmsText::clarify ? r.clarify : r.unsubscribed;
  return t == SmsText::clarify ? rows[0].clarify : rows[0].unsubscribed;
}

} // namespace npsd::sms
