// The parts of npsd migrate (migrate.hpp), one per store, each copying its kind through the
// storage interfaces and adding its counts to the report. migrate.cpp runs them in order.
#pragma once

#include "migrate.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace npsd::migration {

using UserIds = std::map<std::int64_t, std::int64_t>; // source user id → target user id

// Adds `n` rows of `kind` to what this run added.
void added(MigrationReport& rep, const std::string& kind, std::size_t n);
// A count of `kind` (of one survey when survey_id is given) on both sides.
void compare(MigrationReport& rep, const std::string& kind, const std::string& survey_id,
             std::uint64_t source, std::uint64_t target);

// migrate_ops.cpp: operational data and fits, funnel counters (per survey).
void copy_ops(Storage& from, Storage& to, const std::string& survey_id, MigrationReport& rep);
void check_ops(Storage& from, Storage& to, const std::string& survey_id, MigrationReport& rep);

// migrate_email.cpp: the link secret, link settings, suppressions, contacts, campaigns with
// their audiences, outbox and clicks.
void copy_email(Storage& from, Storage& to, MigrationReport& rep);
void check_email(Storage& from, Storage& to, MigrationReport& rep);

// migrate_integrations.cpp: SMS conversations and opt-outs; webhook and alert endpoints,
// their events and deliveries (answer and user ids in event bodies remapped).
void copy_integrations(Storage& from, Storage& to, const UserIds& users, MigrationReport& rep);
void check_integrations(Storage& from, Storage& to, MigrationReport& rep);

} // namespace npsd::migration
