// The SQLite engine's side of the webhook outbox (webhook_store.hpp). Internal to the engine,
// except emit_event, which any SQLite write job of another feature may call.
#pragma once

#include "sqlite_conn.hpp"
#include "sqlite_writer.hpp"
#include "webhook_store.hpp"

#include <functional>
#include <memory>

namespace npsd::sqlite {

// Stores `e` in the outbox and one pending delivery per enabled endpoint whose filters match,
// due at e.created_at. Call it ONLY from inside a write job (Writer::write): the event then
// commits with what caused it, or not at all. Returns the event's id; 0 when no endpoint
// takes the event: it is then not stored (a copy of the answer nobody is sent, kept until
// retention; and for every stored answer, an insert into three B-trees: issue 18).
std::int64_t emit_event(Conn& c, const OutboxEvent& e);
// The same for the event make_event(type, data(), tags, now), whose data() is only built when
// an endpoint takes it (storing an answer: the JSON of the answer, in the writer thread).
std::int64_t emit_event(Conn& c, const std::string& type, EventTags tags, Millis now,
                        const std::function<nps::json()>& data);

// Privacy: the events (and their deliveries) of one respondent, or older than `cutoff`.
void forget_events(Conn& c, const std::string& respondent_id);
void forget_events_before(Conn& c, Millis cutoff);

[[nodiscard]] std::unique_ptr<WebhookStore> make_webhook_store(Writer& writer, ReadPool& readers);

} // namespace npsd::sqlite
