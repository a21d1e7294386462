// One SMTP connection through libcurl (issue 14): smtp:// (optionally STARTTLS, required
// when `starttls`), smtps://, AUTH when a user is given. No SMTP is spoken here by hand:
// libcurl does the protocol, dot-stuffing included, and keeps the connection open between
// messages.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace npsd {

struct SmtpConfig {
  std::string url; // smtp://relay.example.com:587 or smtps://relay.example.com:465
  std::string username, password;
  bool starttls = false; // smtp:// must upgrade with STARTTLS (refuses to send otherwise)
  long timeout_seconds = 60;
  std::string helo = "npsd"; // the name given in EHLO
};

// abandoned: `before_end` said no; the connection was dropped before the end of DATA, so
// the relay did not accept the message.
enum class SmtpOutcome { sent, temporary, permanent, abandoned };
struct SmtpResult {
  SmtpOutcome outcome = SmtpOutcome::temporary;
  long code = 0;     // the server's last reply code (0: no reply, e.g. no connection)
  std::string error; // libcurl's words, "" when sent
};

class SmtpClient {
public:
  explicit SmtpClient(SmtpConfig config);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // Sends `message` (CRLF lines) to one recipient. `before_end` runs once, after the whole
  // body was handed to libcurl and before the end of DATA is sent: until then the server
  // cannot have accepted the message; when it returns false the message is abandoned.
  // 4xx replies and connection failures are temporary, 5xx permanent.
  SmtpResult send(const std::string& from, const std::string& to, const std::string& message,
                  const std::function<bool()>& before_end = {});

private:
  SmtpConfig config_;
  void* curl_ = nullptr;
};

} // namespace npsd
