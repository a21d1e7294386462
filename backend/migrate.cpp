#include "migrate.hpp"

#include "migrate_parts.hpp"
#include "sqlite_file_use.hpp"
#include "storage_open.hpp"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>

namespace npsd {

namespace {

constexpr std::size_t kPage = 2000;

// Users by e-mail and tokens by hash; returns the source id → target id maps.
std::map<std::int64_t, std::int64_t> copy_users(Storage& from, Storage& to, MigrationReport& rep) {
  std::map<std::int64_t, std::int64_t> ids;
  for (const auto& u : from.users()) {
    auto there = to.user_by_email(u.email);
    if (!there) {
      there = to.add_user(u);
      if (!there) throw StorageError("user " + u.email + " could not be added to the target");
      ++rep.users;
    }
    ids[u.id] = there->id;
  }
  return ids;
}

void copy_tokens(Storage& from, Storage& to, MigrationReport& rep) {
  const auto existing = to.tokens();
  for (const auto& t : from.tokens())
    if (std::none_of(existing.begin(), existing.end(),
                     [&](const TokenRecord& e) { return e.hash == t.hash; })) {
      to.add_token(t);
      ++rep.tokens;
    }
}

void copy_survey(const SurveyRecord& s, Storage& to, MigrationReport& rep) {
  const auto there = to.survey(s.id);
  if (!there || there->definition != s.definition) {
    to.put_survey(s, s.updated_at);
    ++rep.surveys;
  }
  if (!there || there->archived != s.archived) to.set_archived(s.id, s.archived, s.updated_at);
}

// Oldest first, a page at a time: list_responses reads newest first, so the page cursors are
// collected first and the pages then copied from the last (oldest) to the first.
void copy_answers(Storage& from, Storage& to, const std::string& survey_id, MigrationReport& rep,
                  const std::function<void(const std::string&)>& progress) {
  ResponseFilter f;
  f.survey_id = survey_id;
  std::vector<std::optional<std::int64_t>> cursors{std::nullopt};
  for (;;) {
    auto page = from.list_responses(f, cursors.back(), kPage);
    if (!page.next) break;
    cursors.push_back(page.next);
  }
  const auto total = from.count_responses(survey_id);
  std::uint64_t done = 0;
  for (auto it = cursors.rbegin(); it != cursors.rend(); ++it) {
    auto page = from.list_responses(f, *it, kPage);
    std::vector<std::pair<nps::Response, Millis>> rows;
    rows.reserve(page.items.size());
    for (auto r = page.items.rbegin(); r != page.items.rend(); ++r)
      rows.emplace_back(r->response, r->received_at);
    rep.answers += to.import_responses(rows);
    done += rows.size();
    progress("survey " + survey_id + ": " + std::to_string(done) + " of " + std::to_string(total) +
             " answers");
  }
}

void copy_follow_ups(Storage& from, Storage& to, const std::string& survey_id,
                     const std::map<std::int64_t, std::int64_t>& user_ids, MigrationReport& rep) {
  FollowUpFilter f;
  f.survey_id = survey_id;
  f.include_passives = true;
  std::optional<std::int64_t> before;
  for (;;) {
    const auto items = from.follow_ups(f, before, kPage);
    for (const auto& item : items) {
      if (item.status == "new" && !item.assignee_id && item.notes.empty()) continue; // nothing to copy
      const auto target = to.find_response(survey_id, item.response.response.idempotency_key);
      if (!target) continue; // removed by retention on the source meanwhile
      const auto there = to.follow_up(survey_id, target->id, true);
      if (!there) continue;
      FollowUpChange ch;
      bool changed = false;
      for (std::size_t n = there->notes.size(); n < item.notes.size(); ++n) {
        FollowUpChange note;
        note.note = item.notes[n];
        to.change_follow_up(survey_id, target->id, true, note, item.notes[n].created_at);
        changed = true;
      }
      if (there->status != item.status) ch.status = item.status;
      std::optional<std::int64_t> assignee;
      if (item.assignee_id)
        if (auto m = user_ids.find(*item.assignee_id); m != user_ids.end()) assignee = m->second;
      if (there->assignee_id != assignee) ch.assignee_id = assignee;
      if (ch.status || ch.assignee_id) {
        to.change_follow_up(survey_id, target->id, true, ch, item.updated_at);
        changed = true;
      }
      if (changed) ++rep.follow_ups;
    }
    if (items.size() < kPage) break;
    before = items.back().response.id;
  }
}

nps::Tally all_days(const Storage& s, const std::string& survey_id) {
  TallyQuery q;
  q.survey_id = survey_id;
  q.from_day = std::numeric_limits<std::int32_t>::min() / 2;
  q.to_day = std::numeric_limits<std::int32_t>::max() / 2;
  nps::Tally t;
  for (const auto& row : s.tally_groups(q))
    t.merge(row.tally);
  return t;
}

// Follow-up items with a status, an assignee or notes (what copy_follow_ups carries over).
std::uint64_t worked_on(const Storage& s, const std::string& survey_id) {
  FollowUpFilter f;
  f.survey_id = survey_id;
  f.include_passives = true;
  std::uint64_t n = 0;
  std::optional<std::int64_t> before;
  for (;;) {
    const auto items = s.follow_ups(f, before, kPage);
    for (const auto& item : items)
      n += item.status != "new" || item.assignee_id || !item.notes.empty() ? 1 : 0;
    if (items.size() < kPage) break;
    before = items.back().response.id;
  }
  return n;
}

} // namespace

namespace migration {

void added(MigrationReport& rep, const std::string& kind, std::size_t n) {
  const auto it =
      std::find_if(rep.added.begin(), rep.added.end(), [&](const auto& a) { return a.first == kind; });
  if (it == rep.added.end())
    rep.added.emplace_back(kind, n);
  else
    it->second += n;
}

void compare(MigrationReport& rep, const std::string& kind, const std::string& survey_id,
             std::uint64_t source, std::uint64_t target) {
  rep.kinds.push_back({kind, survey_id, source, target});
}

} // namespace migration

bool MigrationReport::verified() const {
  return std::all_of(checks.begin(), checks.end(), [](const MigrationCheck& c) { return c.same; }) &&
         std::all_of(kinds.begin(), kinds.end(), [](const KindCheck& k) { return k.same(); });
}

MigrationReport migrate_storage(Storage& from, Storage& to,
                                const std::function<void(const std::string&)>& progress) {
  MigrationReport rep;
  const auto user_ids = copy_users(from, to, rep);
  copy_tokens(from, to, rep);
  const auto surveys = from.surveys();
  for (const auto& s : surveys) {
    copy_survey(s, to, rep);
    copy_answers(from, to, s.id, rep, progress);
    copy_follow_ups(from, to, s.id, user_ids, rep);
  }
  // The other stores, after every answer: their references to answers are found by key.
  // Webhooks come last: follow-up items copied above emit follow_up.changed events on the
  // target, which then have no endpoint to go to (the source's own events are copied).
  for (const auto& s : surveys)
    migration::copy_ops(from, to, s.id, rep);
  progress("operational data, fits and funnel counters copied");
  migration::copy_email(from, to, rep);
  progress("contacts, suppressions and campaigns copied");
  migration::copy_integrations(from, to, user_ids, rep);
  for (const auto& s : surveys) {
    MigrationCheck c;
    c.survey_id = s.id;
    c.source_rows = from.count_responses(s.id);
    c.target_rows = to.count_responses(s.id);
    c.source_tally = all_days(from, s.id);
    c.target_tally = all_days(to, s.id);
    c.same = c.source_rows == c.target_rows && c.source_tally.counts() == c.target_tally.counts() &&
             from.scan_tally(s.id).counts() == c.source_tally.counts() &&
             to.scan_tally(s.id).counts() == c.target_tally.counts();
    rep.checks.push_back(std::move(c));
    migration::compare(rep, "follow-up items worked on", s.id, worked_on(from, s.id), worked_on(to, s.id));
    migration::check_ops(from, to, s.id, rep);
  }
  {
    const auto users = from.users();
    migration::compare(rep, "users", "", users.size(),
                       std::count_if(users.begin(), users.end(),
                                     [&](const auto& u) { return to.user_by_email(u.email).has_value(); }));
  }
  {
    const auto there = to.tokens();
    const auto tokens = from.tokens();
    migration::compare(rep, "API tokens", "", tokens.size(),
                       std::count_if(tokens.begin(), tokens.end(), [&](const TokenRecord& t) {
                         return std::any_of(there.begin(), there.end(),
                                            [&](const TokenRecord& x) { return x.hash == t.hash; });
                       }));
  }
  migration::check_email(from, to, rep);
  migration::check_integrations(from, to, rep);
  return rep;
}

int migrate_main(int argc, char** argv) {
  static constexpr const char* kUsage =
      "usage: npsd migrate --from PATH.sqlite3|postgresql://… --to postgresql://…|PATH.sqlite3\n";
  std::string src, dst;
  for (int i = 2; i < argc; ++i) {
    const std::string_view a = argv[i];
    if ((a == "--from" || a == "--to") && i + 1 < argc)
      (a == "--from" ? src : dst) = argv[++i];
    else {
      std::cerr << "npsd migrate: unknown option or missing value: " << a << "\n" << kUsage;
      return 2;
    }
  }
  if (src.empty() || dst.empty()) {
    std::cerr << "npsd migrate: --from and --to are both needed\n" << kUsage;
    return 2;
  }
  if (src == dst) {
    std::cerr << "npsd migrate: --from and --to name the same database\n";
    return 2;
  }
  if (!is_postgres_url(src) && !std::filesystem::exists(src)) {
    std::cerr << "npsd migrate: --from: no such file: " << src << "\n";
    return 2;
  }
  // A SQLite source is held for the copy: no npsd may store answers in it meanwhile.
  std::optional<FileUse> in_use;
  if (!is_postgres_url(src)) {
    std::string why;
    in_use = FileUse::take(src, FileUse::Mode::copy, why);
    if (!in_use) {
      std::cerr << "npsd migrate: --from: " << why << "\n";
      return 2;
    }
  }
  try {
    auto from = open_storage(src);
    auto to = open_storage(dst);
    std::size_t lines = 0;
    const auto rep = migrate_storage(*from, *to, [&](const std::string& line) {
      if (++lines % 10 == 1) std::cerr << "npsd migrate: " << line << "\n";
    });
    std::cout << "npsd migrate: added " << rep.users << " users, " << rep.tokens << " tokens, " << rep.surveys
              << " surveys, " << rep.answers << " answers, " << rep.follow_ups << " follow-up items\n";
    std::size_t others = 0;
    std::cout << "npsd migrate: also added:";
    for (const auto& [kind, n] : rep.added) {
      std::cout << (others++ ? ", " : " ") << n << " " << kind;
    }
    std::cout << (others ? "\n" : " nothing else\n");
    for (const auto& c : rep.checks) {
      const auto nps = [](const nps::Tally& t) {
        auto s = nps::summarize(t);
        if (!s) return std::string("-");
        std::ostringstream o;
        o << std::fixed << std::setprecision(2) << s->nps;
        return o.str();
      };
      std::cout << "  " << c.survey_id << ": " << c.source_rows << " → " << c.target_rows << " answers, NPS "
                << nps(c.source_tally) << " → " << nps(c.target_tally) << (c.same ? "  same" : "  DIFFERENT")
                << "\n";
    }
    for (const auto& k : rep.kinds)
      std::cout << "  " << k.kind << (k.survey_id.empty() ? "" : " (" + k.survey_id + ")") << ": " << k.source
                << " → " << k.target << (k.same() ? "  same" : "  DIFFERENT") << "\n";
    if (!rep.verified()) {
      std::cerr
          << "npsd migrate: the target differs from the source (run again to finish an interrupted copy)\n";
      return 1;
    }
    std::cout << "npsd migrate: verified: every survey has the same answers and counts on both sides, and "
                 "every other kind is there\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "npsd migrate: " << e.what() << "\n";
    return 1;
  }
}

} // namespace npsd
