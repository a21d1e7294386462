// The survey e-mail as bytes (issue 14): encoded words, quoted-printable, the message's
// headers and parts. The whole message is read back by Python's email package in
// tests/email/test_campaign.py.
#include "email_render.hpp"
#include "signed_links.hpp"

#include "nps/survey.hpp"

#include "nps/alert_texts.hpp"
#include "nps/i18n.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace npsd;

namespace {

std::string qp_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '=' && i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') {
      i += 2;
    } else if (s[i] == '=') {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

} // namespace

TEST_CASE("e-mail: quoted-printable keeps every line within 76 characters and decodes to the text",
          "[email]") {
  const std::string text = std::string(300, 'a') + " = ñandú 李 \r\n" + "trailing space \r\nend";
  const auto qp = quoted_printable(text);
  std::size_t start = 0;
  while (start < qp.size()) {
    auto end = qp.find("\r\n", start);
    if (end == std::string::npos) end = qp.size();
    CHECK(end - start <= 76);
    start = end + 2;
  }
  CHECK(qp_decode(qp) == text);
  CHECK(qp.find("space=20\r\n") != std::string::npos); // a space before a line break is encoded
  for (unsigned char ch : qp)
    CHECK(ch < 128);
}

TEST_CASE("e-mail: headers are plain ASCII as given, otherwise UTF-8 encoded words of at most 75 characters",
          "[email]") {
  CHECK(encode_header_words("A quick question about Acme") == "A quick question about Acme");
  const auto w = encode_header_words("Короткий вопрос о Яндекс Еде и о том, как вам наш сервис сегодня");
  CHECK(w.rfind("=?UTF-8?B?", 0) == 0);
  std::size_t start = 0;
  std::string decoded;
  while (start < w.size()) {
    auto end = w.find("\r\n ", start);
    if (end == std::string::npos) end = w.size();
    const auto word = w.substr(start, end - start);
    CHECK(word.size() <= 75);
    std::string b64 = word.substr(10, word.size() - 12);
    while (!b64.empty() && b64.back() == '=')
      b64.pop_back();
    for (auto& ch : b64)
      ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
    auto bytes = from_base64url(b64);
    REQUIRE(bytes);
    decoded += *bytes;
    start = end + 3;
  }
  CHECK(decoded == "Короткий вопрос о Яндекс Еде и о том, как вам наш сервис сегодня");
  CHECK(rfc5322_date(1'750'000'000'000) == "Sun, 15 Jun 2025 15:06:40 +0000");
}

TEST_CASE("e-mail: the message carries unsubscribe headers, a Message-ID and two quoted-printable parts "
          "with eleven coloured buttons",
          "[email]") {
  auto survey = nps::parse_survey({{"id", "shop"}, {"product", "Acme"}});
  REQUIRE(survey);
  std::vector<std::string> urls;
  for (int s = 0; s <= 10; ++s)
    urls.push_back("https://nps.example/r/token-" + std::to_string(s));
  const auto content = render_email(*survey, {"ar"}, urls, "https://nps.example/u/x");
  CHECK(content.locale == "ar");
  CHECK(content.html.find("dir=\"rtl\"") != std::string::npos);
  CHECK(content.subject.find("Acme") != std::string::npos);
  for (const auto& u : urls) {
    CHECK(content.html.find("href=\"" + u + "\"") != std::string::npos);
    CHECK(content.text.find(u) != std::string::npos);
  }
  const Envelope env{"Acme",
                     "surveys@acme.test",
                     "عمر",
                     "omar@example.com",
                     "nps.1.2@acme.test",
                     1'750'000'000'000,
                     "https://nps.example/u/x"};
  const auto m = build_message(env, content, "=_b");
  CHECK(m.find("List-Unsubscribe: <https://nps.example/u/x>\r\n") != std::string::npos);
  CHECK(m.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n") != std::string::npos);
  CHECK(m.find("Message-ID: <nps.1.2@acme.test>\r\n") != std::string::npos);
  CHECK(m.find("To: =?UTF-8?B?") != std::string::npos);
  CHECK(m.find("Content-Transfer-Encoding: quoted-printable") != std::string::npos);
  for (unsigned char ch : m)
    REQUIRE(ch < 128);
}

TEST_CASE("i18n: the e-mail alert texts exist in every built-in language, each row its own",
          "[email][i18n]") {
  for (const auto& l : nps::i18n::builtin_locales()) {
    std::set<std::string_view> distinct;
    for (int i = 0; i < nps::alert_texts::text_count; ++i) {
      const auto t = nps::alert_texts::text(l, static_cast<nps::alert_texts::Text>(i));
      INFO(l << " text " << i);
      CHECK_FALSE(t.empty());
      distinct.insert(t);
    }
    // subject and subject_changed differ; category names differ; nothing copied by a shifted row
    CHECK(distinct.size() >= static_cast<std::size_t>(nps::alert_texts::text_count) - 1);
    CHECK(nps::alert_texts::text(l, nps::alert_texts::Text::subject).find("{score}") !=
          std::string_view::npos);
  }
  CHECK(nps::alert_texts::text("es-MX", nps::alert_texts::Text::open) == "Abrir el seguimiento");
  CHECK(nps::alert_texts::text("xx", nps::alert_texts::Text::comment) == "Comment");
}

TEST_CASE(
    "e-mail: a survey with a qualifying question is sent with its score buttons (the link brings the score)",
    "[email]") {
  auto survey = nps::parse_survey(
      {{"id", "shop"},
       {"product", "Acme"},
       {"qualify",
        {{"question",
          {{"id", "bought"},
           {"type", "single"},
           {"text", "Did you buy this month?"},
           {"options", {{{"id", "yes"}, {"label", "Yes"}}, {{"id", "no"}, {"label", "No"}}}}}},
         {"accept", {"yes"}}}}});
  REQUIRE(survey);
  std::vector<std::string> urls;
  for (int s = 0; s <= 10; ++s)
    urls.push_back("https://nps.example/r/token-" + std::to_string(s));
  const auto content = render_email(*survey, {"en"}, urls, "https://nps.example/u/x");
  CHECK(content.html.find("Acme") != std::string::npos);
  for (const auto& u : urls)
    CHECK(content.html.find("href=\"" + u + "\"") != std::string::npos);
  CHECK(content.html.find("Did you buy this month?") == std::string::npos);
}
