// npsd migrate: e-mail and link surveys (email_store.hpp). The link secret comes first, so a
// link e-mailed before the move opens after it; contacts and campaigns keep their ids (a
// link names "c<campaign>.k<contact>", and its answer's key is made of them); suppressions
// keep their reason and time and raise no new event. A message already sent stays sent and
// is never queued again; one queued is sent once, by the target.
#include "email_store.hpp"
#include "migrate_parts.hpp"

#include <map>
#include <set>
#include <tuple>

namespace npsd::migration {

namespace {

constexpr std::size_t kPage = 1000;

bool same_contact(const Contact& a, const Contact& b) {
  return a.id == b.id && email_key(a.email) == email_key(b.email);
}

// The outbox of a campaign by (contact, kind, state as copied).
std::set<std::tuple<std::int64_t, std::string, std::string>> outbox_states(const CampaignRows& r,
                                                                           bool copied) {
  std::set<std::tuple<std::int64_t, std::string, std::string>> out;
  for (const auto& o : r.outbox)
    out.emplace(o.contact_id, o.kind, copied ? copied_outbox_state(o.state) : o.state);
  return out;
}

} // namespace

void copy_email(Storage& from, Storage& to, MigrationReport& rep) {
  auto& src = from.email();
  auto& dst = to.email();
  if (const auto secret = src.stored_link_secret(); secret && dst.stored_link_secret() != secret) {
    dst.put_link_secret(*secret);
    added(rep, "link secret", 1);
  }
  for (const auto& s : from.surveys())
    if (const auto ls = src.link_settings(s.id); !(dst.link_settings(s.id) == ls)) {
      dst.put_link_settings(s.id, ls);
      added(rep, "link settings", 1);
    }
  std::size_t n = 0;
  for (const auto& s : src.suppressions())
    n += dst.import_suppression(s) ? 1 : 0;
  added(rep, "suppressions", n);
  n = 0;
  std::optional<std::int64_t> after;
  for (;;) {
    const auto page = src.contacts(after, kPage);
    for (const auto& k : page) {
      const auto there = dst.contact(k.id);
      if (there && same_contact(*there, k)) continue; // matched: copied by an earlier run
      n += dst.import_contact(k) ? 1 : 0;             // StorageError when the id is taken by another
    }
    if (page.size() < kPage) break;
    after = page.back().id;
  }
  added(rep, "contacts", n);
  n = 0;
  for (const auto& m : src.campaigns()) {
    const auto rows = src.campaign_rows(m.id);
    const auto there = dst.campaign(m.id);
    if (there && there->survey_id == m.survey_id && there->name == m.name &&
        there->created_at == m.created_at) {
      const auto have = dst.campaign_rows(m.id);
      if (have.members.size() >= rows.members.size() && have.clicks.size() >= rows.clicks.size() &&
          outbox_states(have, false).size() >= rows.outbox.size())
        continue; // everything of it is there
    }
    n += dst.import_campaign(m, rows); // one transaction: the campaign and its rows, or nothing
  }
  added(rep, "campaign rows", n);
}

void check_email(Storage& from, Storage& to, MigrationReport& rep) {
  auto& src = from.email();
  auto& dst = to.email();
  const auto secret = src.stored_link_secret();
  compare(rep, "link secret", "", secret ? 1 : 0, secret && dst.stored_link_secret() == secret ? 1 : 0);
  std::uint64_t strict = 0, strict_there = 0;
  for (const auto& s : from.surveys())
    if (src.link_settings(s.id).strict) {
      ++strict;
      strict_there += dst.link_settings(s.id).strict ? 1 : 0;
    }
  compare(rep, "strict link surveys", "", strict, strict_there);
  std::set<std::pair<std::string, std::string>> sup_there;
  for (const auto& s : dst.suppressions())
    sup_there.emplace(s.email, s.reason);
  std::uint64_t sups = 0, sups_there = 0;
  for (const auto& s : src.suppressions()) {
    ++sups;
    sups_there += sup_there.count({s.email, s.reason});
  }
  compare(rep, "suppressions", "", sups, sups_there);
  std::uint64_t contacts = 0, contacts_there = 0;
  std::optional<std::int64_t> after;
  for (;;) {
    const auto page = src.contacts(after, kPage);
    for (const auto& k : page) {
      ++contacts;
      const auto there = dst.contact(k.id);
      contacts_there += there && same_contact(*there, k) && there->last_asked_at == k.last_asked_at ? 1 : 0;
    }
    if (page.size() < kPage) break;
    after = page.back().id;
  }
  compare(rep, "contacts", "", contacts, contacts_there);
  for (const auto& m : src.campaigns()) {
    const auto there = dst.campaign(m.id);
    const auto name = "campaign " + std::to_string(m.id);
    compare(rep, name, m.survey_id, 1,
            there && there->survey_id == m.survey_id && there->name == m.name && there->status == m.status &&
                    there->finished_at == m.finished_at
                ? 1
                : 0);
    const auto a = src.campaign_rows(m.id), b = dst.campaign_rows(m.id);
    compare(rep, name + " audience members", m.survey_id, a.members.size(), b.members.size());
    compare(rep, name + " clicks", m.survey_id, a.clicks.size(), b.clicks.size());
    // Per state: the source's messages as copied (sending → queued, committing → uncertain).
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> states;
    for (const auto& [contact, kind, state] : outbox_states(a, true))
      ++states[kind + " " + state].first;
    for (const auto& [contact, kind, state] : outbox_states(b, false))
      ++states[kind + " " + state].second;
    for (const auto& [state, counts] : states)
      compare(rep, name + " messages " + state, m.survey_id, counts.first, counts.second);
  }
}

} // namespace npsd::migration
