// `npsd demo-data` against a storage that only counts: how the answers reach storage (in
// bounded batches, oldest first), how much memory making them takes, and that a seed still
// gives the answers it always gave.
#include "auth.hpp"
#include "demo_data.hpp"
#include "funnel_store.hpp"
#include "nps/json.hpp"
#include "webhook_store.hpp"

#include <catch2/catch.hpp>

#include <malloc.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>

using namespace npsd;

namespace {

// Bytes the process has allocated and not freed (glibc: small chunks and mmapped ones).
// Under a sanitizer's allocator glibc sees nothing and this stays near 0: the memory check
// then proves nothing but cannot fail; the batch checks still hold.
std::size_t heap_in_use() {
  const auto m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

// The funnel's counters as raise() leaves them.
class KeptFunnel final : public FunnelStore {
public:
  std::vector<FunnelCount> kept;
  void count(const std::string&, std::int32_t, const std::string&, const std::string&) override {
    throw std::logic_error("the demo data raises its counters in one call");
  }
  std::vector<FunnelTotal> totals(const std::string&, std::int32_t, std::int32_t) const override {
    return {};
  }
  std::vector<FunnelCount> counters(const std::string&) const override { return kept; }
  void raise(const std::string&, const std::vector<FunnelCount>& counters) override {
    kept.insert(kept.end(), counters.begin(), counters.end());
  }
};

// A Storage that keeps the demo survey and counts the answers handed to it; with
// `keep_rows`, it also keeps them.
class CountingStorage final : public Storage {
public:
  explicit CountingStorage(bool keep_rows) : keep_rows_(keep_rows), heap_at_start_(heap_in_use()) {}

  std::size_t writes = 0, rows = 0, largest_write = 0;
  std::size_t most_heap_at_a_write = 0; // above what was in use when the fake was made
  bool oldest_first = true;
  std::vector<std::pair<nps::Response, Millis>> kept;

  std::optional<SurveyRecord> survey(const std::string& id) const override {
    if (survey_ && survey_->id == id) return survey_;
    return std::nullopt;
  }
  SurveyRecord put_survey(const SurveyRecord& s, Millis now) override {
    survey_ = s;
    survey_->version = 1;
    survey_->updated_at = now;
    return *survey_;
  }
  InsertOutcome insert_response(const nps::Response& r, Millis received_at, std::uint32_t) override {
    std::lock_guard lock(mu_);
    receive({{r, received_at}});
    return InsertOutcome{Inserted::created, {static_cast<std::int64_t>(rows), r, received_at}};
  }
  std::size_t import_responses(const std::vector<std::pair<nps::Response, Millis>>& batch) override {
    std::lock_guard lock(mu_);
    receive(batch);
    return batch.size();
  }

  // Not used by the demo data.
  SmsStore& sms() override { throw std::logic_error("not used"); }
  EmailStore& email() override { throw std::logic_error("the demo data sends no e-mail"); }
  std::vector<SurveyRecord> surveys() const override { return {}; }
  bool set_archived(const std::string&, bool, Millis) override { return false; }
  std::optional<StoredResponse> update_response(const nps::Response&) override { return std::nullopt; }
  std::optional<StoredResponse> find_response(const std::string&, const std::string&) const override {
    return std::nullopt;
  }
  ResponsePage list_responses(const ResponseFilter&, std::optional<std::int64_t>,
                              std::size_t) const override {
    return {};
  }
  ResponsePage promoters(const std::string&, std::optional<std::int64_t>, std::size_t) const override {
    return {};
  }
  std::uint64_t count_responses(const std::string&) const override { return rows; }
  std::vector<TallyGroupRow> score_groups(const ResponseFilter&,
                                          const std::optional<std::string>&) const override {
    return {};
  }
  std::vector<TallyRow> tallies(const std::string&, std::int32_t, std::int32_t) const override { return {}; }
  std::vector<TallyGroupRow> tally_groups(const TallyQuery&) const override { return {}; }
  nps::Tally scan_tally(const std::string&) const override { return {}; }
  TokenRecord add_token(const TokenRecord& t) override { return t; }
  std::vector<TokenRecord> tokens() const override { return {}; }
  bool delete_token(std::int64_t) override { return false; }
  std::optional<UserRecord> add_user(const UserRecord& u) override { return u; }
  std::vector<UserRecord> users() const override { return {}; }
  std::optional<UserRecord> user_by_email(const std::string&) const override { return std::nullopt; }
  bool delete_user(std::int64_t) override { return false; }
  bool update_user(std::int64_t, std::optional<Role>, std::optional<std::string>) override { return false; }
  void add_session(const SessionRecord&) override {}
  std::optional<SessionRecord> session(const std::string&) const override { return std::nullopt; }
  void delete_session(const std::string&) override {}
  std::vector<FollowUp> follow_ups(const FollowUpFilter&, std::optional<std::int64_t>,
                                   std::size_t) const override {
    return {};
  }
  std::optional<FollowUp> follow_up(const std::string&, std::int64_t, bool) const override {
    return std::nullopt;
  }
  std::optional<FollowUp> change_follow_up(const std::string&, std::int64_t, bool, const FollowUpChange&,
                                           Millis) override {
    return std::nullopt;
  }
  std::vector<StoredResponse> respondent(const std::string&) const override { return {}; }
  std::size_t delete_respondent(const std::string&) override { return 0; }
  std::size_t apply_retention(Millis, RetentionMode) override { return 0; }
  std::size_t pending_writes() const override { return 0; }
  WebhookStore& webhooks() override { throw std::logic_error("the demo data writes no webhooks"); }
  ThemesStore& themes() override { throw StorageError("not kept by this fake"); }
  FunnelStore& funnel() override { return funnel_; }
  KeptFunnel funnel_;

private:
  void receive(const std::vector<std::pair<nps::Response, Millis>>& batch) {
    const auto heap = heap_in_use();
    most_heap_at_a_write = std::max(most_heap_at_a_write, heap > heap_at_start_ ? heap - heap_at_start_ : 0);
    ++writes;
    rows += batch.size();
    largest_write = std::max(largest_write, batch.size());
    for (const auto& [r, at] : batch) {
      if (at < last_at_) oldest_first = false;
      last_at_ = at;
      if (keep_rows_) kept.emplace_back(r, at);
    }
  }

  bool keep_rows_;
  std::size_t heap_at_start_;
  Millis last_at_ = 0;
  std::optional<SurveyRecord> survey_;
  std::mutex mu_;
};

constexpr Millis kNow = 1'750'000'000'000; // 2025-06-15

} // namespace

TEST_CASE("demo data: answers reach storage in bounded batches, oldest first, without all of them in memory",
          "[server][storage][demo]") {
  CountingStorage storage(false);
  DemoOptions o;
  o.count = 100'000;
  CHECK(fill_demo_data(storage, kNow, o) == o.count);
  CHECK(storage.rows == o.count);
  CHECK(storage.writes == o.count / kDemoBatch);
  CHECK(storage.largest_write <= kDemoBatch);
  CHECK(storage.oldest_first);
  // 100,000 answers made into responses before the first write take about 60 MB; a batch
  // of 10,000 and the drawn answers (a few bytes each) about a tenth of it.
  CAPTURE(storage.most_heap_at_a_write);
  CHECK(storage.most_heap_at_a_write < 24u * 1024 * 1024);
}

TEST_CASE("demo data: a seed gives the same answers it always gave", "[server][storage][demo]") {
  CountingStorage storage(true);
  DemoOptions o;
  o.count = 500;
  REQUIRE(fill_demo_data(storage, kNow, o) == o.count);
  // Every answer as the core stores it, in key order, with its age: a digest that was
  // taken from the generator before its answers were stored in batches.
  auto rows = storage.kept;
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first.idempotency_key < b.first.idempotency_key; });
  std::string all;
  for (const auto& [r, at] : rows)
    all += nps::dump(nps::to_json(r)) + " " + std::to_string(kNow - at) + "\n";
  // Changed once on purpose: comments in their answer's language (the draws are the same; only
  // which comment a drawn index names changed).
  CHECK(sha256_hex(all) == "334bf9621cd51bc55e3d3e13dd63360428e669fde645c7c1ee19bacdb647e4a1");
}

