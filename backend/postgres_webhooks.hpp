// The PostgreSQL engine's side of the webhook outbox (webhook_store.hpp). Internal to the
// engine, except emit_event, which any PostgreSQL write job of another feature may call.
#pragma once

#include "postgres_conn.hpp"
#include "webhook_store.hpp"

#include <memory>
#include <vector>

namespace npsd::pg {

// Stores `e` in the outbox and one pending delivery per enabled endpoint whose filters match,
// due at e.created_at. Call it ONLY from inside a write job (Writer::write): the event then
// commits with what caused it, or not at all. Returns the event's id.
std::int64_t emit_event(Conn& c, const OutboxEvent& e);
// The same, pipelined (Conn::later): its id is not read, its failure fails the transaction.
void emit_event_later(Conn& c, const OutboxEvent& e);
// Many events in one pipelined statement, in the order given (an answer batch's).
void emit_events_later(Conn& c, const std::vector<OutboxEvent>& events);

// Privacy: the events (and their deliveries) of one respondent, or older than `cutoff`.
void forget_events(Conn& c, const std::string& respondent_id);
void forget_events_before(Conn& c, Millis cutoff);

[[nodiscard]] std::unique_ptr<WebhookStore> make_webhook_store(Writer& writer, Pool& readers);

} // namespace npsd::pg
