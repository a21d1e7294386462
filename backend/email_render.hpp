// The survey e-mail (issue 14): its HTML (table layout, eleven buttons red / yellow / green
// by category, VML buttons for desktop Outlook, dark-mode friendly, right to left for
// ar/he) and plain text in the contact's language, and the whole RFC 5322 message:
// multipart/alternative, both parts quoted-printable UTF-8, RFC 2047 subject and names,
// Message-ID, Date, List-Unsubscribe with List-Unsubscribe-Post (RFC 8058 one-click).
#pragma once

#include "storage.hpp"

#include "nps/survey.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace npsd {

struct EmailContent {
  std::string locale; // the language it was written in
  std::string subject, html, text;
};

// `score_urls`: the eleven signed links, 0 first.
[[nodiscard]] EmailContent render_email(const nps::Survey& survey, const std::vector<std::string>& languages,
                                        const std::vector<std::string>& score_urls,
                                        const std::string& unsubscribe_url);

struct Envelope {
  std::string from_name, from_address;
  std::string to_name, to_address;
  std::string message_id; // without <>: "1.42@nps.example.com"
  Millis date = 0;
  std::string unsubscribe_url; // https: one-click POST and the visible link ("": none, an alert)
};

// The message as sent: CRLF lines, 7-bit clean.
[[nodiscard]] std::string build_message(const Envelope& env, const EmailContent& content,
                                        const std::string& boundary);

// RFC 2047 encoded-words (UTF-8, B) when the text is not plain printable ASCII, each word at
// most 75 characters and cut between characters; plain text otherwise.
[[nodiscard]] std::string encode_header_words(std::string_view text);
// Quoted-printable (RFC 2045): lines at most 76 characters, CRLF line breaks kept.
[[nodiscard]] std::string quoted_printable(std::string_view text);
// "Sun, 29 Nov 2026 07:00:00 +0000"
[[nodiscard]] std::string rfc5322_date(Millis t);

} // namespace npsd