TEST_CASE("demo data: the website and the app counted more impressions than answers each day, e-mail none",
          "[server][storage][demo][funnel]") {
  CountingStorage storage(true);
  DemoOptions o;
  o.count = 3000;
  REQUIRE(fill_demo_data(storage, kNow, o) == o.count);
  std::map<std::tuple<std::int32_t, std::string, std::string>, std::uint64_t> counted;
  for (const auto& c : storage.funnel_.kept)
    counted[{c.day, c.channel, c.event}] += c.count;
  std::map<std::pair<std::int32_t, std::string>, std::uint64_t> answered;
  for (const auto& [r, at] : storage.kept)
    ++answered[{day_of(at), std::string(nps::to_string(r.channel))}];
  std::size_t days = 0;
  for (const auto& [key, n] : answered) {
    const auto& [day, channel] = key;
    CAPTURE(day, channel, n);
    if (channel == "email") {
      CHECK(counted.count({day, channel, "shown"}) == 0);
      continue;
    }
    const auto shown = counted[{day, channel, "shown"}], dismissed = counted[{day, channel, "dismissed"}];
    // A response rate of 18-45%, and some of the others closed it.
    CHECK(shown * 45 >= n * 100);
    CHECK(shown * 18 <= n * 100 + 100);
    CHECK(dismissed <= shown - n);
    ++days;
  }
  CHECK(days > 100);
  // Every counter belongs to a day and channel that has answers.
  for (const auto& [key, n] : counted)
    CHECK(answered.count({std::get<0>(key), std::get<1>(key)}) == 1);
}

TEST_CASE("demo data: each comment is in its answer's language", "[server][storage][demo]") {
  CountingStorage storage(true);
  DemoOptions o;
  o.count = 3000;
  REQUIRE(fill_demo_data(storage, kNow, o) == o.count);
  // Cyrillic letters are 0xD0/0xD1 lead bytes in UTF-8, CJK ideographs 0xE4-0xE9.
  auto has = [](const std::string& s, unsigned char from, unsigned char to) {
    return std::any_of(s.begin(), s.end(), [&](char c) {
      const auto b = static_cast<unsigned char>(c);
      return b >= from && b <= to;
    });
  };
  std::map<std::string, std::size_t> seen;
  for (const auto& [r, at] : storage.kept) {
    if (!r.comment) continue;
    const std::string locale = r.locale.value_or("");
    CAPTURE(locale, *r.comment);
    ++seen[locale];
    CHECK(has(*r.comment, 0xD0, 0xD1) == (locale == "ru"));
    CHECK(has(*r.comment, 0xE4, 0xE9) == (locale == "zh-Hans"));
  }
  for (const char* l : {"en", "es", "ru", "zh-Hans", "de"})
    CHECK(seen[l] > 10);
}
