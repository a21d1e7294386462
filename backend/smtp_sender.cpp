// One SMTP connection through libcurl (see smtp_sender.hpp).
#include "smtp_sender.hpp"

#include <curl/curl.h>

#include <cstring>
#include <mutex>
#include <stdexcept>

namespace npsd {

namespace {

std::once_flag g_curl_init;

struct Upload {
  const std::string* data;
  std::size_t at = 0;
  const std::function<bool()>* before_end;
  bool ended = false, abandoned = false;
};

std::size_t read_body(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t room = size * n;
  const std::size_t left = u->data->size() - u->at;
  if (left == 0) {
    if (!u->ended) {
      u->ended = true;
      if (*u->before_end && !(*u->before_end)()) {
        u->abandoned = true;
        return CURL_READFUNC_ABORT;
      }
    }
    return 0;
  }
  const std::size_t take = std::min(room, left);
  std::memcpy(buf, u->data->data() + u->at, take);
  u->at += take;
  return take;
}

} // namespace

SmtpClient::SmtpClient(SmtpConfig config) : config_(std::move(config)) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("libcurl could not start");
}

SmtpClient::~SmtpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

SmtpResult SmtpClient::send(const std::string& from, const std::string& to, const std::string& message,
                            const std::function<bool()>& before_end) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c); // options only: the connection stays open in the handle's cache
  const std::string mail_from = "<" + from + ">";
  const std::string rcpt_to = "<" + to + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, rcpt_to.c_str());
  Upload up{&message, 0, &before_end};
  // The EHLO name: libcurl takes it from the URL's path ("smtp://host:port/name").
  std::string url = config_.url;
  if (url.find('/', url.find("://") + 3) == std::string::npos) url += "/" + config_.helo;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  // No CURLOPT_INFILESIZE: with a known size libcurl stops reading once it has that many bytes
  // and never asks again, so read_body's end (where before_end runs) would never be reached
  // and the end of DATA would go out unguarded (test_smtp_client.cpp).
  curl_easy_setopt(c, CURLOPT_TIMEOUT, config_.timeout_seconds);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (config_.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!config_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(rcpt);
  SmtpResult r;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.code);
  if (rc == CURLE_OK) {
    r.outcome = SmtpOutcome::sent;
    return r;
  }
  r.error = curl_easy_strerror(rc);
  if (up.abandoned) {
    r.outcome = SmtpOutcome::abandoned; // libcurl closes a connection aborted mid-transfer
    return r;
  }
  r.outcome = r.code >= 500 && r.code < 600 ? SmtpOutcome::permanent : SmtpOutcome::temporary;
  return r;
}

} // namespace npsd
